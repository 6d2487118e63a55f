import type { DataSource } from 'typeorm';
import { formatPosition } from '@wasteflow/event-store';
import { ReadModelReader } from '../query/read-model-reader';
import type { RowOf } from '../runner/table';
import { bigintOf, textOf } from '../query/values';
import {
  LEDGER_BOOK_PROJECTION,
  LEDGER_BOOK_TABLES,
  ledgerBookEntries,
  ledgerBookParties,
  type LedgerBookTableNo,
} from './ledger-book.tables';

/** One row of the book, as the documents print it (masses in exact grams). */
export interface LedgerBookEntry {
  readonly tableNo: LedgerBookTableNo;
  readonly position: string;
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly traceCode: string;
  readonly linkedCodes: string;
  readonly category: string;
  readonly subtype: string | null;
  readonly wasteCode: string | null;
  readonly description: string | null;
  readonly grams: bigint;
  readonly movement: string | null;
  readonly counterpartyUscc: string | null;
  readonly carrierUscc: string | null;
  readonly manifestNo: string | null;
  readonly vehiclePlate: string | null;
  readonly operation: string | null;
  readonly mode: string | null;
  readonly permitNo: string | null;
  readonly note: string | null;
  /** Table 4: the registered facility that treated it (null before WasteUtilised / WasteDisposed v3). */
  readonly facilityCode: string | null;
  /** The person recorded with the act (a pickup's driver on table 3), by reference; resolved by the reader. */
  readonly handlerPersonId: string | null;
  /** 容器/包装类型 and 数量 of a generation (tables 1 and 2). */
  readonly packagingType: string | null;
  readonly packageCount: number | null;
}

export interface LedgerBookRequest {
  readonly partyUscc: string;
  /** Epoch ms, inclusive. */
  readonly fromMs: number;
  /** Epoch ms, exclusive. */
  readonly toMs: number;
  /** Only rows of these categories (a regulator's); undefined for all. */
  readonly categories?: readonly string[];
}

export interface LedgerBookParty {
  readonly uscc: string;
  readonly name: string;
  readonly districtCode: string;
}

function entryOf(row: RowOf<typeof ledgerBookEntries>): LedgerBookEntry {
  return {
    tableNo: row.tableNo as LedgerBookTableNo,
    position: formatPosition(row.position),
    seq: row.seq,
    eventId: row.eventId,
    eventType: row.eventType,
    occurredAt: row.occurredAt,
    traceCode: row.traceCode,
    linkedCodes: row.linkedCodes,
    category: row.category,
    subtype: row.subtype,
    wasteCode: row.wasteCode,
    description: row.description,
    grams: row.grams,
    movement: row.movement,
    counterpartyUscc: row.counterpartyUscc,
    carrierUscc: row.carrierUscc,
    manifestNo: row.manifestNo,
    vehiclePlate: row.vehiclePlate,
    operation: row.operation,
    mode: row.mode,
    permitNo: row.permitNo,
    note: row.note,
    facilityCode: row.facilityCode,
    handlerPersonId: row.handlerPersonId,
    packagingType: row.packagingType,
    packageCount: row.packageCount,
  };
}

/** Rows per read: small enough that one read never holds the event loop, large enough to be cheap. */
export const LEDGER_BOOK_PAGE = 1000;

/**
 * Reads the book: the party, the checkpoint the book is read at, the row counts per table, then each table
 * page by page in ledger order up to that checkpoint. Rows are only ever added, so every page read after
 * the checkpoint was taken, limited to positions at or before it, belongs to the same book.
 */
export class LedgerBookQuery {
  private readonly reader: ReadModelReader;

