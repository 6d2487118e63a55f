// Longer than our ~400 lines on purpose: one declaration (data interface, type, shape) for each of the batch
// stream's events in one file, which the event catalogue reads; a file per event would scatter the aggregate.
import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { list, oneOf, optional, record, signedWhole, text, whole, type Fields } from '../events/shape';
import type { Composition, OriginShare } from '../origin/composition';
import {
  CORRECTION_DECIDER_SHAPE,
  CORRECTION_EVENT_SHAPES,
  type CorrectionDecider,
  type MassCorrectionApprovedData,
  type MassCorrectionRejectedData,
  type MassCorrectionRequestedData,
} from './correction.events';
import { HAZARD_CHARACTERISTICS, type HazardCharacteristic } from '../catalogue/hw-catalogue';
import { ALL_SUBTYPES, WASTE_CATEGORIES, type WasteCategory, type WasteSubtype } from '../values/category';
import {
  TREATMENT_MODES,
  TREATMENT_OPERATIONS,
  type TreatmentMode,
  type TreatmentOperation,
} from '../values/operation';

/**
 * Events of stream `batch-<traceCode>`. Every event carries its batch's `traceCode`; masses are integer
 * grams; `composition` is the origin composition of the mass the event is about (created, moved, lost,
 * treated), canonical (sorted by origin key).
 *
 * Longer than 400 lines on purpose: the batch events (the correction requests' data in correction.events.ts), each data interface beside its shape (the
 * run-time check of the same fields, compared by the compiler), so that one file holds an event's data.
 */

/** What a batch is: fixed at creation. */
export interface BatchKind {
  readonly category: WasteCategory;
  readonly subtype?: WasteSubtype;
  readonly wasteCode?: string;
  /** Edition of the hazardous waste catalogue the code was checked against, when one was loaded. */
  readonly catalogueEdition?: string;
}

/** 废物形态 (HJ 1276-2022, HJ 1259-2022): 固态, 液态, 半固态, 气态. */
export const PHYSICAL_FORMS = ['solid', 'liquid', 'semi-solid', 'gas'] as const;
export type PhysicalForm = (typeof PHYSICAL_FORMS)[number];
/** Container volume classes: they choose the label size of HJ 1276-2022 (≤ 50 L, ≤ 450 L, more). */
export const CONTAINER_VOLUMES = ['upTo50L', 'upTo450L', 'over450L'] as const;
export type ContainerVolume = (typeof CONTAINER_VOLUMES)[number];

/**
 * What the documents need to know of a batch at generation (schema version 2 of WasteGenerated; all
 * optional: a version-1 event has none of them, and a generator may not know them all).
 */
export interface GenerationFacts {
  readonly physicalForm?: PhysicalForm;
  /** 包装方式, free text (铁桶, 吨袋 …). */
  readonly packagingType?: string;
  readonly packageCount?: number;
  readonly containerVolume?: ContainerVolume;
  /** 危险特性, from the catalogue's `hazard` column for the code (when the code is listed there). */
  readonly hazards?: readonly HazardCharacteristic[];
  readonly mainComponents?: string;
  readonly hazardousComponents?: string;
  readonly precautions?: string;
  /** The generating facility's code (产生设施编码). */
  readonly facilityCode?: string;
}

/** 产生: a generator records a new batch. */
export interface WasteGeneratedData extends BatchKind, EventTime, GenerationFacts {
  readonly traceCode: string;
  readonly generatorUscc: string;
  /** The generator's district: the origin of every gram of the batch. */
  readonly districtCode: string;
  readonly description?: string;
  readonly massGrams: number;
  readonly composition: Composition;
  /**
   * Version 3 (issue 14, HJ 1259 table 1 产生部门经办人): the person who handled the generation, as a
   * reference to an erasable record (ADR 14: the name and phone are never in an event). Absent before v3.
   */
  readonly handlerPersonId?: string;
}

export interface SplitChild {
  readonly traceCode: string;
  readonly childIndex: number;
  readonly massGrams: number;
  readonly composition: Composition;
}

/** On the parent: children split off; the remainder stays in the parent. */
export interface BatchSplitData extends EventTime {
  readonly traceCode: string;
  readonly actorUscc: string;
  readonly children: readonly SplitChild[];
  readonly remainingGrams: number;
}

