import type { DomainEventOf, EventTime } from '../events/envelope';
import type { WasteCategory, WasteSubtype } from '../values/category';
import { assertNever } from '../util';

/** Events of stream `manifest-<manifestNo>` (转移联单). Every event carries its `manifestNo`. */

export interface ManifestLine {
  readonly traceCode: string;
  readonly category: WasteCategory;
  readonly subtype?: WasteSubtype;
  readonly wasteCode?: string;
  /** The whole held mass of the batch. */
  readonly massGrams: number;
}

export interface ManifestIssuedData extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly plannedAt: string;
  /** Sorted by trace code. */
  readonly lines: readonly ManifestLine[];
  readonly totalGrams: number;
  /** At least one line is hazardous waste. */
  readonly hazardous: boolean;
}

export interface ManifestPickedUpData extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  /** Canonical compact plate. */
  readonly vehiclePlate: string;
  /** Total as weighed at pickup, when given (informational: lines ship the held masses). */
  readonly weighedGrams?: number;
  readonly shippedGrams: number;
  /** The batches now in transit, sorted. */
  readonly traceCodes: readonly string[];
}

export type ReceiptOutcome = 'accepted' | 'partial' | 'rejected';

export interface ReceiptLine {
  readonly traceCode: string;
  readonly shippedGrams: number;
  readonly receivedGrams: number;
  readonly acceptedGrams: number;
  /** received − accepted: back to the shipper's custody. */
  readonly rejectedGrams: number;
  /** shipped − received: lost in transit. */
  readonly lostGrams: number;
  /** accepted: nothing rejected (a total loss included); rejected: nothing accepted; partial: both. */
  readonly outcome: ReceiptOutcome;
  readonly reason?: string;
  /** |shipped − received| beyond the tolerance. */
  readonly discrepancy: boolean;
}

export interface ManifestReceivedData extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  /** Sorted by trace code. */
  readonly lines: readonly ReceiptLine[];
  /** The discrepancy tolerance applied. */
  readonly tolerance: number;
}

export interface ManifestCancelledData extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly reason: string;
  /** The batches released, sorted. */
  readonly traceCodes: readonly string[];
}

export type ManifestIssued = DomainEventOf<'ManifestIssued', ManifestIssuedData>;
export type ManifestPickedUp = DomainEventOf<'ManifestPickedUp', ManifestPickedUpData>;
export type ManifestReceived = DomainEventOf<'ManifestReceived', ManifestReceivedData>;
export type ManifestCancelled = DomainEventOf<'ManifestCancelled', ManifestCancelledData>;

export type ManifestEvent = ManifestIssued | ManifestPickedUp | ManifestReceived | ManifestCancelled;
export type ManifestEventType = ManifestEvent['type'];
export const MANIFEST_EVENT_TYPES: readonly ManifestEventType[] = [
  'ManifestIssued',
  'ManifestPickedUp',
  'ManifestReceived',
  'ManifestCancelled',
];

/** The batches a manifest event is about, in the event's (sorted) order. */
export function traceCodesOf(event: ManifestEvent): string[] {
  switch (event.type) {
    case 'ManifestIssued':
    case 'ManifestReceived':
      return event.data.lines.map((l) => l.traceCode);
    case 'ManifestPickedUp':
    case 'ManifestCancelled':
      return [...event.data.traceCodes];
    default:
      return assertNever(event, 'manifest event');
  }
}
