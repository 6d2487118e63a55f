import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import { createPartyNamesTable, definePartyNames } from '../party-names';
import { defineTable, type RowOf } from '../runner/table';

/**
 * The manifests read model (转移联单): one row per manifest with its parties (denormalised at issue: name
 * and district), state, times, lines and their receipt, and the due time of its receipt; and the parties'
 * registry it takes names and districts from.
 */
export const manifestViews = defineTable({
  name: 'manifest_view',
  key: ['manifestNo'],
  columns: {
    manifestNo: 'text',
    /** issued | picked_up | received | cancelled */
    status: 'text',
    shipperUscc: 'text',
    carrierUscc: 'text',
    receiverUscc: 'text',
    shipperDistrict: { type: 'text', nullable: true },
    carrierDistrict: { type: 'text', nullable: true },
    receiverDistrict: { type: 'text', nullable: true },
    /** { shipper, carrier, receiver }: each { uscc, name, districtCode } as registered when it was issued. */
    parties: 'json',
    /** The lines' categories as `,cat1,cat2,` (sorted): a LIKE '%,c,%' filter in both databases. */
    categories: 'text',
    hazardous: 'boolean',
    plannedAt: 'text',
    issuedAt: 'text',
    issuedAtMs: 'bigint',
    pickedUpAt: { type: 'text', nullable: true },
    vehiclePlate: { type: 'text', nullable: true },
    weighedGrams: { type: 'bigint', nullable: true },
    receivedAt: { type: 'text', nullable: true },
    receivedAtMs: { type: 'bigint', nullable: true },
    cancelledAt: { type: 'text', nullable: true },
    cancelReason: { type: 'text', nullable: true },
    /** manifestDueAt(pickedUpAt): 00:00 CST after the 5th working day after pickup. */
    dueAt: { type: 'text', nullable: true },
    dueAtMs: { type: 'bigint', nullable: true },
    totalGrams: 'bigint',
    /** Some receipt line differed from what was shipped beyond the tolerance. */
    discrepancy: 'boolean',
    /** Lines as issued, completed at receipt (grams). */
    lines: 'json',
    /** Some event of the manifest was recorded late (occurredAt more than 72 h before recording). */
    late: 'boolean',
    /**
     * Every leg since pickup (多式联运): [{ leg, carrierUscc, carrierName, vehiclePlate, occurredAt, place? }];
     * null on rows written before legs were kept (their one leg is the pickup's columns).
     */
    legs: { type: 'json', nullable: true },
    /** The carriers of every leg as `,u1,u2,` (a LIKE filter: a manifest is on each carrier's list). */
    carriers: { type: 'text', nullable: true },
    issuedPosition: 'bigint',
    lastPosition: 'bigint',
  },
});

export const manifestParties = definePartyNames('manifest_party');

/** 多式联运 (issue 16 item 5): the legs of a manifest and the carriers that had it. */
export class ManifestLegs1765000000500 implements MigrationInterface {
  readonly name = 'ManifestLegs1765000000500';

  async up(q: QueryRunner): Promise<void> {
    const json = isPostgres(q) ? 'jsonb' : 'TEXT';
    const view = readModelTable(q, 'manifest_view');
    await q.query(`ALTER TABLE ${view} ADD COLUMN legs ${json}`);
    await q.query(`ALTER TABLE ${view} ADD COLUMN carriers text`);
  }

  async down(q: QueryRunner): Promise<void> {
    const view = readModelTable(q, 'manifest_view');
    await q.query(`ALTER TABLE ${view} DROP COLUMN carriers`);
    await q.query(`ALTER TABLE ${view} DROP COLUMN legs`);
  }
}

export type ManifestViewRow = RowOf<typeof manifestViews>;
export type ManifestPartyRow = RowOf<typeof manifestParties>;

export class ManifestTables1764600000100 implements MigrationInterface {
  readonly name = 'ManifestTables1764600000100';

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    const json = pg ? 'jsonb' : 'TEXT';
    const int64 = pg ? 'bigint' : 'INTEGER';
    const bool = pg ? 'boolean' : 'INTEGER';
    const view = readModelTable(q, 'manifest_view');
    await q.query(
      `CREATE TABLE ${view} (
         manifest_no text PRIMARY KEY,
         status text NOT NULL,
         shipper_uscc text NOT NULL,
         carrier_uscc text NOT NULL,
         receiver_uscc text NOT NULL,
         shipper_district text,
         carrier_district text,
         receiver_district text,
         parties ${json} NOT NULL,
         categories text NOT NULL,
         hazardous ${bool} NOT NULL,
         planned_at text NOT NULL,
         issued_at text NOT NULL,
         issued_at_ms ${int64} NOT NULL,
         picked_up_at text,
         vehicle_plate text,
         weighed_grams ${int64},
         received_at text,
         received_at_ms ${int64},
         cancelled_at text,
         cancel_reason text,
         due_at text,
         due_at_ms ${int64},
         total_grams ${int64} NOT NULL,
         discrepancy ${bool} NOT NULL,
         lines ${json} NOT NULL,
         late ${bool} NOT NULL,
         issued_position ${int64} NOT NULL,
         last_position ${int64} NOT NULL
       )`,
    );
    // The list's filters: by party (each role), by status and due time, newest first.
    const index = (name: string, columns: string) => q.query(`CREATE INDEX ${name} ON ${view} (${columns})`);
    await index('manifest_view_shipper', 'shipper_uscc, issued_at_ms');
    await index('manifest_view_carrier', 'carrier_uscc, issued_at_ms');
    await index('manifest_view_receiver', 'receiver_uscc, issued_at_ms');
    await index('manifest_view_status', 'status, due_at_ms');
    await index('manifest_view_issued', 'issued_at_ms, manifest_no');
    await createPartyNamesTable(q, 'manifest_party');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${readModelTable(q, 'manifest_party')}`);
    await q.query(`DROP TABLE ${readModelTable(q, 'manifest_view')}`);
  }
}
