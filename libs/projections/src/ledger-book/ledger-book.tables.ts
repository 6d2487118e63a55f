import type { MigrationInterface, QueryRunner } from 'typeorm';
import { readModelTable, type MigrationClass } from '../database/migration-helpers';
import { createPartyNamesTable, definePartyNames } from '../party-names';
import { BATCH_KIND_COLUMNS } from '../batch-kind';
import { defineTable, type RowOf } from '../runner/table';

/** The tables of the 台账 read model (ledger-book.projection.ts) and their migrations. */
export const ledgerBookParties = definePartyNames('ledger_book_party');

/** What each batch is, for the rows of later events (the events after creation do not repeat it). */
export const ledgerBookBatches = defineTable({
  name: 'ledger_book_batch',
  key: ['traceCode'],
  columns: {
    traceCode: 'text',
    ...BATCH_KIND_COLUMNS,
    description: { type: 'text', nullable: true },
    /** The shipper whose table 5 its treatment is on: set by a receipt from another party. */
    shipperUscc: { type: 'text', nullable: true },
    /** The custodian that received it from `shipperUscc`, on manifest `manifestNo`. */
    receiverUscc: { type: 'text', nullable: true },
    manifestNo: { type: 'text', nullable: true },
  },
});

/**
 * The driver a pickup named (ManifestPickedUp v3 `driverPersonId`, a reference to an erasable record, ADR 14),
 * for the 运送部门经办人 of the shipper's table-3 rows of that manifest (BatchShipped, in the same commit after it).
 */
export const ledgerBookTrips = defineTable({
  name: 'ledger_book_trip',
  key: ['manifestNo'],
  columns: { manifestNo: 'text', driverPersonId: 'text' },
});

/**
 * The receiver's handler a receipt named (ManifestReceived v5 `handlerPersonId`, a reference, ADR 14), for the
 * 贮存部门经办人 of the receiver's table-2 rows of that manifest (BatchReceived, in the same commit after it).
 */
export const ledgerBookReceipts = defineTable({
  name: 'ledger_book_receipt',
  key: ['manifestNo'],
  columns: { manifestNo: 'text', handlerPersonId: 'text' },
});

export const LEDGER_BOOK_TABLES = [1, 2, 3, 4, 5] as const;
export type LedgerBookTableNo = (typeof LEDGER_BOOK_TABLES)[number];

/** 来源 of a table-2 row, 去向 of a table-3 row. */
export type LedgerBookMovement =
  'generated' | 'received' | 'returned' | 'split' | 'consolidated' | 'corrected' | 'shipped' | 'treated';

export const ledgerBookEntries = defineTable({
  name: 'ledger_book_entry',
  key: ['partyUscc', 'position', 'seq'],
  columns: {
    partyUscc: 'text',
    position: 'bigint',
    /** Rows of one event for one party, in the order the event gives them. */
    seq: 'integer',
    tableNo: 'integer',
    eventId: 'text',
    eventType: 'text',
    occurredAt: 'text',
    /** For the period filter: epoch ms of occurredAt. */
    occurredMs: 'bigint',
    traceCode: 'text',
    /** The batch code of the previous table this row follows from (a parent, the inputs, the same code). */
    linkedCodes: 'text',
    ...BATCH_KIND_COLUMNS,
    description: { type: 'text', nullable: true },
    grams: 'bigint',
    movement: { type: 'text', nullable: true },
    counterpartyUscc: { type: 'text', nullable: true },
    carrierUscc: { type: 'text', nullable: true },
    manifestNo: { type: 'text', nullable: true },
    vehiclePlate: { type: 'text', nullable: true },
    operation: { type: 'text', nullable: true },
    mode: { type: 'text', nullable: true },
    permitNo: { type: 'text', nullable: true },
    note: { type: 'text', nullable: true },
    /**
     * The facility of the act: table 1 the generating facility (WasteGenerated v2 `facilityCode`), table 4 the
     * registered facility that treated it (WasteUtilised / WasteDisposed v3, issue 14).
     */
    facilityCode: { type: 'text', nullable: true },
    /**
     * The person recorded with the act, by reference (never a name: resolved when the book is read, 已删除
     * after erasure): on a pickup's table-3 row, the driver (运送部门经办人); on a generation's rows of tables
     * 1 and 2, its handler (WasteGenerated v3); on a receipt's table-2 row, the receiver's handler
     * (ManifestReceived v5); on a treatment's table-4 row, its handler (WasteUtilised / WasteDisposed v4).
     */
    handlerPersonId: { type: 'text', nullable: true },
    /** 容器/包装类型 and 数量 of a generation (WasteGenerated v2), on its table-1 and table-2 rows. */
    packagingType: { type: 'text', nullable: true },
    packageCount: { type: 'integer', nullable: true },
  },
});

export type LedgerBookEntryRow = RowOf<typeof ledgerBookEntries>;
export type LedgerBookBatchRow = RowOf<typeof ledgerBookBatches>;

