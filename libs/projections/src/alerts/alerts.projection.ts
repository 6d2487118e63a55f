import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import {
  COMMAND_EVENT_TYPES,
  crossesCapacityWarning,
  entryOf,
  isMedicalWaste,
  medicalStorageDueAt,
  MANIFEST_EVENT_TYPES,
  upcast,
  type DomainEvent,
  type ManifestPickedUpData,
  type WasteCategory,
  workingDaysAfter,
} from '@wasteflow/domain';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import { defineProjection } from '../runner/projection';
import type { KeyCollector, RowAccess } from '../runner/row-access';
import { defineTable, type RowOf } from '../runner/table';
import { delimited, undelimited } from '../query/read-scope';
import { instantMs, manifestDeadlineOf, storageDueAtOf } from '../time-memo';
import type { ReferenceData } from '../reference/reference-data';
import { AlertLifecycleTable1764700000270, alertLifecycles, applyLifecycleStep } from './alert-lifecycle';

/**
 * Alerts (预警) for regulators and parties:
 *
 * - `discrepancy`: a weighing that differs from the shipped mass beyond the tolerance, at either end
 *   (DESIGN §2 "Weighing at both ends"), `details.stage` saying which: `receipt` (a `ManifestReceived` line
 *   with `discrepancy: true`, one alert per line) or `pickup` (`ManifestPickedUp` v2: one alert per weighed
 *   line with `discrepancy: true`, or, when no line was weighed on its own, one for the weighed load);
 *   raised at the time of the weighing.
 * - `overdue_manifest`: picked up and not received by `manifestDeadline(pickedUpAt, calendar)` (the end
 *   of the 5th working day of the official calendar, 危险废物转移管理办法 Art. 18); raised at that deadline,
 *   resolved by the receipt — a late receipt keeps the alert (resolved, `receivedLate: true`), a receipt in
 *   time removes it. When the count runs through a year the calendar does not cover, it counted weekends
 *   only there and `details.uncoveredYears` and `details.calendarNote` say so.
 * - `overdue_storage`: hazardous waste kept in a receiver's storage longer than a year (固废法 Art. 81,
 *   `storageDueAt(storageSince)`); one per stay of a batch in storage; raised at the deadline, resolved
 *   when the batch leaves storage (picked up, or used up: treated, consolidated, split to nothing) — leaving
 *   before the deadline removes it.
 * - `after_revocation`: a record relying on a permit valid at its `occurredAt` that was revoked or had expired
 *   by the time it was recorded (`permitLapse` on the event: permits are judged twice, DESIGN §2); always
 *   with a `late_entry` beside it; raised at the time of recording.
 * - `late_entry`: a movement recorded more than 72 h after it occurred (`late: true` on the event of the
 *   command; the custody events the process manager derives from a manifest event are not counted again).
 *   A paper manifest's steps (ManifestIssued v3 `paper`) are not judged by the 72 h but by the paper
 *   back-fill rule: a pickup entered after the 10th working day after it happened (`details.paper`).
 *
 * Deadlines are stored, never compared with a clock here (evolve stays deterministic): an alert is visible
 * once the query's clock (the app's CLOCK) reaches `raised_at_ms`, so it appears as the ledger's clock
 * passes the deadline, not only when another event arrives. `raised_at_ms` is the first instant the alert
 * holds (for storage that is 1 ms after the deadline: `isStorageOverdue` is strict).
 *
 * - `permit_capacity_warning`: a receipt took a permit's accepted mass in its permit year to 90 % of its
 *   annual capacity (`PermitCapacityDrawn`, 危险废物经营许可证 年经营规模); for the receiver and the
 *   regulators of its district; beyond 100 % the receipt is refused, so there is no later alert.
 *
 * - `overdue_medical_storage`: medical waste (HW01) still held by the generator that produced it more than
 *   48 hours after its generation (医疗废物管理条例 Art. 17, separate from the one-year rule); raised at the
 *   deadline, resolved when the batch leaves the generator (picked up, or used up) — leaving before the
 *   deadline removes it. Batches split or consolidated at the generator start no timer of their own.
 *
 * Discrepancies and late entries have no resolving event in the ledger: they stay open.
 *
 * Besides whether its condition still holds (`resolved_at`), an alert has a life of its own (DESIGN §2
 * "Alerts have a life", ADR 0015): open → acknowledged (AlertAcknowledged, by a party it names, with a note)
 * → closed (AlertClosed, by a regulator in scope, with a finding), recorded on its `alert-<id>` stream.
 * The steps are kept in `alert_lifecycle`, a table of their own keyed by the alert id, so raising an alert
 * never touches them and no step is lost to a row written again; an alert without a row there is open.
 */
