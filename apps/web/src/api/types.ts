/** The API's answers the console reads (DESIGN §4; the OpenAPI description at /docs has them all). */
export interface Permit {
  permitNo: string;
  wasteCodes: string[];
  hwCategories: string[];
  operations: string[];
  annualCapacityKg: number;
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
  /** Accepted hazardous mass drawn by receipts, per permit year (from `yearStart`), oldest first. */
  capacityUsed?: { yearStart: string; usedKg: number; remainingKg: number }[];
}

/** An own treatment facility (自行利用/处置设施) registered by a regulator. */
export interface Facility {
  facilityCode: string;
  operations: string[];
  validFrom: string;
  validTo: string;
  registeredAt: string;
}

export interface Party {
  uscc: string;
  name: string;
  roles: string[];
  districtCode: string;
  registeredAt: string;
  permits: Permit[];
  facilities: Facility[];
}

export type WhoAmI =
  | { kind: 'admin' | 'auditor'; tokenId: string }
  | { kind: 'party'; tokenId: string; party: Party | null }
  | { kind: 'regulator'; tokenId: string; regions: string[]; categories: string[] };

export interface Target {
  indicator: string;
  target: number;
  value: number | null;
  met: boolean | null;
}

export interface Indicators {
  region: string;
  category: string | null;
  from: string;
  to: string;
  generatedKg: number;
  utilisedKg: number;
  landfilledKg: number;
  incineratedKg: number;
  otherDisposedKg: number;
  disposedKg: number;
  utilisedFromPriorStockKg: number;
  treatedFromPriorStockKg: number;
  utilisationRate: number | null;
  landfillRate: number | null;
  treatedRate: number | null;
  targets: Target[];
  position: string;
}

export interface InventoryBatch {
  traceCode: string;
  holderUscc: string;
  holderName: string | null;
  districtCode: string | null;
  category: string;
  subtype: string | null;
  wasteCode: string | null;
  massKg: number;
  heldKg: number;
  inTransitKg: number;
  status: string;
  manifest: { manifestNo: string; carrierUscc: string | null; receiverUscc: string | null } | null;
  heldSince: string;
  storageSince: string | null;
  storageAgeDays: number;
}

export interface InventoryAnswer {
  summary: { heldKg: number; inTransitKg: number; batches: number };
  batches: InventoryBatch[];
  page: number;
  pageSize: number;
  total: number;
  position: string;
}

export interface ManifestParty {
  uscc: string;
  name?: string | null;
  districtCode?: string | null;
}

export interface ManifestLine {
  traceCode: string;
  category: string;
  subtype?: string;
  wasteCode?: string;
  shippedKg: number;
  receivedKg?: number;
  acceptedKg?: number;
  rejectedKg?: number;
  lostKg?: number;
  outcome?: string;
  reason?: string;
  discrepancy?: boolean;
}

/** One leg of a manifest's journey (多式联运): leg 1 from pickup, each hand-over starts the next. */
export interface ManifestLeg {
  leg: number;
  carrier: { uscc: string; name: string | null };
  vehiclePlate: string;
  startedAt: string;
  place?: string;
}

/** A person named on a manifest (driver, escort), resolved at read time: 已删除 once erased (ADR 14). */
export interface PersonView {
  personId: string;
  status: 'present' | 'erased' | 'unknown';
  name?: string;
  phone?: string;
}

/** The crew of a leg: GET /v1/manifests/{no} `pickup` (leg 1) and `pickup.legs[n]` (each hand-over's). */
export interface CrewFacts {
  vehicleType?: string;
  transportLicenceNo?: string;
  driver?: PersonView;
  escort?: PersonView;
}

export interface Manifest {
  manifestNo: string;
  /** After the pickup: leg 1's crew, and by leg number each later leg's. */
  pickup?: CrewFacts & { legs?: Record<string, CrewFacts> };
  status: string;
  shipper: ManifestParty;
  carrier: ManifestParty;
  receiver: ManifestParty;
  /** Every leg since pickup; the last one's carrier holds the manifest. */
  legs?: ManifestLeg[];
  currentCarrierUscc?: string;
  hazardous: boolean;
  categories: string[];
  plannedAt: string;
  issuedAt: string;
  pickedUpAt: string | null;
  vehiclePlate: string | null;
  weighedKg: number | null;
  receivedAt: string | null;
  totalKg: number;
  lines?: ManifestLine[];
  lineCount?: number;
  discrepancy: boolean;
  dueAt: string | null;
  overdue: boolean;
  late: boolean;
}

export interface ManifestPage {
  items: Manifest[];
  page: number;
  pageSize: number;
  total: number;
}

export interface Alert {
  id: string;
  kind: string;
  status: string;
  subject: { manifestNo?: string; traceCode?: string };
  parties: { uscc: string; role: string; districtCode: string }[];
  district: string;
  category: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  details: Record<string, unknown>;
  /** Its life (ADR 15): open → acknowledged (a party it names, with a note) → closed (a regulator, with a finding). */
  state: 'open' | 'acknowledged' | 'closed';
  acknowledged: { by: string; role: string; at: string; note: string } | null;
  closed: {
    by: { tokenId: string; districts: string[]; categories: string[] };
    at: string;
    finding: string;
    closedFrom: 'open' | 'acknowledged';
  } | null;
}