export const LEDGER_BOOK_PROJECTION = 'ledger-book';

export class LedgerBookTables1764900000100 implements MigrationInterface {
  readonly name = 'LedgerBookTables1764900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const batch = readModelTable(queryRunner, 'ledger_book_batch');
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await createPartyNamesTable(queryRunner, 'ledger_book_party');
    await queryRunner.query(
      `CREATE TABLE ${batch} (
         trace_code text PRIMARY KEY, category text NOT NULL, subtype text, waste_code text, description text,
         shipper_uscc text, receiver_uscc text, manifest_no text
       )`,
    );
    await queryRunner.query(
      `CREATE TABLE ${entry} (
         party_uscc text NOT NULL,
         position bigint NOT NULL,
         seq integer NOT NULL,
         table_no integer NOT NULL,
         event_id text NOT NULL,
         event_type text NOT NULL,
         occurred_at text NOT NULL,
         occurred_ms bigint NOT NULL,
         trace_code text NOT NULL,
         linked_codes text NOT NULL,
         category text NOT NULL,
         subtype text,
         waste_code text,
         description text,
         grams bigint NOT NULL,
         movement text,
         counterparty_uscc text,
         carrier_uscc text,
         manifest_no text,
         vehicle_plate text,
         operation text,
         mode text,
         permit_no text,
         note text,
         PRIMARY KEY (party_uscc, position, seq)
       )`,
    );
    // the book of one party and one table over a period, read in ledger order
    await queryRunner.query(
      `CREATE INDEX ledger_book_entry_table ON ${entry} (party_uscc, table_no, occurred_ms, position, seq)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['ledger_book_entry', 'ledger_book_batch', 'ledger_book_party'])
      await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, name)}`);
  }
}

/**
 * Issue 14: the facility of a treatment (table 4's 自行利用/处置设施编码). Rows written before it hold null,
 * which is what their events say (a treatment recorded before WasteUtilised / WasteDisposed v3 names no
 * facility), so the column is added without a rebuild.
 */
export class LedgerBookFacility1765100000100 implements MigrationInterface {
  readonly name = 'LedgerBookFacility1765100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(`ALTER TABLE ${entry} ADD COLUMN facility_code text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(`ALTER TABLE ${entry} DROP COLUMN facility_code`);
  }
}

/**
 * Issue 14: the pickup's driver on the shipper's table-3 rows. Pickups recorded before name their driver too,
 * so the projection's version is raised with it (its rows are rebuilt in shadow tables, ADR 0011).
 */
export class LedgerBookHandlers1765100000200 implements MigrationInterface {
  readonly name = 'LedgerBookHandlers1765100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const trip = readModelTable(queryRunner, 'ledger_book_trip');
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(
      `CREATE TABLE ${trip} (manifest_no text PRIMARY KEY, driver_person_id text NOT NULL)`,
    );
    await queryRunner.query(`ALTER TABLE ${entry} ADD COLUMN handler_person_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(`ALTER TABLE ${entry} DROP COLUMN handler_person_id`);
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'ledger_book_trip')}`);
  }
}

/**
 * Issue 14: a generation's packaging (容器/包装类型, 数量) and its facility (产生危险废物设施编码, in
 * `facility_code`), recorded since WasteGenerated v2: the projection's version is raised with it (rebuilt).
 */
export class LedgerBookContainers1765100000300 implements MigrationInterface {
  readonly name = 'LedgerBookContainers1765100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(`ALTER TABLE ${entry} ADD COLUMN packaging_type text`);
    await queryRunner.query(`ALTER TABLE ${entry} ADD COLUMN package_count integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const entry = readModelTable(queryRunner, 'ledger_book_entry');
    await queryRunner.query(`ALTER TABLE ${entry} DROP COLUMN package_count`);
    await queryRunner.query(`ALTER TABLE ${entry} DROP COLUMN packaging_type`);
  }
}

/**
 * Issue 14: the handlers of generations, receipts and treatments (WasteGenerated v3, ManifestReceived v5,
 * WasteUtilised / WasteDisposed v4) go into `handler_person_id`, and a receipt's into this table for its
 * BatchReceived rows. Events recorded before those versions name no handler, so nothing is rebuilt.
 */
export class LedgerBookReceipts1765200000100 implements MigrationInterface {
  readonly name = 'LedgerBookReceipts1765200000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const receipt = readModelTable(queryRunner, 'ledger_book_receipt');
    await queryRunner.query(
      `CREATE TABLE ${receipt} (manifest_no text PRIMARY KEY, handler_person_id text NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'ledger_book_receipt')}`);
  }
}

/** The book's migrations, for its projection (the one list beside the classes it names). */
export const LEDGER_BOOK_MIGRATIONS: readonly MigrationClass[] = [
  LedgerBookTables1764900000100,
  LedgerBookContainers1765100000300,
  LedgerBookFacility1765100000100,
  LedgerBookHandlers1765100000200,
  LedgerBookReceipts1765200000100,
];
