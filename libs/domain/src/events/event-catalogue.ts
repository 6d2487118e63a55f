import { ALERT_EVENT_SHAPES, type AlertEvent, type AlertEventType } from '../alert/alert.events';
import {
  BATCH_EVENT_SHAPES,
  massCorrectedV1ToV2,
  type BatchEvent,
  type BatchEventType,
} from '../batch/batch.events';
import {
  MANIFEST_EVENT_SHAPES,
  pickedUpV1ToV2,
  receivedV1ToV2,
  type ManifestEvent,
  type ManifestEventType,
} from '../manifest/manifest.events';
import { PARTY_EVENT_SHAPES, type PartyEvent, type PartyEventType } from '../party/party.events';
import {
  TRANSFER_APPROVAL_EVENT_SHAPES,
  type TransferApprovalEvent,
  type TransferApprovalEventType,
} from '../transfer/transfer-approval.events';
import { streamName, type AggregateKind } from '../streams';
import type {
  AggregateOf,
  DomainEvent,
  DomainEventType,
  EventData,
  EventOfType,
  Upcaster,
} from './domain-event';
import type { Shape } from './shape';

/**
 * The catalogue of events: one entry per event type, the one place that says what an event is —
 *  - `aggregate` and `id`: whose event it is (the union it belongs to, checked) and which instance;
 *    `stream`: the stream it is recorded in, a function of its data;
 *  - `creates`: it opens its stream (the first event of every stream is one of these);
 *  - `version`: the current schema version of its data (what `domainEvent` writes, what decoding
 *    upcasts to), equal to the version in its type; `upcasters`: the step from every older version
 *    (v → v + 1), required by the type for 1 … version − 1;
 *  - `data`: the shape of its data, checked on decoding (exactly its data interface, checked);
 *  - `consequenceOf`: written with, or because of, another event (a split child, a consolidation input,
 *    the batch side of a manifest step), never on its own by a command.
 *
 * The mapped type makes a missing, extra or mistyped entry a compile error. Every list of event types
 * (per aggregate, creations, commands), `streamOf`, the versions, the upcasters and the decoder
 * (decode-event.ts) are derived from this table. Adding an event: its data interface, shape and union
 * member in `<aggregate>/<aggregate>.events.ts`, and one entry here; the compiler then names every
 * `switch` that must handle it.
 */
export type StoredShape = { readonly type: string; readonly schemaVersion: number; readonly data: object };

/** 1 … V − 1: the versions an upcaster chain to V starts from (none for V = 1). */
type VersionsBefore<V extends number, Seen extends unknown[] = [unknown]> = Seen['length'] extends V
  ? never
  : Seen['length'] | VersionsBefore<V, [...Seen, unknown]>;

/** One upcaster per older version, from version 1 up to the current one. */
export type UpcasterChain<V extends number> = { readonly [From in VersionsBefore<V>]: Upcaster };

export interface CatalogueEntry<E extends StoredShape, A extends string = string, T extends string = string> {
  readonly aggregate: A;
  readonly id: (data: E['data']) => string;
  readonly stream: (data: E['data']) => string;
  readonly creates: boolean;
  readonly version: E['schemaVersion'];
  readonly upcasters: UpcasterChain<E['schemaVersion']>;
  readonly data: Shape<E['data']>;
  readonly consequenceOf?: T;
}

/** The catalogue a union of events needs: exactly one entry per type. */
export type CatalogueOf<U extends StoredShape> = {
  readonly [T in U['type']]: CatalogueEntry<
    Extract<U, { readonly type: T }>,
    AggregateOf<Extract<U, { type: T }>>,
    U['type']
  >;
};

function onStream<A extends AggregateKind, D>(aggregate: A, id: (data: D) => string) {
  return { aggregate, id, stream: (data: D) => streamName(aggregate, id(data)) };
}
const party = onStream('party', (d: { readonly uscc: string }) => d.uscc);
const batch = onStream('batch', (d: { readonly traceCode: string }) => d.traceCode);
const manifest = onStream('manifest', (d: { readonly manifestNo: string }) => d.manifestNo);
const alert = onStream('alert', (d: { readonly alertId: string }) => d.alertId);
const transferApproval = onStream('transferApproval', (d: { readonly approvalNo: string }) => d.approvalNo);
const v1 = { version: 1, upcasters: {} } as const;
/** The upcaster of a version that only added an optional field: the older data is already valid. */
const sameData = (data: EventData): EventData => data;
const P = PARTY_EVENT_SHAPES;
const B = BATCH_EVENT_SHAPES;
const M = MANIFEST_EVENT_SHAPES;
const A = ALERT_EVENT_SHAPES;
const T = TRANSFER_APPROVAL_EVENT_SHAPES;