/** Creation of a child stream by a split. */
export interface BatchSplitOffData extends BatchKind, EventTime {
  readonly traceCode: string;
  readonly parentTraceCode: string;
  readonly childIndex: number;
  readonly custodianUscc: string;
  readonly massGrams: number;
  readonly composition: Composition;
  /** Storage age inherited from the parent. */
  readonly storageSince?: string;
}

/** Creation of a consolidated batch (小箱进大箱): n inputs of one category (and one HW code) → 1. */
export interface BatchesConsolidatedData extends BatchKind, EventTime {
  readonly traceCode: string;
  readonly custodianUscc: string;
  /** Sorted by trace code. */
  readonly inputs: readonly { readonly traceCode: string; readonly massGrams: number }[];
  readonly massGrams: number;
  /** The mass-weighted mix of the inputs' compositions (exact sum of what was taken from each). */
  readonly composition: Composition;
  /** The oldest storage start among the inputs. */
  readonly storageSince?: string;
}

/** On each input of a consolidation: the mass (and its composition) taken into the new batch. */
export interface BatchConsolidatedIntoData extends EventTime {
  readonly traceCode: string;
  readonly intoTraceCode: string;
  readonly actorUscc: string;
  readonly massGrams: number;
  readonly composition: Composition;
  readonly remainingGrams: number;
}

/** The batch was put on a manifest: locked (no split, consolidation, treatment, correction, other manifest). */
export interface BatchConsignedData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly massGrams: number;
}

/** The manifest was cancelled before pickup: the lock is released. */
export interface BatchConsignmentReleasedData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly reason: string;
}

/**
 * Picked up: in transit. The carrier holds the batch physically; legal custody stays with the shipper
 * until the receiver accepts it (or it returns).
 */
export interface BatchShippedData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly vehiclePlate: string;
  readonly massGrams: number;
}

/**
 * 联运交接: the manifest it travels on passed from one carrier to the next (ManifestHandedOver). The batch
 * stays in transit with the whole of its mass (nothing is weighed or lost at a hand-over); the next carrier
 * holds it physically, legal custody stays with the shipper.
 */
export interface BatchHandedOverData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly fromCarrierUscc: string;
  readonly carrierUscc: string;
  readonly vehiclePlate: string;
  readonly place: string;
  /** The leg that starts here (2 for the first hand-over). */
  readonly leg: number;
  readonly massGrams: number;
}

/** shipped − received: lost in transit, with the composition lost. */
export interface BatchLostInTransitData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly lostGrams: number;
  readonly composition: Composition;
  readonly remainingGrams: number;
}

/** Partial rejection, on the parent: the rejected mass leaves as a child back in the shipper's custody. */
export interface BatchRejectionSplitOffData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly childTraceCode: string;
  readonly childIndex: number;
  readonly massGrams: number;
  readonly composition: Composition;
  readonly reason: string;
  readonly remainingGrams: number;
}

/** Partial rejection, creation of the child stream: held by the shipper. */
export interface BatchReturnedFromRejectionData extends BatchKind, EventTime {
  readonly traceCode: string;
  readonly parentTraceCode: string;
  readonly childIndex: number;
  readonly manifestNo: string;
  readonly custodianUscc: string;
  readonly massGrams: number;
  readonly composition: Composition;
  readonly reason: string;
  readonly storageSince?: string;
}

/** Accepted by the receiver: custody passes to it and storage age starts. */
export interface BatchReceivedData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly receiverUscc: string;
  readonly previousCustodianUscc: string;
  readonly massGrams: number;
}

/** Fully rejected: the batch itself returns to the shipper's custody. */
export interface BatchReturnedToShipperData extends EventTime {
  readonly traceCode: string;
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly massGrams: number;
  readonly reason: string;
}