export const alerts = defineTable({
  name: 'alert',
  key: ['id'],
  columns: {
    id: 'text',
    /** discrepancy | overdue_manifest | overdue_storage | late_entry */
    kind: 'text',
    manifestNo: { type: 'text', nullable: true },
    traceCode: { type: 'text', nullable: true },
    /** District of the party the alert is first about (the shipper, the holder, the actor). */
    district: 'text',
    /** Every party's district, `,330106,330114,` (prefix-matched for regions). */
    districts: 'text',
    /** `,USCC1,USCC2,` */
    parties: 'text',
    /** `,hazardous,` */
    categories: 'text',
    raisedAt: 'text',
    raisedAtMs: 'bigint',
    resolvedAt: { type: 'text', nullable: true },
    resolvedAtMs: { type: 'bigint', nullable: true },
    details: 'json',
    /** Position of the event that raised it: a stable order among alerts raised at the same instant. */
    raisedBy: 'bigint',
  },
});

export const alertParties = defineTable({
  name: 'alert_party',
  key: ['uscc'],
  columns: { uscc: 'text', districtCode: 'text' },
});

/** Open manifests: what their later events need (parties, line categories). Removed on receipt or cancel. */
export const alertManifests = defineTable({
  name: 'alert_manifest',
  key: ['manifestNo'],
  columns: {
    manifestNo: 'text',
    shipperUscc: 'text',
    carrierUscc: 'text',
    receiverUscc: 'text',
    /** `{ traceCode: category }` */
    lines: 'json',
    categories: 'text',
    /** 1: a paper manifest back-filled after an outage (its pickup may raise a paper late entry). */
    paper: { type: 'integer', nullable: true },
  },
});

/** Live hazardous batches: their storage start (if stored) and the alert of the current stay. Removed when used up. */
export const alertBatches = defineTable({
  name: 'alert_batch',
  key: ['traceCode'],
  columns: {
    traceCode: 'text',
    storageSince: { type: 'text', nullable: true },
    /** The overdue_storage alert of the current stay in storage, if the batch is in storage. */
    stintAlertId: { type: 'text', nullable: true },
    stintFromMs: { type: 'bigint', nullable: true },
  },
});

export type AlertRow = RowOf<typeof alerts>;
export type AlertKind =
  | 'discrepancy'
  | 'overdue_manifest'
  | 'overdue_storage'
  | 'late_entry'
  | 'permit_capacity_warning'
  | 'overdue_medical_storage'
  | 'after_revocation';
export const ALERT_KINDS: readonly AlertKind[] = [
  'discrepancy',
  'overdue_manifest',
  'overdue_storage',
  'late_entry',
  'permit_capacity_warning',
  'overdue_medical_storage',
  'after_revocation',
];

export const ALERTS_PROJECTION = 'alerts';

export class AlertTables1764700000200 implements MigrationInterface {
  readonly name = 'AlertTables1764700000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = isPostgres(queryRunner) ? 'jsonb' : 'TEXT';
    const alert = readModelTable(queryRunner, 'alert');
    await queryRunner.query(
      `CREATE TABLE ${alert} (
         id text PRIMARY KEY,
         kind text NOT NULL,
         manifest_no text,
         trace_code text,
         district text NOT NULL,
         districts text NOT NULL,
         parties text NOT NULL,
         categories text NOT NULL,
         raised_at text NOT NULL,
         raised_at_ms bigint NOT NULL,
         resolved_at text,
         resolved_at_ms bigint,
         details ${json} NOT NULL,
         raised_by bigint NOT NULL
       )`,
    );
    await queryRunner.query(`CREATE INDEX alert_raised ON ${alert} (raised_at_ms, raised_by)`);
    await queryRunner.query(`CREATE INDEX alert_kind_raised ON ${alert} (kind, raised_at_ms)`);
    await queryRunner.query(
      `CREATE TABLE ${readModelTable(queryRunner, 'alert_party')} (uscc text PRIMARY KEY, district_code text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE ${readModelTable(queryRunner, 'alert_manifest')} (
         manifest_no text PRIMARY KEY,
         shipper_uscc text NOT NULL,
         carrier_uscc text NOT NULL,
         receiver_uscc text NOT NULL,
         lines ${json} NOT NULL,
         categories text NOT NULL
       )`,
    );
    await queryRunner.query(
      `CREATE TABLE ${readModelTable(queryRunner, 'alert_batch')} (
         trace_code text PRIMARY KEY,
         storage_since text,
         stint_alert_id text,
         stint_from_ms bigint
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['alert_batch', 'alert_manifest', 'alert_party', 'alert'])
      await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, name)}`);
  }
}