export const EVENT_CATALOGUE = {
  // v2 (issue 14): the unit's address and emergency phone, optional; a v1 event is a v2 without them
  // v3 (issue 14): the contact person as a reference to an erasable record (ADR 14); v2 had none
  PartyRegistered: {
    ...party,
    creates: true,
    version: 3,
    upcasters: { 1: (data) => data, 2: sameData },
    data: P.PartyRegistered,
  },
  PermitGranted: { ...party, creates: false, ...v1, data: P.PermitGranted },
  PermitRevoked: { ...party, creates: false, ...v1, data: P.PermitRevoked },
  PermitCapacityDrawn: {
    ...party,
    creates: false,
    ...v1,
    data: P.PermitCapacityDrawn,
    consequenceOf: 'ManifestReceived',
  },
  FacilityRegistered: { ...party, creates: false, ...v1, data: P.FacilityRegistered },

  // v2 (issue 14): the generation facts the documents need, all optional; a v1 event is a v2 without them
  // v3 (issue 14): the handler (产生部门经办人) as a reference to an erasable record (ADR 14); v2 had none
  WasteGenerated: {
    ...batch,
    creates: true,
    version: 3,
    upcasters: { 1: (data) => data, 2: sameData },
    data: B.WasteGenerated,
  },
  BatchSplit: { ...batch, creates: false, ...v1, data: B.BatchSplit },
  BatchSplitOff: { ...batch, creates: true, ...v1, data: B.BatchSplitOff, consequenceOf: 'BatchSplit' },
  BatchesConsolidated: { ...batch, creates: true, ...v1, data: B.BatchesConsolidated },
  BatchConsolidatedInto: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchConsolidatedInto,
    consequenceOf: 'BatchesConsolidated',
  },
  BatchConsigned: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchConsigned,
    consequenceOf: 'ManifestIssued',
  },
  BatchConsignmentReleased: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchConsignmentReleased,
    consequenceOf: 'ManifestCancelled',
  },
  BatchShipped: { ...batch, creates: false, ...v1, data: B.BatchShipped, consequenceOf: 'ManifestPickedUp' },
  BatchHandedOver: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchHandedOver,
    consequenceOf: 'ManifestHandedOver',
  },
  BatchLostInTransit: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchLostInTransit,
    consequenceOf: 'ManifestReceived',
  },
  BatchRejectionSplitOff: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchRejectionSplitOff,
    consequenceOf: 'ManifestReceived',
  },
  BatchReturnedFromRejection: {
    ...batch,
    creates: true,
    ...v1,
    data: B.BatchReturnedFromRejection,
    consequenceOf: 'ManifestReceived',
  },
  BatchReceived: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchReceived,
    consequenceOf: 'ManifestReceived',
  },
  BatchReturnedToShipper: {
    ...batch,
    creates: false,
    ...v1,
    data: B.BatchReturnedToShipper,
    consequenceOf: 'ManifestReceived',
  },
  // v2: `permitLapse`, a permit judged twice (ADR 0009); v1 had none, so v1 → v2 keeps the data as it is
  // v3 (issue 14): `facilityCode`, the registered facility that treated it (HJ 1259 table 4); v2 had none
  // v4 (issue 14): the handler (自行利用/处置部门经办人) as a person reference (ADR 14); v3 had none
  WasteUtilised: {
    ...batch,
    creates: false,
    version: 4,
    upcasters: { 1: sameData, 2: sameData, 3: sameData },
    data: B.WasteUtilised,
  },
  WasteDisposed: {
    ...batch,
    creates: false,
    version: 4,
    upcasters: { 1: sameData, 2: sameData, 3: sameData },
    data: B.WasteDisposed,
  },
  // v2 (ADR 0018): written with a MassCorrectionApproved (`requestId`, `approvedBy`); v1 carried the
  // requester's own free-text `approvals`, upcast to `legacyApprovals` (kept, never trusted). It stays a
  // command's own event (not a consequence), as v1 was: the read side treats old and new alike
  MassCorrected: {
    ...batch,
    creates: false,
    version: 2,
    upcasters: { 1: massCorrectedV1ToV2 },
    data: B.MassCorrected,
  },
  // Two-party corrections (issue 10 row 4, ADR 0018): a custodian's request, decided by a party with
  // standing (the counterparty of the last transfer, or a regulator in scope); only an approval moves mass
  MassCorrectionRequested: { ...batch, creates: false, ...v1, data: B.MassCorrectionRequested },
  MassCorrectionApproved: { ...batch, creates: false, ...v1, data: B.MassCorrectionApproved },
  MassCorrectionRejected: { ...batch, creates: false, ...v1, data: B.MassCorrectionRejected },

  // v2: `permitLapse`, the receiver's permit judged twice (ADR 0009); v1 had none
  // v3: `paper`, a paper manifest back-filled after an outage (issue 16 item 6); v2 had none
  // v4: `transferApprovalNo`, the cross-province transfer approval (issue 16 item 4); v3 had none
  ManifestIssued: {
    ...manifest,
    creates: true,
    version: 4,
    upcasters: { 1: sameData, 2: sameData, 3: sameData },
    data: M.ManifestIssued,
  },
  // v2: the weighing at pickup judged per line and in total; v2: a receipt line of 0 kg is `lost` (ADR 0009)
  // v3 (issue 14): the driver and escort (references to erasable records, ADR 14), the vehicle type and the
  // carrier's transport licence number, all optional; v2 had none
  ManifestPickedUp: {
    ...manifest,
    creates: false,
    version: 3,
    upcasters: { 1: pickedUpV1ToV2, 2: sameData },
    data: M.ManifestPickedUp,
  },
  // 多式联运 (issue 16 item 5): the carrier in transit hands the manifest to the next carrier
  // v2 (issue 14): the next leg's crew (driver, escort as person references; vehicle type; licence); v1 had none
  ManifestHandedOver: {
    ...manifest,
    creates: false,
    version: 2,
    upcasters: { 1: sameData },
    data: M.ManifestHandedOver,
  },
  ManifestReceived: {
    ...manifest,
    creates: false,
    // v3: `permitLapse` (ADR 0009); v2 had none
    // v4: a partial rejection's `returnTraceCode` (issue 10 row 7: bounded child codes); v3 had none, and
    // its child's code is re-derived the legacy way (`legacyChildTraceCode`)
    // v5 (issue 14): the receiver's handler (经办人) as a person reference (ADR 14); v4 had none
    version: 5,
    upcasters: { 1: receivedV1ToV2, 2: sameData, 3: sameData, 4: sameData },
    data: M.ManifestReceived,
  },
  ManifestCancelled: { ...manifest, creates: false, ...v1, data: M.ManifestCancelled },

  // The lifecycle of a derived alert (issue 16 item 7, ADR 0015). No event opens an alert stream (the alert
  // is raised by the alerts projection, not recorded): its first event is whichever step came first, an
  // acknowledgement or a closure straight from open, so neither is a creation.
  AlertAcknowledged: { ...alert, creates: false, ...v1, data: A.AlertAcknowledged },
  AlertClosed: { ...alert, creates: false, ...v1, data: A.AlertClosed },

  // Cross-province transfer approvals (跨省转移, issue 16 item 4): granted by the sending province's
  // regulator, drawn on by the receipts of the manifests that name it (in the receipt's commit)
  TransferApprovalGranted: { ...transferApproval, creates: true, ...v1, data: T.TransferApprovalGranted },
  TransferApprovalDrawn: {
    ...transferApproval,
    creates: false,
    ...v1,
    data: T.TransferApprovalDrawn,
    consequenceOf: 'ManifestReceived',
  },
} satisfies CatalogueOf<DomainEvent>;