/** 利用 / 处置: treatment by the custodian (WasteUtilised for utilisation modes, WasteDisposed otherwise). */
export interface WasteTreatedData extends EventTime {
  readonly traceCode: string;
  readonly custodianUscc: string;
  readonly operation: TreatmentOperation;
  readonly mode: TreatmentMode;
  readonly massGrams: number;
  /** Grams per origin consumed. */
  readonly composition: Composition;
  /** The permit it was done under (hazardous waste). */
  readonly permitNo?: string;
  readonly remainingGrams: number;
  /**
   * Version 2: the permit it relied on, valid at `occurredAt`, had lapsed (revoked or expired) by the time it
   * was recorded (permits are judged twice, DESIGN §2): the record is a late entry with an
   * `after_revocation` alert.
   */
  readonly permitLapse?: PermitLapse;
  /**
   * Version 3 (issue 14): the custodian's registered facility (自行利用/处置设施, FacilityRegistered) that
   * treated it — named in the command or, when only one covers the operation at `occurredAt`, that one.
   * Absent on older versions and when the custodian (a receiver) has no registered facility covering it.
   */
  readonly facilityCode?: string;
  /**
   * Version 4 (issue 14, HJ 1259 table 4 自行利用/处置部门经办人): the person who handled the treatment, by
   * reference to an erasable record (ADR 14). Absent before v4.
   */
  readonly handlerPersonId?: string;
}

/** A permit relied on at `occurredAt` that had lapsed by the time of recording. */
export interface PermitLapse {
  readonly permitNo: string;
  readonly how: 'revoked' | 'expired';
  /** When it stopped being valid (the revocation's time, or the end of its validity). */
  readonly lapsedAt: string;
  /** The time of recording it was judged at. */
  readonly recordedAt: string;
}

export const PERMIT_LAPSE_SHAPE = record<PermitLapse>({
  permitNo: text,
  how: oneOf(['revoked', 'expired'] as const),
  lapsedAt: text,
  recordedAt: text,
});

/** An approval as version 1 of MassCorrected recorded it: free text written by the requester, never checked. */
export interface CorrectionApproval {
  /** Who the requester said approved: any text. */
  readonly approverId: string;
  readonly role: string;
  readonly approvedAt: string;
}

/**
 * A compensating correction of the held mass (never an edit in place). `deltaGrams` is signed;
 * `composition` holds the magnitudes per origin of what was added (delta > 0, proportionally to the
 * existing origins) or removed (delta < 0).
 *
 * Version 2 (ADR 0018): written only with the MassCorrectionApproved of a request — `requestId` and
 * `approvedBy` (the token's party or regulator). A version 1 event (the requester's own free-text
 * `approvals`) is upcast to `legacyApprovals`, kept as recorded and marked for what it is; its mass still
 * folds exactly as it did.
 */
export interface MassCorrectedData extends EventTime {
  readonly traceCode: string;
  /** The custodian whose held mass changed (the requester). */
  readonly actorUscc: string;
  readonly deltaGrams: number;
  readonly reason: string;
  /** v2: the request this applies. */
  readonly requestId?: string;
  /** v2: who approved it. */
  readonly approvedBy?: CorrectionDecider;
  /** v1 only: the approvals the requester wrote itself (sorted by approverId), never trusted. */
  readonly legacyApprovals?: readonly CorrectionApproval[];
  readonly composition: Composition;
  readonly massGramsAfter: number;
}

/** MassCorrected v1 → v2: the free-text `approvals` become `legacyApprovals`; nothing else changes. */
export function massCorrectedV1ToV2(data: { readonly [key: string]: unknown }): {
  readonly [key: string]: unknown;
} {
  const { approvals, ...rest } = data;
  return { ...rest, legacyApprovals: approvals ?? [] };
}

export type WasteGenerated = DomainEventOf<'WasteGenerated', WasteGeneratedData, 3>;
export type BatchSplit = DomainEventOf<'BatchSplit', BatchSplitData>;
export type BatchSplitOff = DomainEventOf<'BatchSplitOff', BatchSplitOffData>;
export type BatchesConsolidated = DomainEventOf<'BatchesConsolidated', BatchesConsolidatedData>;
export type BatchConsolidatedInto = DomainEventOf<'BatchConsolidatedInto', BatchConsolidatedIntoData>;
export type BatchConsigned = DomainEventOf<'BatchConsigned', BatchConsignedData>;
export type BatchConsignmentReleased = DomainEventOf<
  'BatchConsignmentReleased',
  BatchConsignmentReleasedData