/** Issue 16 item 6: whether an open manifest was run on paper (ManifestIssued v3 `paper`). */
export class AlertManifestPaper1764700000216 implements MigrationInterface {
  readonly name = 'AlertManifestPaper1764700000216';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${readModelTable(queryRunner, 'alert_manifest')} ADD COLUMN paper integer`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${readModelTable(queryRunner, 'alert_manifest')} DROP COLUMN paper`);
  }
}

/** A paper manifest is to be entered within this many working days of its pickup (DESIGN §2). */
export const PAPER_BACKFILL_WORKING_DAYS = 10;

// ---------------------------------------------------------------------------------------------------

interface AlertParty {
  readonly uscc: string;
  readonly role: string;
}

const PARTY_FIELDS = [
  'generatorUscc',
  'actorUscc',
  'custodianUscc',
  'shipperUscc',
  'carrierUscc',
  'receiverUscc',
] as const;

/** The events a command writes itself (the custody events derived from them are not late entries again). */
const COMMAND_EVENTS = new Set<string>(
  COMMAND_EVENT_TYPES.filter((type) => entryOf(type).aggregate !== 'party'),
);

/** Events on an existing manifest. */
const MANIFEST_EVENTS = new Set<string>(MANIFEST_EVENT_TYPES.filter((type) => !entryOf(type).creates));

/** Batch events after which the batch may have left storage or be used up. */
const ENDING_EVENTS = new Set([
  'BatchShipped',
  'BatchSplit',
  'BatchConsolidatedInto',
  'WasteUtilised',
  'WasteDisposed',
  'MassCorrected',
  'BatchLostInTransit',
]);

/** Storage starts with a receipt, or a return to where the batch was stored (and with a part or a mix of stored waste). */
const STARTING_EVENTS = new Set(['BatchReceived', 'BatchReturnedToShipper']);

function notStored(traceCode: string): RowOf<typeof alertBatches> {
  return { traceCode, storageSince: null, stintAlertId: null, stintFromMs: null };
}

function ms(instant: string): bigint {
  return BigInt(instantMs(instant, 'instant'));
}

function remainingOf(data: Record<string, unknown>): number | undefined {
  if (typeof data.remainingGrams === 'number') return data.remainingGrams;
  if (typeof data.massGramsAfter === 'number') return data.massGramsAfter;
  return undefined;
}

function medicalStorageId(traceCode: string): string {
  return `overdue_medical_storage:${traceCode}`;
}

function overdueManifestId(manifestNo: string): string {
  return `overdue_manifest:${manifestNo}`;
}

export function prefetchAlerts(event: RecordedEvent, keys: KeyCollector): void {
  const data = event.data;
  const creates =
    (COMMAND_EVENTS.has(event.type) && data.late === true) ||
    event.type === 'ManifestPickedUp' ||
    event.type === 'PermitCapacityDrawn' ||
    event.type === 'ManifestReceived' ||
    STARTING_EVENTS.has(event.type) ||
    (typeof data.storageSince === 'string' && data.category === 'hazardous');
  if (creates) {
    if (event.type === 'PermitCapacityDrawn' && typeof data.uscc === 'string')
      keys.want(alertParties, { uscc: data.uscc });
    for (const field of PARTY_FIELDS) {
      const uscc = data[field];
      if (typeof uscc === 'string') keys.want(alertParties, { uscc });
    }
  }
  if (MANIFEST_EVENTS.has(event.type) && typeof data.manifestNo === 'string') {
    keys.want(alertManifests, { manifestNo: data.manifestNo });
    if (event.type === 'ManifestReceived' || event.type === 'ManifestHandedOver')
      keys.want(alerts, { id: overdueManifestId(data.manifestNo) });
  }
  if (
    (event.type === 'AlertAcknowledged' || event.type === 'AlertClosed') &&
    typeof data.alertId === 'string'
  )
    keys.want(alertLifecycles, { alertId: data.alertId });
  if (typeof data.traceCode === 'string') {
    const ends = ENDING_EVENTS.has(event.type) && (event.type === 'BatchShipped' || remainingOf(data) === 0);
    if (ends || STARTING_EVENTS.has(event.type)) keys.want(alertBatches, { traceCode: data.traceCode });
    if (ends) keys.want(alerts, { id: medicalStorageId(data.traceCode) });
  }
}

class AlertWriter {
  constructor(
    private readonly rows: RowAccess,
    private readonly recorded: RecordedEvent,
  ) {}

  async districtOf(uscc: string): Promise<string> {
    return (await this.rows.get(alertParties, { uscc }))?.districtCode ?? '';
  }