  constructor(dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  async party(uscc: string): Promise<LedgerBookParty | undefined> {
    const [row] = await this.reader.query(
      `SELECT uscc, name, district_code FROM ${this.reader.table('ledger_book_party')} WHERE uscc = ?`,
      [uscc],
    );
    if (!row) return undefined;
    return {
      uscc: textOf(row.uscc) as string,
      name: textOf(row.name) as string,
      districtCode: textOf(row.district_code) as string,
    };
  }

  /** The position the book is read at, and the number of rows of each table up to it. */
  async open(
    request: LedgerBookRequest,
  ): Promise<{ position: bigint; counts: Record<LedgerBookTableNo, number> }> {
    const position = await this.reader.checkpoint(LEDGER_BOOK_PROJECTION);
    const { where, params } = this.where(request, position);
    const rows = await this.reader.query(
      `SELECT table_no, COUNT(*) AS n FROM ${this.reader.table(ledgerBookEntries)} WHERE ${where} GROUP BY table_no`,
      params,
    );
    const counts = Object.fromEntries(LEDGER_BOOK_TABLES.map((t) => [t, 0])) as Record<
      LedgerBookTableNo,
      number
    >;
    for (const row of rows)
      counts[Number(bigintOf(row.table_no)) as LedgerBookTableNo] = Number(bigintOf(row.n));
    return { position, counts };
  }

  /** The rows of one table, in ledger order, a page at a time. */
  async *entries(
    request: LedgerBookRequest,
    tableNo: LedgerBookTableNo,
    position: bigint,
  ): AsyncGenerator<LedgerBookEntry[]> {
    let after: { position: bigint; seq: number } | undefined;
    for (;;) {
      const { where, params } = this.where(request, position);
      let sql = `${where} AND table_no = ?`;
      params.push(tableNo);
      if (after) {
        sql += ' AND (position > ? OR (position = ? AND seq > ?))';
        params.push(after.position, after.position, after.seq);
      }
      const rows = await this.reader.select(
        ledgerBookEntries,
        `WHERE ${sql} ORDER BY position, seq LIMIT ${LEDGER_BOOK_PAGE}`,
        params,
      );
      if (rows.length === 0) return;
      yield rows.map(entryOf);
      if (rows.length < LEDGER_BOOK_PAGE) return;
      const last = rows[rows.length - 1];
      after = { position: last.position, seq: last.seq };
    }
  }

  /**
   * The party's rows of these events (whatever the period), as the book holds them now: how an import
   * recognises a row exported from this ledger (its hidden 事件编号).
   */
  async byEventIds(partyUscc: string, eventIds: readonly string[]): Promise<LedgerBookEntry[]> {
    return this.lookUp(partyUscc, 'event_id', [...new Set(eventIds)]);
  }

  /** The party's rows of these batch codes (every table), in ledger order. */
  async byTraceCodes(partyUscc: string, traceCodes: readonly string[]): Promise<LedgerBookEntry[]> {
    return this.lookUp(partyUscc, 'trace_code', [...new Set(traceCodes)]);
  }

  private async lookUp(
    partyUscc: string,
    column: 'event_id' | 'trace_code',
    values: readonly string[],
  ): Promise<LedgerBookEntry[]> {
    const rows = await this.reader.selectIn(ledgerBookEntries, column, values, {
      where: 'party_uscc = ?',
      params: [partyUscc],
      orderBy: 'position, seq',
    });
    return rows.map(entryOf);
  }

  /** Party names by USCC, for the counterparties a page names. */
  async partyNames(usccs: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.reader.selectIn(ledgerBookParties, 'uscc', [...new Set(usccs)]);
    return new Map(rows.map((row) => [row.uscc, row.name]));
  }

  private where(request: LedgerBookRequest, position: bigint): { where: string; params: unknown[] } {
    const params: unknown[] = [request.partyUscc, BigInt(request.fromMs), BigInt(request.toMs), position];
    let where = 'party_uscc = ? AND occurred_ms >= ? AND occurred_ms < ? AND position <= ?';
    if (request.categories !== undefined) {
      if (request.categories.length === 0) return { where: '1 = 0', params: [] };
      where += ` AND category IN (${request.categories.map(() => '?').join(', ')})`;
      params.push(...request.categories);
    }
    return { where, params };
  }
}
