import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { finite, flag, list, oneOf, optional, record, text, whole } from '../events/shape';
import { ALL_SUBTYPES, WASTE_CATEGORIES, type WasteCategory, type WasteSubtype } from '../values/category';
import { assertNever } from '../util';
import { DEFAULT_DISCREPANCY_TOLERANCE, isDiscrepancy } from '../alerts/alerts';
import { PERMIT_LAPSE_SHAPE, type PermitLapse } from '../batch/batch.events';
import type { TripCrew } from './trip-crew';

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
  /**
   * Version 2: the receiver's permit, valid at `occurredAt`, had lapsed by the time of recording (permits
   * judged twice, DESIGN §2): a late entry with an `after_revocation` alert.
   */
  readonly permitLapse?: PermitLapse;
  /**
   * Version 3: run on paper during an outage and back-filled (纸质联单补录, DESIGN §2): its times are the
   * paper's; a pickup entered more than 10 working days after it happened raises a late-entry alert.
   */
  readonly paper?: boolean;
  /**
   * Version 4: the cross-province transfer approval it moves under (跨省转移, DESIGN §2): hazardous waste to
   * a receiver in another province; its receipt draws the accepted mass on the approval.
   */
  readonly transferApprovalNo?: string;
}

/** Version 1 of ManifestPickedUp's data: a total weighed mass, never judged (upcast by `pickedUpV1ToV2`). */
export interface ManifestPickedUpDataV1 extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  /** Canonical compact plate. */
  readonly vehiclePlate: string;
  /** Total as weighed at pickup, when given. */
  readonly weighedGrams?: number;
  readonly shippedGrams: number;
  /** The batches now in transit, sorted. */
  readonly traceCodes: readonly string[];
}

/** One manifest line at pickup (weighing at both ends, DESIGN §2). */
export interface PickupLine {
  readonly traceCode: string;
  /** The line's shipped mass, given with its weighing (the fact the weighing is judged against). */
  readonly shippedGrams?: number;
  /** As weighed at pickup, when the carrier weighed this line. */
  readonly weighedGrams?: number;
  /** |shipped − weighed| of this line beyond the tolerance (false when not weighed). */
  readonly discrepancy: boolean;
}

/**
 * Version 2: the weighing at pickup is judged like a receipt's (DESIGN §2 "Weighing at both ends"): per line
 * and for the total, against the tolerance applied.
 */
export interface ManifestPickedUpDataV2 extends ManifestPickedUpDataV1 {
  /** Every line of the manifest, sorted by trace code, with its weighing. */
  readonly lines: readonly PickupLine[];
  /** |shipped − weighed| of the total beyond the tolerance (false when the total was not weighed). */
  readonly discrepancy: boolean;
  /** The discrepancy tolerance applied. */
  readonly tolerance: number;
}

/** Version 3 (issue 14, the 联单's part 2): the leg's crew (TripCrew: people by reference only, ADR 14). */
export interface ManifestPickedUpData extends ManifestPickedUpDataV2, TripCrew {}

/**
 * accepted: nothing rejected; rejected: nothing accepted, something received; partial: both; lost: nothing
 * received at all (version 2 of ManifestReceived; version 1 called a total loss `accepted`).
 */
export type ReceiptOutcome = 'accepted' | 'partial' | 'rejected' | 'lost';

export interface ReceiptLine {
  readonly traceCode: string;
  readonly shippedGrams: number;
  readonly receivedGrams: number;
  readonly acceptedGrams: number;
  /** received − accepted: back to the shipper's custody. */
  readonly rejectedGrams: number;
  /** shipped − received: lost in transit. */
  readonly lostGrams: number;
  /** See ReceiptOutcome (`lost`: nothing received). */
  readonly outcome: ReceiptOutcome;
  readonly reason?: string;
  /** |shipped − received| beyond the tolerance. */
  readonly discrepancy: boolean;
  /**
   * Version 4, a partial rejection: the code of the child that takes the rejected mass back to the
   * shipper (22 characters, DESIGN §2 Identifiers). A line of version ≤ 3 has none: its child's code was
   * derived from the parent's code and child index (`legacyChildTraceCode`).
   */
  readonly returnTraceCode?: string;
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
  /** Version 3: the receiver's permit lapsed between `occurredAt` and the recording (see ManifestIssued). */
  readonly permitLapse?: PermitLapse;
  /**
   * Version 5 (issue 14, the 联单's part 3 and the receiver's 台账): the receiver's person who handled the
   * receipt (经办人), by reference to an erasable record (ADR 14). Absent before v5.
   */
  readonly handlerPersonId?: string;
}

/**
 * 多式联运 / 联运交接 (DESIGN §2 "Several carriers"): the carrier holding the manifest in transit hands it,
 * and the waste on it, to the next named carrier at `place`, which carries on with `vehiclePlate`. The
 * receiver then receives from the last carrier.
 */