>;
export type BatchShipped = DomainEventOf<'BatchShipped', BatchShippedData>;
export type BatchHandedOver = DomainEventOf<'BatchHandedOver', BatchHandedOverData>;
export type BatchLostInTransit = DomainEventOf<'BatchLostInTransit', BatchLostInTransitData>;
export type BatchRejectionSplitOff = DomainEventOf<'BatchRejectionSplitOff', BatchRejectionSplitOffData>;
export type BatchReturnedFromRejection = DomainEventOf<
  'BatchReturnedFromRejection',
  BatchReturnedFromRejectionData
>;
export type BatchReceived = DomainEventOf<'BatchReceived', BatchReceivedData>;
export type BatchReturnedToShipper = DomainEventOf<'BatchReturnedToShipper', BatchReturnedToShipperData>;
/**
 * Version 2 (ADR 0009): `permitLapse`; version 3 (issue 14): `facilityCode`. An older event never had them
 * (its upcasters are the identity).
 */
export type WasteUtilised = DomainEventOf<'WasteUtilised', WasteTreatedData, 4>;
export type WasteDisposed = DomainEventOf<'WasteDisposed', WasteTreatedData, 4>;
/** Version 2 (ADR 0018): `requestId`, `approvedBy`; v1's `approvals` upcast to `legacyApprovals`. */
export type MassCorrected = DomainEventOf<'MassCorrected', MassCorrectedData, 2>;
export type MassCorrectionRequested = DomainEventOf<'MassCorrectionRequested', MassCorrectionRequestedData>;
export type MassCorrectionApproved = DomainEventOf<'MassCorrectionApproved', MassCorrectionApprovedData>;
export type MassCorrectionRejected = DomainEventOf<'MassCorrectionRejected', MassCorrectionRejectedData>;

export type BatchEvent =
  | WasteGenerated
  | BatchSplit
  | BatchSplitOff
  | BatchesConsolidated
  | BatchConsolidatedInto
  | BatchConsigned
  | BatchConsignmentReleased
  | BatchShipped
  | BatchHandedOver
  | BatchLostInTransit
  | BatchRejectionSplitOff
  | BatchReturnedFromRejection
  | BatchReceived
  | BatchReturnedToShipper
  | WasteUtilised
  | WasteDisposed
  | MassCorrected
  | MassCorrectionRequested
  | MassCorrectionApproved
  | MassCorrectionRejected;

export type BatchEventType = BatchEvent['type'];

const category = oneOf(WASTE_CATEGORIES);
const subtype = optional(oneOf(ALL_SUBTYPES));
const composition = list(
  record<OriginShare>({
    districtCode: text,
    category,
    subtype,
    wasteCode: optional(text),
    generatedMonth: text,
    grams: whole,
  }),
);
const batchKind: Fields<BatchKind> = {
  category,
  subtype,
  wasteCode: optional(text),
  catalogueEdition: optional(text),
};
const wasteTreated = record<WasteTreatedData>({
  traceCode: text,
  custodianUscc: text,
  operation: oneOf(TREATMENT_OPERATIONS),
  mode: oneOf(TREATMENT_MODES),
  massGrams: whole,
  composition,
  permitNo: optional(text),
  remainingGrams: whole,
  permitLapse: optional(PERMIT_LAPSE_SHAPE),
  facilityCode: optional(text),
  handlerPersonId: optional(text),
  ...eventTime,
});

const generationFacts: Fields<GenerationFacts> = {
  physicalForm: optional(oneOf(PHYSICAL_FORMS)),
  packagingType: optional(text),
  packageCount: optional(whole),
  containerVolume: optional(oneOf(CONTAINER_VOLUMES)),
  hazards: optional(list(oneOf(HAZARD_CHARACTERISTICS))),
  mainComponents: optional(text),
  hazardousComponents: optional(text),
  precautions: optional(text),
  facilityCode: optional(text),
};

