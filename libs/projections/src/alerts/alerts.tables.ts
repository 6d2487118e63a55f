import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import { defineTable, type RowOf } from '../runner/table';

/** The alerts projection's tables and their migrations (what fills them: alerts.projection.ts and its rule files). */

/** One row per alert (its kinds: `AlertKind`; the projection's comment says when each is raised). */
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
