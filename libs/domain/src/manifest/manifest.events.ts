import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { finite, flag, list, oneOf, optional, record, text, whole } from '../events/shape';
import { ALL_SUBTYPES, WASTE_CATEGORIES, type WasteCategory, type WasteSubtype } from '../values/category';
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

const RECEIPT_OUTCOMES: readonly ReceiptOutcome[] = ['accepted', 'partial', 'rejected'];
const parties = { shipperUscc: text, carrierUscc: text, receiverUscc: text };

/** The shapes of the data (checked when a stored event is decoded; exactly the interfaces above). */
export const MANIFEST_EVENT_SHAPES = {
  ManifestIssued: record<ManifestIssuedData>({
    manifestNo: text,
    ...parties,
    plannedAt: text,
    lines: list(
      record<ManifestLine>({
        traceCode: text,
        category: oneOf(WASTE_CATEGORIES),
        subtype: optional(oneOf(ALL_SUBTYPES)),
        wasteCode: optional(text),
        massGrams: whole,
      }),
    ),
    totalGrams: whole,
    hazardous: flag,
    ...eventTime,
  }),
  ManifestPickedUp: record<ManifestPickedUpData>({
    manifestNo: text,
    ...parties,
    vehiclePlate: text,
    weighedGrams: optional(whole),
    shippedGrams: whole,
    traceCodes: list(text),
    ...eventTime,
  }),
  ManifestReceived: record<ManifestReceivedData>({
    manifestNo: text,
    ...parties,
    lines: list(
      record<ReceiptLine>({
        traceCode: text,
        shippedGrams: whole,
        receivedGrams: whole,
        acceptedGrams: whole,
        rejectedGrams: whole,
        lostGrams: whole,
        outcome: oneOf(RECEIPT_OUTCOMES),
        reason: optional(text),
        discrepancy: flag,
      }),
    ),
    tolerance: finite,
    ...eventTime,
  }),
  ManifestCancelled: record<ManifestCancelledData>({
    manifestNo: text,
    shipperUscc: text,
    reason: text,
    traceCodes: list(text),
    ...eventTime,
  }),
};

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
