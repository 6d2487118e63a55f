import { assertNever } from './util';
import type { DomainEvent } from './events/domain-event';

/** Stream names: one stream per aggregate instance. */
export const partyStream = (uscc: string): string => `party-${uscc}`;
export const batchStream = (traceCode: string): string => `batch-${traceCode}`;
export const manifestStream = (manifestNo: string): string => `manifest-${manifestNo}`;

export const STREAM_PREFIXES = { party: 'party-', batch: 'batch-', manifest: 'manifest-' } as const;

export type AggregateKind = keyof typeof STREAM_PREFIXES;

/** The aggregate kind and id of a stream name, or undefined when it is not a domain stream. */
export function parseStream(stream: string): { kind: AggregateKind; id: string } | undefined {
  for (const kind of ['party', 'batch', 'manifest'] as const) {
    if (stream.startsWith(STREAM_PREFIXES[kind]))
      return { kind, id: stream.slice(STREAM_PREFIXES[kind].length) };
  }
  return undefined;
}

/** The stream an event belongs to (every event carries its aggregate's id). */
export function streamOf(event: DomainEvent): string {
  switch (event.type) {
    case 'PartyRegistered':
    case 'PermitGranted':
    case 'PermitRevoked':
      return partyStream(event.data.uscc);
    case 'ManifestIssued':
    case 'ManifestPickedUp':
    case 'ManifestReceived':
    case 'ManifestCancelled':
      return manifestStream(event.data.manifestNo);
    case 'WasteGenerated':
    case 'BatchSplit':
    case 'BatchSplitOff':
    case 'BatchesConsolidated':
    case 'BatchConsolidatedInto':
    case 'BatchConsigned':
    case 'BatchConsignmentReleased':
    case 'BatchShipped':
    case 'BatchLostInTransit':
    case 'BatchRejectionSplitOff':
    case 'BatchReturnedFromRejection':
    case 'BatchReceived':
    case 'BatchReturnedToShipper':
    case 'WasteUtilised':
    case 'WasteDisposed':
    case 'MassCorrected':
      return batchStream(event.data.traceCode);
    default:
      return assertNever(event, 'event');
  }
}