/** The shapes of the data (checked when a stored event is decoded; exactly the interfaces above). */
export const BATCH_EVENT_SHAPES = {
  WasteGenerated: record<WasteGeneratedData>({
    traceCode: text,
    generatorUscc: text,
    districtCode: text,
    description: optional(text),
    massGrams: whole,
    composition,
    handlerPersonId: optional(text),
    ...batchKind,
    ...generationFacts,
    ...eventTime,
  }),
  BatchSplit: record<BatchSplitData>({
    traceCode: text,
    actorUscc: text,
    children: list(record<SplitChild>({ traceCode: text, childIndex: whole, massGrams: whole, composition })),
    remainingGrams: whole,
    ...eventTime,
  }),
  BatchSplitOff: record<BatchSplitOffData>({
    traceCode: text,
    parentTraceCode: text,
    childIndex: whole,
    custodianUscc: text,
    massGrams: whole,
    composition,
    storageSince: optional(text),
    ...batchKind,
    ...eventTime,
  }),
  BatchesConsolidated: record<BatchesConsolidatedData>({
    traceCode: text,
    custodianUscc: text,
    inputs: list(record({ traceCode: text, massGrams: whole })),
    massGrams: whole,
    composition,
    storageSince: optional(text),
    ...batchKind,
    ...eventTime,
  }),
  BatchConsolidatedInto: record<BatchConsolidatedIntoData>({
    traceCode: text,
    intoTraceCode: text,
    actorUscc: text,
    massGrams: whole,
    composition,
    remainingGrams: whole,
    ...eventTime,
  }),
  BatchConsigned: record<BatchConsignedData>({
    traceCode: text,
    manifestNo: text,
    shipperUscc: text,
    carrierUscc: text,
    receiverUscc: text,
    massGrams: whole,
    ...eventTime,
  }),
  BatchConsignmentReleased: record<BatchConsignmentReleasedData>({
    traceCode: text,
    manifestNo: text,
    reason: text,
    ...eventTime,
  }),
  BatchShipped: record<BatchShippedData>({
    traceCode: text,
    manifestNo: text,
    shipperUscc: text,
    carrierUscc: text,
    vehiclePlate: text,
    massGrams: whole,
    ...eventTime,
  }),
  BatchHandedOver: record<BatchHandedOverData>({
    traceCode: text,
    manifestNo: text,
    fromCarrierUscc: text,
    carrierUscc: text,
    vehiclePlate: text,
    place: text,
    leg: whole,
    massGrams: whole,
    ...eventTime,
  }),
  BatchLostInTransit: record<BatchLostInTransitData>({
    traceCode: text,
    manifestNo: text,
    lostGrams: whole,
    composition,
    remainingGrams: whole,
    ...eventTime,
  }),
  BatchRejectionSplitOff: record<BatchRejectionSplitOffData>({
    traceCode: text,
    manifestNo: text,
    childTraceCode: text,
    childIndex: whole,
    massGrams: whole,
    composition,
    reason: text,
    remainingGrams: whole,
    ...eventTime,
  }),
  BatchReturnedFromRejection: record<BatchReturnedFromRejectionData>({
    traceCode: text,
    parentTraceCode: text,
    childIndex: whole,
    manifestNo: text,
    custodianUscc: text,
    massGrams: whole,
    composition,
    reason: text,
    storageSince: optional(text),
    ...batchKind,
    ...eventTime,
  }),
  BatchReceived: record<BatchReceivedData>({
    traceCode: text,
    manifestNo: text,
    receiverUscc: text,
    previousCustodianUscc: text,
    massGrams: whole,
    ...eventTime,
  }),
  BatchReturnedToShipper: record<BatchReturnedToShipperData>({
    traceCode: text,
    manifestNo: text,
    shipperUscc: text,
    massGrams: whole,
    reason: text,
    ...eventTime,
  }),
  WasteUtilised: wasteTreated,
  WasteDisposed: wasteTreated,
  MassCorrected: record<MassCorrectedData>({
    traceCode: text,
    actorUscc: text,
    deltaGrams: signedWhole,
    reason: text,
    requestId: optional(text),
    approvedBy: optional(CORRECTION_DECIDER_SHAPE),
    legacyApprovals: optional(
      list(record<CorrectionApproval>({ approverId: text, role: text, approvedAt: text })),
    ),
    composition,
    massGramsAfter: whole,
    ...eventTime,
  }),
  ...CORRECTION_EVENT_SHAPES,
};

/** The events of one batch stream in a multi-stream result; `isNew` streams must not exist yet (append with `no_stream`). */
export interface BatchStreamEvents {
  readonly traceCode: string;
  readonly isNew: boolean;
  readonly events: readonly BatchEvent[];
}
