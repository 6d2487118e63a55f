import {
  AGGREGATES,
  type AlertEvent,
  type AlertState,
  type TransferApprovalEvent,
  type TransferApprovalState,
  aggregateOf,
  decodeEvent,
  EventHashMismatch,
  EventNotApplicable,
  alertStream,
  batchStream,
  manifestStream,
  partyStream,
  transferApprovalStream,
  type AggregateKind,
  type BatchEvent,
  type BatchState,
  type EventOfAggregate,
  type ManifestEvent,
  type ManifestState,
  type PartyEvent,
  type PartyState,
  type StateOf,
} from '@wasteflow/domain';
import { eventHash, type RecordedEvent } from '@wasteflow/event-store';
import type { StreamModel } from '../writing/stream-model';

/**
 * How the three aggregates' streams are read back for a decision. Each stored event is
 *  1. checked against its own hash: an event edited in the database is a fault (EventHashMismatch,
 *     answered 500 and alerted), never silently decided on;
 *  2. decoded once (decodeEvent: known type, upcast to the current version, shape of its data), and must
 *     be of the stream's aggregate (the catalogue says whose it is), else EventNotApplicable;
 *  3. folded with the domain's evolve, which never fails: a stream whose facts do not fit together still
 *     gives a state, so it can take a compensating event (`wasteflow verify` and the audit report it).
 * A state cache (StreamStateCache) keeps folded states, so each event is checked and decoded about once
 * per process.
 */
function model<K extends AggregateKind>(kind: K): StreamModel<StateOf<K>, EventOfAggregate<K>> {
  const aggregate = AGGREGATES[kind];
  return {
    initial: aggregate.initial,
    decode(recorded: RecordedEvent): EventOfAggregate<K> {
      const at = { stream: recorded.stream, revision: recorded.revision.toString() };
      if (recorded.metadata.hash !== eventHash(recorded))
        throw new EventHashMismatch(at.stream, at.revision, recorded.type);
      const event = decodeEvent(recorded);
      if (aggregateOf(event) !== kind)
        throw new EventNotApplicable(recorded.type, `not an event of a ${kind} stream`, at);
      return event as EventOfAggregate<K>;
    },
    evolve: aggregate.evolve,
  };
}

export const partyModel: StreamModel<PartyState, PartyEvent> = model('party');
export const batchModel: StreamModel<BatchState, BatchEvent> = model('batch');
export const manifestModel: StreamModel<ManifestState, ManifestEvent> = model('manifest');
export const alertModel: StreamModel<AlertState, AlertEvent> = model('alert');
export const transferApprovalModel: StreamModel<TransferApprovalState, TransferApprovalEvent> =
  model('transferApproval');

/** One aggregate's stream with the model that folds it: what a plan decides on (`decideOnStream`). */
export interface AggregateStream<S> {
  readonly stream: string;
  readonly model: StreamModel<S, unknown>;
}

function aggregateStreams<S>(streamOf: (id: string) => string, model: StreamModel<S, unknown>) {
  return (id: string): AggregateStream<S> => ({ stream: streamOf(id), model });
}

/** The aggregate named by its id (USCC, trace code, manifest number, alert id, approval number). */
export const partyAggregate = aggregateStreams(partyStream, partyModel);
export const batchAggregate = aggregateStreams(batchStream, batchModel);
export const manifestAggregate = aggregateStreams(manifestStream, manifestModel);
export const alertAggregate = aggregateStreams(alertStream, alertModel);
export const transferApprovalAggregate = aggregateStreams(transferApprovalStream, transferApprovalModel);