  async raise(a: {
    id: string;
    kind: AlertKind;
    manifestNo?: string;
    traceCode?: string;
    parties: readonly AlertParty[];
    categories: readonly string[];
    raisedAt: string;
    raisedAtMs?: bigint;
    details: JsonObject;
  }): Promise<void> {
    const parties: JsonObject[] = [];
    for (const p of a.parties)
      parties.push({ uscc: p.uscc, role: p.role, districtCode: await this.districtOf(p.uscc) });
    const districts = [
      ...new Set(parties.map((p) => p.districtCode as string).filter((d) => d !== '')),
    ].sort();
    this.rows.put(alerts, {
      id: a.id,
      kind: a.kind,
      manifestNo: a.manifestNo ?? null,
      traceCode: a.traceCode ?? null,
      district: (parties[0]?.districtCode as string | undefined) ?? '',
      districts: delimited(districts),
      parties: delimited([...new Set(a.parties.map((p) => p.uscc))].sort()),
      categories: delimited([...new Set(a.categories)].sort()),
      raisedAt: a.raisedAt,
      raisedAtMs: a.raisedAtMs ?? ms(a.raisedAt),
      resolvedAt: null,
      resolvedAtMs: null,
      details: { ...a.details, parties },
      raisedBy: this.recorded.position,
    });
  }

  /**
   * Settles an alert with a deadline by the event that ends its condition at `at`: kept as resolved when
   * the deadline had passed by then, removed when it had not (it never held).
   */
  async settle(id: string, at: string, extra: JsonObject): Promise<void> {
    const alert = await this.rows.get(alerts, { id });
    if (!alert || alert.resolvedAt !== null) return;
    const atMs = ms(at);
    if (atMs >= alert.raisedAtMs) {
      this.rows.put(alerts, {
        ...alert,
        resolvedAt: at,
        resolvedAtMs: atMs,
        details: { ...(alert.details as JsonObject), ...extra },
      });
    } else {
      this.rows.delete(alerts, { id });
    }
  }

  async startStorage(
    traceCode: string,
    storageSince: string,
    holderUscc: string,
    startedAt: string,
  ): Promise<void> {
    const id = `overdue_storage:${traceCode}:${ms(startedAt)}`;
    const dueAt = storageDueAtOf(storageSince);
    await this.raise({
      id,
      kind: 'overdue_storage',
      traceCode,
      parties: [{ uscc: holderUscc, role: 'holder' }],
      categories: ['hazardous'],
      raisedAt: dueAt,
      // overdue strictly after the deadline
      raisedAtMs: ms(dueAt) + 1n,
      details: { storageSince, dueAt, holderUscc, inStorageSince: startedAt },
    });
    this.rows.put(alertBatches, { traceCode, storageSince, stintAlertId: id, stintFromMs: ms(startedAt) });
  }

  async endStorage(
    row: Readonly<RowOf<typeof alertBatches>>,
    at: string,
    how: string,
    usedUp: boolean,
  ): Promise<void> {
    if (row.stintAlertId !== null)
      await this.settle(row.stintAlertId, at, { leftStorageAt: at, leftStorageBy: how });
    if (usedUp) this.rows.delete(alertBatches, { traceCode: row.traceCode });
    else if (row.stintAlertId !== null)
      this.rows.put(alertBatches, { ...row, stintAlertId: null, stintFromMs: null });
  }
}

function categoryOfComposition(composition: readonly { category: WasteCategory }[]): string[] {
  return [...new Set(composition.map((s) => s.category))];
}

function recordedAtOf(recorded: RecordedEvent): string {
  const fromMetadata = recorded.metadata.recordedAt;
  return typeof fromMetadata === 'string' ? fromMetadata : recorded.recordedAt.toISOString();
}

/** The subject, the acting party and the categories of a command's event, for a late-entry alert. */
async function lateEntryOf(
  rows: RowAccess,
  event: DomainEvent,
): Promise<
  | {
      manifestNo?: string;
      traceCode?: string;
      actor: AlertParty;
      others?: AlertParty[];
      categories: string[];
    }
  | undefined
