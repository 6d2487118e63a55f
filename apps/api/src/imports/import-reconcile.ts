import type { LedgerBookEntry, LedgerBookQuery } from '@wasteflow/projections';
import { cstTime } from '../documents-ledger-book/ledger-book.columns';
import type { RowResult } from './import-job.store';
import type { ImportRow, LedgerRow } from './import-rows';

/**
 * Rows of tables 2 (入库), 3 (出库) and 5 (委外利用/处置) are not commands: each is what the ledger book
 * itself writes for an act — a generation (table 1 → 2), the party's own treatment (table 4 → 3), a receipt
 * (the receiving unit's), a pickup (the carrier's), a receiver's treatment of what the party shipped (the
 * receiver's → table 5 of the shipper). The import never invents those acts: each such row is looked up in
 * the party's book as the ledger has it once tables 1 and 4 are applied —
 * - `matched`: the book has that row (the same event, by the hidden 事件编号 of a book exported from this
 *   ledger; else the same batch code — the ledger's code of the file's code —, table, time to the second,
 *   grams and 来源/去向), nothing applied;
 * - `unmatched`: not in the book (yet), with who records it and why: 待承运单位记录 (a pickup), 待接收单位记录
 *   (a receipt, a return, a receiver's treatment), or the table of the file whose row it follows from.
 * One book row matches one file row.
 */
export class Reconciler {
  private readonly used = new Set<string>();

  constructor(
    private readonly book: LedgerBookQuery,
    private readonly partyUscc: string,
    /** The ledger's batch code of a code of the file (the generation a table-1 row made), else the code. */
    private readonly codeOf: (sourceCode: string) => string,
  ) {}

  async reconcile(rows: readonly LedgerRow[], results: RowResult[]): Promise<void> {
    const ids = rows.flatMap((r) => (r.eventId === undefined ? [] : [r.eventId]));
    const byId = ids.length ? await this.book.byEventIds(this.partyUscc, ids) : [];
    const byCode = await this.book.byTraceCodes(
      this.partyUscc,
      rows.map((r) => this.codeOf(r.sourceCode)),
    );
    rows.forEach((row, i) => {
      const result = results[i];
      const entry =
        this.take(byId, (e) => e.eventId === row.eventId && this.same(row, e, false)) ??
        this.take(byCode, (e) => e.traceCode === this.codeOf(row.sourceCode) && this.same(row, e, true));
      if (entry) {
        result.status = 'matched';
        result.traceCode = entry.traceCode;
        result.position = entry.position;
        result.eventId = entry.eventId;
        result.note = `已记录：账本已有此行（${entry.eventType}） — already recorded in the ledger`;
        return;
      }
      result.status = 'unmatched';
      result.note = whoRecords(row);
    });
  }

  /** The first book row not yet matched that `fits`, marked as matched. */
  private take(
    entries: readonly LedgerBookEntry[],
    fits: (e: LedgerBookEntry) => boolean,
  ): LedgerBookEntry | undefined {
    const entry = entries.find((e) => !this.used.has(`${e.position}:${e.seq}`) && fits(e));
    if (entry) this.used.add(`${entry.position}:${entry.seq}`);
    return entry;
  }

  private same(row: LedgerRow, entry: LedgerBookEntry, byContent: boolean): boolean {
    if (entry.tableNo !== row.table || entry.grams !== row.grams) return false;
    if (!byContent) return true;
    if (cstTime(entry.occurredAt) !== cstTime(row.occurredAt)) return false;
    if (row.movement !== undefined && entry.movement !== row.movement) return false;
    if (row.manifestNo !== undefined && entry.manifestNo !== null && entry.manifestNo !== row.manifestNo)
      return false;
    if (row.counterpartyUscc !== undefined && entry.counterpartyUscc !== row.counterpartyUscc) return false;
    return true;
  }
}

const ON = (row: LedgerRow) => (row.manifestNo ? ` on manifest ${row.manifestNo}` : '');

/** Why a row of table 2, 3 or 5 is not in the book, and who records the act it stands for. */
export function whoRecords(row: LedgerRow): string {
  if (row.table === 5)
    return (
      `待接收单位记录：the receiving unit${row.counterpartyUscc ? ` ${row.counterpartyUscc}` : ''} records its receipt${ON(row)} and its treatment ` +
      `(POST /v1/manifests/{no}/receipt, POST /v1/batches/{code}/treatments); this ledger has not got them — the import does not record another party's acts`
    );
  switch (row.movement) {
    case 'generated':
      return `not in the ledger: it follows from the generation of ${row.sourceCode} — table 1 of the file (or the ledger) has no generation of that batch at this time and mass`;
    case 'treated':
      return `not in the ledger: it follows from the party's own treatment of ${row.sourceCode} — table 4 of the file (or the ledger) has no such treatment`;
    case 'shipped':
      return `待承运单位记录：the carrier records the pickup${ON(row)} (POST /v1/manifests/{no}/pickup) on a manifest the shipper issued; this ledger has not got it — the import does not record another party's acts`;
    case 'received':
    case 'returned':
      return `待接收单位记录：a ${row.movement === 'received' ? 'receipt' : 'return after rejection'}${ON(row)} is recorded by the receiving unit on the manifest (POST /v1/manifests/{no}/receipt); this ledger has not got it — the import does not invent manifests`;
    case 'split':
    case 'consolidated':
    case 'corrected':
      return `not in the ledger: a ${row.movement === 'split' ? 'split' : row.movement === 'consolidated' ? 'consolidation' : 'correction'} is recorded with its own command (POST /v1/batches/{code}/split, /v1/consolidations, /v1/batches/{code}/correction-requests and its approval), not imported from the 台账`;
    default:
      return row.table === 2
        ? `not in the ledger: an 入库 row is written by the act it stands for (a generation in table 1, or the receiving unit's receipt: 待接收单位记录)`
        : `not in the ledger: an 出库 row is written by the act it stands for (the party's treatment in table 4, or the carrier's pickup: 待承运单位记录)`;
  }
}

export function isLedgerRow(row: ImportRow): row is LedgerRow {
  return row.table === 2 || row.table === 3 || row.table === 5;
}
