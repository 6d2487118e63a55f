import {
  EventNotApplicable,
  evolveBatch,
  evolveManifest,
  evolveParty,
  initialBatchState,
  initialManifestState,
  initialPartyState,
  upcast,
  type BatchEvent,
  type BatchState,
  type DomainEvent,
  type ManifestEvent,
  type ManifestState,
  type PartyEvent,
  type PartyState,
} from '@wasteflow/domain';
import type { RecordedEvent } from '@wasteflow/event-store';
import type { StreamModel } from '../writing/stream-model';

/**
 * How the three aggregates' streams are read back: stored events are upcast to the current schema
 * (`upcast`, libs/domain) and folded with the domain's evolve functions. An event of another aggregate
 * in a stream is a corrupt or misrouted stream (EventNotApplicable).
 */
function model<S, E extends DomainEvent>(
  initial: S,
  accepts: (event: DomainEvent) => event is E,
  evolve: (state: S, event: E) => S,
  aggregate: string,
): StreamModel<S, E> {
  return {
    initial,
    decode(recorded: RecordedEvent): E {
      const event = upcast(recorded.type, recorded.schemaVersion, recorded.data);
      if (!accepts(event))
        throw new EventNotApplicable(recorded.type, `not an event of a ${aggregate} stream`);
      return event;
    },
    evolve,
  };
}

const PARTY_TYPES = new Set<string>(['PartyRegistered', 'PermitGranted', 'PermitRevoked']);
const MANIFEST_TYPES = new Set<string>([
  'ManifestIssued',
  'ManifestPickedUp',
  'ManifestReceived',
  'ManifestCancelled',
]);

export const partyModel: StreamModel<PartyState, PartyEvent> = model(
  initialPartyState,
  (e): e is PartyEvent => PARTY_TYPES.has(e.type),
  evolveParty,
  'party',
);

export const batchModel: StreamModel<BatchState, BatchEvent> = model(
  initialBatchState,
  (e): e is BatchEvent => !PARTY_TYPES.has(e.type) && !MANIFEST_TYPES.has(e.type),
  evolveBatch,
  'batch',
);

export const manifestModel: StreamModel<ManifestState, ManifestEvent> = model(
  initialManifestState,
  (e): e is ManifestEvent => MANIFEST_TYPES.has(e.type),
  evolveManifest,
  'manifest',
);