> {
  const manifestCategories = async (manifestNo: string) =>
    undelimited((await rows.get(alertManifests, { manifestNo }))?.categories ?? null);
  // a late step of a manifest concerns its three parties; the actor comes first
  const manifestParties = (
    d: { shipperUscc: string; carrierUscc: string; receiverUscc: string },
    actor: string,
  ): AlertParty[] =>
    (
      [
        { uscc: d.shipperUscc, role: 'shipper' },
        { uscc: d.carrierUscc, role: 'carrier' },
        { uscc: d.receiverUscc, role: 'receiver' },
      ] as AlertParty[]
    ).filter((p) => p.role !== actor);
  switch (event.type) {
    case 'WasteGenerated':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.generatorUscc, role: 'generator' },
        categories: [event.data.category],
      };
    case 'BatchSplit':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.actorUscc, role: 'custodian' },
        categories: categoryOfComposition(event.data.children.flatMap((c) => c.composition)),
      };
    case 'BatchesConsolidated':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.custodianUscc, role: 'custodian' },
        categories: [event.data.category],
      };
    case 'WasteUtilised':
    case 'WasteDisposed':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.custodianUscc, role: 'receiver' },
        categories: categoryOfComposition(event.data.composition),
      };
    case 'MassCorrected':
      return {
        traceCode: event.data.traceCode,
        actor: { uscc: event.data.actorUscc, role: 'custodian' },
        categories: categoryOfComposition(event.data.composition),
      };
    case 'ManifestIssued':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.shipperUscc, role: 'shipper' },
        others: manifestParties(event.data, 'shipper'),
        categories: [...new Set(event.data.lines.map((l) => l.category))],
      };
    case 'ManifestPickedUp':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.carrierUscc, role: 'carrier' },
        others: manifestParties(event.data, 'carrier'),
        categories: await manifestCategories(event.data.manifestNo),
      };
    case 'ManifestHandedOver': {
      // 多式联运: a late hand-over concerns both carriers, the shipper and the receiver
      const d = event.data;
      return {
        manifestNo: d.manifestNo,
        actor: { uscc: d.fromCarrierUscc, role: 'carrier' },
        others: [
          { uscc: d.carrierUscc, role: 'carrier' },
          { uscc: d.shipperUscc, role: 'shipper' },
          { uscc: d.receiverUscc, role: 'receiver' },
        ],
        categories: await manifestCategories(d.manifestNo),
      };
    }
    case 'ManifestReceived':
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.receiverUscc, role: 'receiver' },
        others: manifestParties(event.data, 'receiver'),
        categories: await manifestCategories(event.data.manifestNo),
      };
    case 'ManifestCancelled': {
      const manifest = await rows.get(alertManifests, { manifestNo: event.data.manifestNo });
      return {
        manifestNo: event.data.manifestNo,
        actor: { uscc: event.data.shipperUscc, role: 'shipper' },
        others: manifest ? manifestParties(manifest, 'shipper') : [],
        categories: undelimited(manifest?.categories ?? null),
      };
    }
    default:
      return undefined;
  }
}

/** Weighing at both ends: the discrepancies of a pickup's weighing (see `discrepancy` above). */
async function raisePickupDiscrepancies(
  w: AlertWriter,
  d: ManifestPickedUpData,
  manifest: Readonly<RowOf<typeof alertManifests>> | undefined,
): Promise<void> {
  const parties: AlertParty[] = [
    { uscc: d.shipperUscc, role: 'shipper' },
    { uscc: d.carrierUscc, role: 'carrier' },
    { uscc: d.receiverUscc, role: 'receiver' },
  ];
  const lineCategories = (manifest?.lines ?? {}) as Record<string, string>;
  const deviation = (shippedGrams: number, weighedGrams: number) =>
    shippedGrams === 0 ? 0 : (shippedGrams - weighedGrams) / shippedGrams;
  const weighedLines = d.lines.filter((line) => line.weighedGrams !== undefined);
  for (const line of weighedLines) {
    if (!line.discrepancy || line.weighedGrams === undefined) continue;
    const shippedGrams = line.shippedGrams;
    await w.raise({
      id: `discrepancy:pickup:${d.manifestNo}:${line.traceCode}`,
      kind: 'discrepancy',
      manifestNo: d.manifestNo,
      traceCode: line.traceCode,
      parties,
      categories: lineCategories[line.traceCode] ? [lineCategories[line.traceCode]] : [],
      raisedAt: d.occurredAt,
      details: {
        stage: 'pickup',
        ...(shippedGrams === undefined
          ? {}
          : { shippedKg: shippedGrams / 1000, deviation: deviation(shippedGrams, line.weighedGrams) }),
        weighedKg: line.weighedGrams / 1000,
        vehiclePlate: d.vehiclePlate,
        tolerance: d.tolerance,
      },
    });
  }
  if (weighedLines.length === 0 && d.discrepancy && d.weighedGrams !== undefined) {
    await w.raise({
      id: `discrepancy:pickup:${d.manifestNo}`,
      kind: 'discrepancy',
      manifestNo: d.manifestNo,
      parties,
      categories: undelimited(manifest?.categories ?? null),
      raisedAt: d.occurredAt,
      details: {
        stage: 'pickup',
        shippedKg: d.shippedGrams / 1000,
        weighedKg: d.weighedGrams / 1000,
        deviation: deviation(d.shippedGrams, d.weighedGrams),
        vehiclePlate: d.vehiclePlate,
        tolerance: d.tolerance,
      },
    });
  }
}

/** A step of a paper manifest: judged by the 10-working-day rule at pickup, not by the 72 hours. */
async function isPaperStep(rows: RowAccess, event: DomainEvent): Promise<boolean> {
  if (event.type === 'ManifestIssued') return event.data.paper === true;
  if (!MANIFEST_EVENTS.has(event.type) || !('manifestNo' in event.data)) return false;
  return Boolean((await rows.get(alertManifests, { manifestNo: event.data.manifestNo }))?.paper);
}