export interface TraceStep {
  type: string;
  occurredAt: string;
  actorUscc: string | null;
  massKg: number;
  manifestNo?: string | null;
  vehiclePlate?: string | null;
  operation?: string | null;
  /** A treatment: the registered facility that treated it (WasteUtilised / WasteDisposed v3). */
  facilityCode?: string;
  /** A hand-over (多式联运): where, and the leg it starts. */
  place?: string;
  leg?: number;
  late?: boolean;
}

/** A correction request of a batch (two-party corrections, ADR 0018), as GET /v1/batches/{code} lists it. */
export interface CorrectionRequest {
  requestId: string;
  status: 'pending' | 'approved' | 'rejected' | 'lapsed';
  requestedBy: string;
  deltaKg: number;
  reason: string;
  occurredAt: string;
  recordedAt: string;
  decidedAt?: string;
  decidedBy?: { kind: 'party' | 'regulator'; uscc?: string; tokenId?: string };
  decisionReason?: string;
}

export interface TraceView {
  traceCode: string;
  category: string;
  subtype: string | null;
  wasteCode: string | null;
  origin: { generatorUscc: string; districtCode: string; generatedAt: string };
  generatedKg: number;
  heldKg: number;
  custodianUscc: string;
  status: string;
  parents: string[];
  children: string[];
  steps: TraceStep[];
  corrections: CorrectionRequest[];
  discrepancies: { manifestNo: string; shippedKg: number; receivedKg: number; lostKg: number; toleranceExceeded: boolean }[];
  openManifest: { manifestNo: string } | null;
}

export interface PublicTrace {
  traceCode: string;
  category: string;
  subtype: string | null;
  wasteCode: string | null;
  origin: { districtCode: string; generatedOn: string };
  status: string;
  steps: { type: string; date: string }[];
}

export interface AuditedEvent {
  revision: string;
  position: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
  stateAfter: unknown;
  stateError?: string;
}

export interface StreamHistory {
  stream: string;
  kind: string;
  asOf: string | null;
  events: AuditedEvent[];
  integrity: { verified: boolean; eventsChecked: number; headHash: string | null; firstBreak: unknown };
  position: string;
}

export interface WriteAnswer {
  position: string;
  [field: string]: unknown;
}

/** GET /v1/catalogue: the edition of the hazardous waste list in force on a date (ADR 19). */
export interface CatalogueAnswer {
  readonly edition: string;
  readonly inForceFrom: string;
  readonly editions: readonly { readonly edition: string; readonly inForceFrom: string; readonly codes: number }[];
  readonly entries: readonly { readonly code: string; readonly category: string; readonly hazard: string; readonly name: string }[];
}

/** GET /v1/imports/{id} (and the 202 of POST /v1/imports): an import's progress, then its result per row. */
export interface ImportRow {
  readonly row: number;
  /** 1…5: the 台账 table of the row (imports of several tables). */
  readonly table?: number;
  readonly sourceCode: string;
  readonly status: string;
  readonly traceCode?: string;
  readonly note?: string;
  readonly problem?: { status: number; rule?: string; detail?: string; title?: string };
}

export interface ImportJob {
  readonly importId: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly sha256: string;
  readonly createdAt: string;
  readonly finishedAt?: string;
  /** Rows of the file. */
  readonly rows: number;
  readonly applied: number;
  readonly alreadyApplied: number;
  /** Rows of acts the ledger already holds (tables 2–5), and those still waiting for the other party. */
  readonly matched?: number;
  readonly unmatched?: number;
  readonly refused: number;
  readonly pending: number;
  readonly failure?: string;
  /** The first refused rows, each with its problem document. */
  readonly refusedRows: readonly ImportRow[];
  /** Its per-row report as a sheet. */
  readonly report: string;
}

/** POST /v1/imports?dryRun=true: what would be imported. */
export interface ImportDryRun {
  readonly dryRun: true;
  readonly sha256: string;
  readonly rows: number;
}

/** A webhook subscription (GET /v1/webhooks): never its secret, which the creation answers once. */
export interface Webhook {
  webhookId: string;
  url: string;
  /** null: every event type. */
  eventTypes: string[] | null;
  status: 'active' | 'paused';
  pausedReason?: string | null;
  /** Everything up to this position is delivered. */
  checkpoint: string;
  failures: number;
  failingSince: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** POST /v1/webhooks: the subscription and its signing secret (whsec_…), shown this once. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** One delivery attempt (GET /v1/webhooks/{id}/deliveries, newest first). */
export interface DeliveryAttempt {
  id: string;
  webhookId: string;
  eventId: string;
  position: string;
  at: string;
  /** The receiver's HTTP status; null when none came (timeout, refused, connection error). */
  status: number | null;
  latencyMs: number;
  ok: boolean;
  error: string | null;
  kind: 'delivery' | 'redelivery';
}
