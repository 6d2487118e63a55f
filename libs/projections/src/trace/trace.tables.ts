import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import { BATCH_KIND_COLUMNS } from '../batch-kind';
import { defineTable, type RowOf } from '../runner/table';

/**
 * The trace view's tables (浙固码): one row per batch, one per step of a batch (one per event of its
 * stream, keyed by the stream revision), one per receipt line that differed from what was shipped.
 */
export const traceBatches = defineTable({
  name: 'trace_batch',
  key: ['traceCode'],
  columns: {
    traceCode: 'text',
    ...BATCH_KIND_COLUMNS,
    /** generated | split | consolidated | returned */
    creation: 'text',
    /** Origin: the generator (for a consolidated batch: the consolidator; children inherit their parent's). */
    originUscc: 'text',
    originDistrict: 'text',
    originAt: 'text',
    /** Origin composition (grams per origin) of the mass the batch was created with. */
    composition: 'json',
    generatedGrams: 'bigint',
    heldGrams: 'bigint',
    custodianUscc: 'text',
    /** held | consigned | in_transit | depleted (the domain's) */
    status: 'text',
    parents: 'json',
    children: 'json',
    /**
     * Every party on its chain, sorted: its custodians past and present, the shippers, carriers and
     * receivers of the manifests it travelled on, and those of its ancestors when it was created.
     */
    parties: 'json',
    /** The open manifest (consigned or in transit): { manifestNo, stage, shipperUscc, carrierUscc, receiverUscc, vehiclePlate? }. */
    openManifest: { type: 'json', nullable: true },
    /** The last manifest it was put on, kept after settlement: who received or rejected it. */
    lastManifest: { type: 'json', nullable: true },
    createdPosition: 'bigint',
    lastPosition: 'bigint',
  },
});

export const traceSteps = defineTable({
  name: 'trace_step',
  key: ['traceCode', 'revision'],
  columns: {
    traceCode: 'text',
    revision: 'bigint',
    position: 'bigint',
    type: 'text',
    occurredAt: 'text',
    recordedAt: 'text',
    actorUscc: { type: 'text', nullable: true },
    /** Signed for a correction (the delta). */
    massGrams: 'bigint',
    manifestNo: { type: 'text', nullable: true },
    vehiclePlate: { type: 'text', nullable: true },
    operation: { type: 'text', nullable: true },
    mode: { type: 'text', nullable: true },
    counterpartyUscc: { type: 'text', nullable: true },
    reason: { type: 'text', nullable: true },
    late: 'boolean',
    /** Extra facts of some steps: related trace codes, the carrier, a permit number. */
    detail: { type: 'json', nullable: true },
  },
});

export const traceDiscrepancies = defineTable({
  name: 'trace_discrepancy',
  key: ['traceCode', 'manifestNo'],
  columns: {
    traceCode: 'text',
    manifestNo: 'text',
    shippedGrams: 'bigint',
    receivedGrams: 'bigint',
    lostGrams: 'bigint',
    toleranceExceeded: 'boolean',
    position: 'bigint',
  },
});

export type TraceBatchRow = RowOf<typeof traceBatches>;
export type TraceStepRow = RowOf<typeof traceSteps>;
export type TraceDiscrepancyRow = RowOf<typeof traceDiscrepancies>;

export class TraceTables1764600000000 implements MigrationInterface {
  readonly name = 'TraceTables1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    const json = pg ? 'jsonb' : 'TEXT';
    const int64 = pg ? 'bigint' : 'INTEGER';
    const bool = pg ? 'boolean' : 'INTEGER';
    await q.query(
      `CREATE TABLE ${readModelTable(q, 'trace_batch')} (
         trace_code text PRIMARY KEY,
         category text NOT NULL,
         subtype text,
         waste_code text,
         creation text NOT NULL,
         origin_uscc text NOT NULL,
         origin_district text NOT NULL,
         origin_at text NOT NULL,
         composition ${json} NOT NULL,
         generated_grams ${int64} NOT NULL,
         held_grams ${int64} NOT NULL,
         custodian_uscc text NOT NULL,
         status text NOT NULL,
         parents ${json} NOT NULL,
         children ${json} NOT NULL,
         parties ${json} NOT NULL,
         open_manifest ${json},
         last_manifest ${json},
         created_position ${int64} NOT NULL,
         last_position ${int64} NOT NULL
       )`,
    );
    await q.query(
      `CREATE TABLE ${readModelTable(q, 'trace_step')} (
         trace_code text NOT NULL,
         revision ${int64} NOT NULL,
         position ${int64} NOT NULL,
         type text NOT NULL,
         occurred_at text NOT NULL,
         recorded_at text NOT NULL,
         actor_uscc text,
         mass_grams ${int64} NOT NULL,
         manifest_no text,
         vehicle_plate text,
         operation text,
         mode text,
         counterparty_uscc text,
         reason text,
         late ${bool} NOT NULL,
         detail ${json},
         PRIMARY KEY (trace_code, revision)
       )`,
    );
    await q.query(
      `CREATE TABLE ${readModelTable(q, 'trace_discrepancy')} (
         trace_code text NOT NULL,
         manifest_no text NOT NULL,
         shipped_grams ${int64} NOT NULL,
         received_grams ${int64} NOT NULL,
         lost_grams ${int64} NOT NULL,
         tolerance_exceeded ${bool} NOT NULL,
         position ${int64} NOT NULL,
         PRIMARY KEY (trace_code, manifest_no)
       )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${readModelTable(q, 'trace_discrepancy')}`);
    await q.query(`DROP TABLE ${readModelTable(q, 'trace_step')}`);
    await q.query(`DROP TABLE ${readModelTable(q, 'trace_batch')}`);
  }
}