/**
 * 纸质联单补录: the pickup of a paper manifest entered after the end of the 10th working day (official
 * calendar) after it happened is a late entry, whatever the 72-hour rule said.
 */
async function raisePaperLateEntry(
  w: AlertWriter,
  recorded: RecordedEvent,
  d: ManifestPickedUpData,
  manifest: Readonly<RowOf<typeof alertManifests>>,
  reference: ReferenceData,
): Promise<void> {
  const recordedAt = recordedAtOf(recorded);
  const { dueAt, uncoveredYears } = workingDaysAfter(
    d.occurredAt,
    PAPER_BACKFILL_WORKING_DAYS,
    reference.calendar,
  );
  if (instantMs(recordedAt, 'recordedAt') < instantMs(dueAt, 'dueAt')) return;
  await w.raise({
    id: `late_entry:paper:${d.manifestNo}`,
    kind: 'late_entry',
    manifestNo: d.manifestNo,
    parties: [
      { uscc: d.carrierUscc, role: 'carrier' },
      { uscc: d.shipperUscc, role: 'shipper' },
      { uscc: d.receiverUscc, role: 'receiver' },
    ],
    categories: undelimited(manifest.categories),
    raisedAt: recordedAt,
    details: {
      eventType: 'ManifestPickedUp',
      paper: true,
      rule: 'paper back-fill: to be entered within 10 working days of the pickup',
      occurredAt: d.occurredAt,
      recordedAt,
      workingDays: PAPER_BACKFILL_WORKING_DAYS,
      dueAt,
      ...(uncoveredYears.length > 0
        ? {
            uncoveredYears: [...uncoveredYears],
            calendarNote: `the working-day calendar does not cover ${uncoveredYears.join(', ')}: weekends only were counted there`,
          }
        : {}),
    },
  });
}