/** Any entry, for code that reads the table without knowing the type. */
export interface AnyCatalogueEntry {
  readonly aggregate: AggregateKind;
  readonly id: (data: never) => string;
  readonly stream: (data: never) => string;
  readonly creates: boolean;
  readonly version: number;
  readonly upcasters: { readonly [fromVersion: number]: Upcaster };
  readonly data: Pick<Shape<unknown>, 'check'>;
  readonly consequenceOf?: DomainEventType;
}

/** The entry of a type (typed), or of any stored type name (undefined when it is not one of ours). */
export function entryOf<T extends DomainEventType>(type: T): CatalogueOf<DomainEvent>[T];
export function entryOf(type: string): AnyCatalogueEntry | undefined;
export function entryOf(type: string): AnyCatalogueEntry | undefined {
  return Object.hasOwn(EVENT_CATALOGUE, type)
    ? (EVENT_CATALOGUE[type as DomainEventType] as unknown as AnyCatalogueEntry)
    : undefined;
}

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}

/** The types whose entry satisfies `test`, in catalogue order. */
export function eventTypesWhere(
  test: (entry: AnyCatalogueEntry, type: DomainEventType) => boolean,
): DomainEventType[] {
  return DOMAIN_EVENT_TYPES.filter((type) => test(entryOf(type), type));
}