export interface ManifestHandedOverDataV1 extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly receiverUscc: string;
  /** The carrier that held it and hands it over. */
  readonly fromCarrierUscc: string;
  /** The next carrier, holding it from now on. */
  readonly carrierUscc: string;
  /** The next carrier's vehicle (canonical compact plate). */
  readonly vehiclePlate: string;
  /** Where the hand-over happened (free text: a station, a port, a transfer yard). */
  readonly place: string;
  /** The leg that starts here: 2 for the first hand-over (leg 1 starts at pickup). */
  readonly leg: number;
  /** The batches in transit, sorted. */
  readonly traceCodes: readonly string[];
}

/** Version 2 (issue 14): the next leg's crew (TripCrew: people by reference only, ADR 14); v1 had none. */
export interface ManifestHandedOverData extends ManifestHandedOverDataV1, TripCrew {}

export interface ManifestCancelledData extends EventTime {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly reason: string;
  /** The batches released, sorted. */
  readonly traceCodes: readonly string[];
}

export type ManifestIssued = DomainEventOf<'ManifestIssued', ManifestIssuedData, 4>;
export type ManifestPickedUp = DomainEventOf<'ManifestPickedUp', ManifestPickedUpData, 3>;
export type ManifestReceived = DomainEventOf<'ManifestReceived', ManifestReceivedData, 5>;
export type ManifestCancelled = DomainEventOf<'ManifestCancelled', ManifestCancelledData>;
export type ManifestHandedOver = DomainEventOf<'ManifestHandedOver', ManifestHandedOverData, 2>;

export type ManifestEvent =
  ManifestIssued | ManifestPickedUp | ManifestHandedOver | ManifestReceived | ManifestCancelled;
export type ManifestEventType = ManifestEvent['type'];

const RECEIPT_OUTCOMES: readonly ReceiptOutcome[] = ['accepted', 'partial', 'rejected', 'lost'];
const parties = { shipperUscc: text, carrierUscc: text, receiverUscc: text };
const crewShape = {
  driverPersonId: optional(text),
  escortPersonId: optional(text),
  vehicleType: optional(text),
  transportLicenceNo: optional(text),
};

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
    permitLapse: optional(PERMIT_LAPSE_SHAPE),
    paper: optional(flag),
    transferApprovalNo: optional(text),
    ...eventTime,
  }),
  ManifestPickedUp: record<ManifestPickedUpData>({
    manifestNo: text,
    ...parties,
    vehiclePlate: text,
    weighedGrams: optional(whole),
    shippedGrams: whole,
    traceCodes: list(text),
    lines: list(
      record<PickupLine>({
        traceCode: text,
        shippedGrams: optional(whole),
        weighedGrams: optional(whole),
        discrepancy: flag,
      }),
    ),
    discrepancy: flag,
    tolerance: finite,
    ...crewShape,
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
        returnTraceCode: optional(text),
      }),
    ),
    tolerance: finite,
    permitLapse: optional(PERMIT_LAPSE_SHAPE),
    handlerPersonId: optional(text),
    ...eventTime,
  }),
  ManifestHandedOver: record<ManifestHandedOverData>({
    manifestNo: text,
    shipperUscc: text,
    receiverUscc: text,
    fromCarrierUscc: text,
    carrierUscc: text,
    vehiclePlate: text,
    place: text,
    leg: whole,
    traceCodes: list(text),
    ...crewShape,
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
    case 'ManifestHandedOver':
    case 'ManifestCancelled':
      return [...event.data.traceCodes];
    default:
      return assertNever(event, 'manifest event');
  }
}

// ------------------------------------------------------------------------------------------------
// upcasters (stored events are never rewritten: older versions are read through these)

/** Stored data of any version (the catalogue's Upcaster signature, without importing it: no cycle). */
type EventData = { readonly [key: string]: unknown };

/**
 * ManifestPickedUp 1 → 2: every line without a weighing of its own; the total weighed, when there was one,
 * judged against the default tolerance (version 1 recorded the weighing but never judged it: a 27 kg
 * weighing of a 20 kg manifest now reads as the discrepancy it was).
 */
export function pickedUpV1ToV2(data: EventData): EventData {
  const v1 = data as unknown as ManifestPickedUpDataV1;
  const lines: PickupLine[] = (Array.isArray(v1.traceCodes) ? v1.traceCodes : []).map((traceCode) => ({
    traceCode,
    discrepancy: false,
  }));
  const weighed = typeof v1.weighedGrams === 'number' ? v1.weighedGrams : undefined;
  const judged =
    weighed !== undefined && typeof v1.shippedGrams === 'number' && Number.isSafeInteger(v1.shippedGrams)
      ? isDiscrepancy(v1.shippedGrams, weighed, DEFAULT_DISCREPANCY_TOLERANCE)
      : false;
  return { ...data, lines, discrepancy: judged, tolerance: DEFAULT_DISCREPANCY_TOLERANCE };
}

/** ManifestReceived 1 → 2: a line that received nothing is `lost` (version 1 labelled it `accepted`). */
export function receivedV1ToV2(data: EventData): EventData {
  const lines = Array.isArray(data.lines) ? (data.lines as ReceiptLine[]) : [];
  return {
    ...data,
    lines: lines.map((l) => (l.receivedGrams === 0 ? { ...l, outcome: 'lost' } : l)),
  };
}