export async function evolveAlerts(
  rows: RowAccess,
  recorded: RecordedEvent,
  reference: ReferenceData,
): Promise<void> {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  const w = new AlertWriter(rows, recorded);

  // late entries first: they read the manifest row that a receipt or a cancel removes below
  if (COMMAND_EVENTS.has(event.type) && event.data.late) {
    const late = await lateEntryOf(rows, event);
    if (late) {
      const recordedAt = recordedAtOf(recorded);
      const delayMs = instantMs(recordedAt, 'recordedAt') - instantMs(event.data.occurredAt, 'occurredAt');
      // a paper manifest's steps are back-filled with their real times: the 10-working-day rule at pickup
      // judges them, not the 72 hours
      if (!(await isPaperStep(rows, event)))
        await w.raise({
          id: `late_entry:${recorded.id}`,
          kind: 'late_entry',
          manifestNo: late.manifestNo,
          traceCode: late.traceCode,
          parties: [late.actor, ...(late.others ?? [])],
          categories: late.categories,
          raisedAt: recordedAt,
          details: {
            eventType: event.type,
            occurredAt: event.data.occurredAt,
            recordedAt,
            delayHours: Math.floor(delayMs / 36_000) / 100,
          },
        });
      // permits judged twice: a record relying on a permit that lapsed before it was recorded
      const lapse = 'permitLapse' in event.data ? event.data.permitLapse : undefined;
      if (lapse !== undefined) {
        await w.raise({
          id: `after_revocation:${recorded.id}`,
          kind: 'after_revocation',
          manifestNo: late.manifestNo,
          traceCode: late.traceCode,
          parties: [late.actor, ...(late.others ?? [])],
          categories: late.categories,
          raisedAt: recordedAt,
          details: {
            eventType: event.type,
            occurredAt: event.data.occurredAt,
            recordedAt,
            permitNo: lapse.permitNo,
            how: lapse.how,
            lapsedAt: lapse.lapsedAt,
          },
        });
      }
    }
  }

  switch (event.type) {
    case 'PartyRegistered':
      rows.put(alertParties, { uscc: event.data.uscc, districtCode: event.data.districtCode });
      return;

    case 'PermitCapacityDrawn': {
      const d = event.data;
      if (!crossesCapacityWarning(d.usedGramsAfter, d.grams, d.capacityGrams)) return;
      await w.raise({
        id: `permit_capacity_warning:${d.uscc}:${d.permitNo}:${d.yearStart}`,
        kind: 'permit_capacity_warning',
        manifestNo: d.manifestNo,
        parties: [{ uscc: d.uscc, role: 'receiver' }],
        categories: ['hazardous'],
        raisedAt: d.occurredAt,
        details: {
          permitNo: d.permitNo,
          yearStart: d.yearStart,
          capacityKg: d.capacityGrams / 1000,
          usedKg: d.usedGramsAfter / 1000,
          remainingKg: (d.capacityGrams - d.usedGramsAfter) / 1000,
          usedFraction: d.usedGramsAfter / d.capacityGrams,
        },
      });
      return;
    }

    case 'ManifestIssued': {
      const d = event.data;
      const lines: JsonObject = {};
      for (const line of d.lines) lines[line.traceCode] = line.category;
      rows.put(alertManifests, {
        manifestNo: d.manifestNo,
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: d.receiverUscc,
        lines,
        categories: delimited([...new Set(d.lines.map((l) => l.category))].sort()),
        paper: d.paper === true ? 1 : null,
      });
      return;
    }

    case 'ManifestPickedUp': {
      const d = event.data;
      const manifest = await rows.get(alertManifests, { manifestNo: d.manifestNo });
      const { dueAt, uncoveredYears } = manifestDeadlineOf(d.occurredAt, reference.calendar);
      await raisePickupDiscrepancies(w, d, manifest);
      if (manifest?.paper) await raisePaperLateEntry(w, recorded, d, manifest, reference);
      await w.raise({
        id: overdueManifestId(d.manifestNo),
        kind: 'overdue_manifest',
        manifestNo: d.manifestNo,
        parties: [
          { uscc: d.shipperUscc, role: 'shipper' },
          { uscc: d.carrierUscc, role: 'carrier' },
          { uscc: d.receiverUscc, role: 'receiver' },
        ],
        categories: undelimited(manifest?.categories ?? null),
        raisedAt: dueAt,
        details: {
          pickedUpAt: d.occurredAt,
          dueAt,
          vehiclePlate: d.vehiclePlate,
          shippedKg: d.shippedGrams / 1000,
          ...(uncoveredYears.length > 0
            ? {
                uncoveredYears: [...uncoveredYears],
                calendarNote: `the working-day calendar does not cover ${uncoveredYears.join(', ')}: weekends only were counted there`,
              }
            : {}),
        },
      });
      return;
    }

    case 'ManifestHandedOver': {
      // 多式联运: the next carrier holds the manifest now, so its overdue alert names that carrier too
      const d = event.data;
      const overdue = await rows.get(alerts, { id: overdueManifestId(d.manifestNo) });
      const named = undelimited(overdue?.parties ?? null);
      if (!overdue || overdue.resolvedAt !== null || named.includes(d.carrierUscc)) return;
      const details = overdue.details as JsonObject;
      const districtCode = await w.districtOf(d.carrierUscc);
      const parties = [
        ...((details.parties as JsonObject[] | undefined) ?? []),
        { uscc: d.carrierUscc, role: 'carrier', districtCode },
      ];
      rows.put(alerts, {
        ...overdue,
        parties: delimited([...named, d.carrierUscc].sort()),
        districts: delimited(
          [...new Set([...undelimited(overdue.districts), ...(districtCode ? [districtCode] : [])])].sort(),
        ),
        details: { ...details, parties },
      });
      return;
    }

    case 'ManifestReceived': {
      const d = event.data;
      const manifest = await rows.get(alertManifests, { manifestNo: d.manifestNo });
      const overdue = await rows.get(alerts, { id: overdueManifestId(d.manifestNo) });
      if (overdue) {
        const lateByMs = Number(ms(d.occurredAt) - overdue.raisedAtMs);
        await w.settle(overdue.id, d.occurredAt, {
          receivedAt: d.occurredAt,
          receivedLate: true,
          lateByHours: Math.floor(lateByMs / 36_000) / 100,
        });
      }
      const lineCategories = (manifest?.lines ?? {}) as Record<string, string>;
      for (const line of d.lines) {
        if (!line.discrepancy) continue;
        await w.raise({
          id: `discrepancy:${d.manifestNo}:${line.traceCode}`,
          kind: 'discrepancy',
          manifestNo: d.manifestNo,
          traceCode: line.traceCode,
          parties: [
            { uscc: d.shipperUscc, role: 'shipper' },
            { uscc: d.carrierUscc, role: 'carrier' },
            { uscc: d.receiverUscc, role: 'receiver' },
          ],
          categories: lineCategories[line.traceCode] ? [lineCategories[line.traceCode]] : [],
          raisedAt: d.occurredAt,
          details: {
            stage: 'receipt',
            shippedKg: line.shippedGrams / 1000,
            receivedKg: line.receivedGrams / 1000,
            lostKg: line.lostGrams / 1000,
            deviation:
              line.shippedGrams === 0 ? 0 : (line.shippedGrams - line.receivedGrams) / line.shippedGrams,
            tolerance: d.tolerance,
          },
        });
      }
      rows.delete(alertManifests, { manifestNo: d.manifestNo });
      return;
    }

    case 'ManifestCancelled':
      rows.delete(alertManifests, { manifestNo: event.data.manifestNo });
      return;

    // Storage is followed on each batch's own stream only (one total order per stream, whatever the order of
    // streams within a commit): every hazardous batch gets a row at its creation, storage starts on it.
    case 'WasteGenerated': {
      const d = event.data;
      if (d.category === 'hazardous') rows.put(alertBatches, notStored(d.traceCode));
      if (isMedicalWaste(d.category, d.wasteCode)) {
        const dueAt = medicalStorageDueAt(d.occurredAt);
        await w.raise({
          id: medicalStorageId(d.traceCode),
          kind: 'overdue_medical_storage',
          traceCode: d.traceCode,
          parties: [{ uscc: d.generatorUscc, role: 'generator' }],
          categories: ['hazardous'],
          raisedAt: dueAt,
          // overdue strictly after the 48 hours
          raisedAtMs: ms(dueAt) + 1n,
          details: { generatedAt: d.occurredAt, dueAt, limitHours: 48, wasteCode: d.wasteCode ?? null },
        });
      }
      return;
    }

    case 'BatchSplitOff':
    case 'BatchesConsolidated':
    case 'BatchReturnedFromRejection': {
      // a part of (or a mix with) stored waste is stored waste, with the oldest storage start
      const d = event.data;
      if (d.category !== 'hazardous') return;
      if (d.storageSince !== undefined)
        await w.startStorage(d.traceCode, d.storageSince, d.custodianUscc, d.occurredAt);
      else rows.put(alertBatches, notStored(d.traceCode));
      return;
    }

    case 'BatchReceived': {
      const row = await rows.get(alertBatches, { traceCode: event.data.traceCode });
      if (row)
        await w.startStorage(
          row.traceCode,
          event.data.occurredAt,
          event.data.receiverUscc,
          event.data.occurredAt,
        );
      return;
    }

    case 'BatchReturnedToShipper': {
      const row = await rows.get(alertBatches, { traceCode: event.data.traceCode });
      // back in the storage it left, with the storage age it had (the domain keeps storageSince)
      if (row?.storageSince)
        await w.startStorage(row.traceCode, row.storageSince, event.data.shipperUscc, event.data.occurredAt);
      return;
    }

    case 'BatchShipped': {
      await w.settle(medicalStorageId(event.data.traceCode), event.data.occurredAt, {
        leftGeneratorAt: event.data.occurredAt,
        leftBy: 'shipped',
      });
      const row = await rows.get(alertBatches, { traceCode: event.data.traceCode });
      if (row) await w.endStorage(row, event.data.occurredAt, 'shipped', false);
      return;
    }

    case 'BatchSplit':
    case 'BatchConsolidatedInto':
    case 'WasteUtilised':
    case 'WasteDisposed':
    case 'MassCorrected':
    case 'BatchLostInTransit': {
      if (remainingOf(event.data as unknown as Record<string, unknown>) !== 0) return;
      await w.settle(medicalStorageId(event.data.traceCode), event.data.occurredAt, {
        leftGeneratorAt: event.data.occurredAt,
        leftBy: event.type,
      });
      const row = await rows.get(alertBatches, { traceCode: event.data.traceCode });
      if (row) await w.endStorage(row, event.data.occurredAt, event.type, true);
      return;
    }

    case 'AlertAcknowledged':
    case 'AlertClosed':
      await applyLifecycleStep(rows, recorded, event);
      return;

    default:
      return;
  }
}

/** The alerts projection over the given reference data (the working-day calendar of manifest deadlines). */
export function createAlertsProjection(reference: ReferenceData) {
  return defineProjection({
    name: ALERTS_PROJECTION,
    eventTypes: [
      'PartyRegistered',
      'PermitCapacityDrawn',
      'ManifestIssued',
      'ManifestPickedUp',
      'ManifestHandedOver',
      'ManifestReceived',
      'ManifestCancelled',
      'WasteGenerated',
      'BatchSplitOff',
      'BatchesConsolidated',
      'BatchReturnedFromRejection',
      'BatchReceived',
      'BatchReturnedToShipper',
      'BatchShipped',
      'BatchSplit',
      'BatchConsolidatedInto',
      'WasteUtilised',
      'WasteDisposed',
      'MassCorrected',
      'BatchLostInTransit',
      'AlertAcknowledged',
      'AlertClosed',
    ],
    tables: [alerts, alertParties, alertManifests, alertBatches, alertLifecycles],
    migrations: [AlertTables1764700000200, AlertManifestPaper1764700000216, AlertLifecycleTable1764700000270],
    prefetch: prefetchAlerts,
    evolve: (rows, recorded) => evolveAlerts(rows, recorded, reference),
  });
}