// ------------------------------------------------------------------------------------------------
// derived from the catalogue

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as DomainEventType[];
export const PARTY_EVENT_TYPES = eventTypesWhere((e) => e.aggregate === 'party') as readonly PartyEventType[];
export const BATCH_EVENT_TYPES = eventTypesWhere((e) => e.aggregate === 'batch') as readonly BatchEventType[];
export const MANIFEST_EVENT_TYPES = eventTypesWhere(
  (e) => e.aggregate === 'manifest',
) as readonly ManifestEventType[];
export const ALERT_EVENT_TYPES = eventTypesWhere((e) => e.aggregate === 'alert') as readonly AlertEventType[];
export const TRANSFER_APPROVAL_EVENT_TYPES = eventTypesWhere(
  (e) => e.aggregate === 'transferApproval',
) as readonly TransferApprovalEventType[];
/** Events that create a batch stream (the first event of every `batch-…` stream is one of these). */
export const BATCH_CREATION_EVENT_TYPES = eventTypesWhere(
  (e) => e.aggregate === 'batch' && e.creates,
) as readonly BatchEventType[];
/** The events a command is recorded as (its own fact), as opposed to their consequences on other streams. */
export const COMMAND_EVENT_TYPES: readonly DomainEventType[] = eventTypesWhere(
  (e) => e.consequenceOf === undefined,
);

/** The current schema version of every event type. */
export const EVENT_SCHEMA_VERSIONS = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((type) => [type, entryOf(type).version]),
) as Readonly<Record<DomainEventType, number>>;

/** The types that open their stream (`creates: true`). */
export type CreationType = {
  [T in DomainEventType]: (typeof EVENT_CATALOGUE)[T]['creates'] extends true ? T : never;
}[DomainEventType];
export type CreationEvent = EventOfType<CreationType>;

/** Whether the event opens its stream (the catalogue's `creates`). */
export function isCreation<E extends DomainEvent>(event: E): event is Extract<E, CreationEvent> {
  return entryOf(event.type as DomainEventType).creates;
}

export function aggregateOf(event: DomainEvent): AggregateKind {
  return entryOf(event.type).aggregate;
}

/** The id of the aggregate instance an event is about (a USCC, a trace code, a manifest number). */
export function aggregateIdOf(event: DomainEvent): string {
  return (entryOf(event.type as string)?.id as (data: object) => string)(event.data);
}

/** The stream an event belongs to (every event carries its aggregate's id). */
export function streamOf(event: DomainEvent): string {
  return streamName(aggregateOf(event), aggregateIdOf(event));
}

export function isPartyEvent(event: DomainEvent): event is PartyEvent {
  return aggregateOf(event) === 'party';
}
export function isBatchEvent(event: DomainEvent): event is BatchEvent {
  return aggregateOf(event) === 'batch';
}
export function isManifestEvent(event: DomainEvent): event is ManifestEvent {
  return aggregateOf(event) === 'manifest';
}
export function isAlertEvent(event: DomainEvent): event is AlertEvent {
  return aggregateOf(event) === 'alert';
}
export function isTransferApprovalEvent(event: DomainEvent): event is TransferApprovalEvent {
  return aggregateOf(event) === 'transferApproval';
}

type Versions = { readonly [type: string]: { readonly version: number } };

function build(catalogue: Versions, type: string, data: object): StoredShape {
  return { type, schemaVersion: catalogue[type].version, data };
}

/** A new event of the current version of its type (the catalogue's `version`, never a constant). */
export function domainEvent<T extends DomainEventType>(
  type: T,
  data: EventOfType<T>['data'],
): EventOfType<T> {
  return build(EVENT_CATALOGUE, type, data) as EventOfType<T>;
}

/** `domainEvent` over another table of versions: a test gives one to see a bumped version written. */
export function eventFactory<U extends StoredShape>(catalogue: {
  readonly [T in U['type']]: { readonly version: number };
}) {
  return <T extends U['type']>(type: T, data: Extract<U, { readonly type: T }>['data']) =>
    build(catalogue as Versions, type, data) as Extract<U, { readonly type: T }>;
}
