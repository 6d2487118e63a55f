import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as csvParser } from 'csv-parse';
import { BOOK_TABLES } from '../documents-ledger-book/ledger-book.columns';
import { cellText, type Cell } from './import-cells';
import {
  TableRows,
  UnreadableFile,
  tableOfHeader,
  type ImportRow,
  type ImportTableNo,
  type RowProblem,
  type RowSink,
} from './import-tables';
import { WholeCharacterWorkbookReader } from './xlsx-reader';

export {
  UnreadableFile,
  type GenerationRow,
  type ImportRow,
  type ImportTableNo,
  type LedgerRow,
  type RowProblem,
  type TreatmentRow,
} from './import-tables';

/**
 * The import's reading of a 台账 file (issue 14 item 6): every sheet of an xlsx that is one of the five
 * tables of the export (`ledger-book.columns.ts`), or a CSV holding one table (the export's CSV: one file
 * per table, `table=1…5`); which table a sheet or CSV is, its header row says (see `tableOfHeader`), never
 * its name. Rows are read as a stream, with a turn of the event loop every few hundred, so that a large
 * file never holds the loop; a problem names the sheet, the row, the column and the rule.
 */
export const MAX_IMPORT_ROWS = 50_000;

export interface ImportPlan {
  readonly sha256: string;
  readonly rows: readonly ImportRow[];
  /** The tables found, with their row counts. */
  readonly tables: Readonly<Partial<Record<ImportTableNo, number>>>;
  readonly problems: readonly RowProblem[];
  /** How many problems there were (the list is cut at 1,000). */
  readonly problemCount: number;
}

export class TooManyRows extends Error {
  readonly status = 413;
  readonly rule = 'too-many-rows';
  readonly details = { maxRows: MAX_IMPORT_ROWS };
  constructor() {
    super(`an import holds at most ${MAX_IMPORT_ROWS} rows: split the file`);
    this.name = 'TooManyRows';
  }
}

class Collector implements RowSink {
  readonly rows: ImportRow[] = [];
  readonly problems: RowProblem[] = [];
  readonly tables: Partial<Record<ImportTableNo, number>> = {};
  problemCount = 0;

  problem(problem: RowProblem): void {
    this.problemCount += 1;
    if (this.problems.length < 1000) this.problems.push(problem);
  }

  push(row: ImportRow): void {
    this.rows.push(row);
    this.tables[row.table] = (this.tables[row.table] ?? 0) + 1;
  }

  /** Counts a row about to be read: a file of more rows than an import holds is refused. */
  count(): void {
    if (this.rows.length + this.problemCount >= MAX_IMPORT_ROWS) throw new TooManyRows();
  }
}

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reads and checks every row of a file; throws UnreadableFile / TooManyRows for a file that is not one. */
export async function planImport(file: Buffer, contentType: string): Promise<ImportPlan> {
  const collector = new Collector();
  let n = 0;
  const tick = async () => {
    if (++n % 500 === 0) await nextTurn();
  };
  try {
    if (contentType === XLSX_TYPE) await readXlsx(file, collector, tick);
    else await readCsv(file, collector, tick);
  } catch (error) {
    if (error instanceof TooManyRows || error instanceof UnreadableFile) throw error;
    throw new UnreadableFile(
      `not a readable ${contentType === XLSX_TYPE ? 'xlsx workbook' : 'CSV file'}: ${(error as Error).message}`,
    );
  }
  return {
    sha256: createHash('sha256').update(file).digest('hex'),
    rows: collector.rows,
    tables: collector.tables,
    problems: collector.problems,
    problemCount: collector.problemCount,
  };
}

const HEADERS = BOOK_TABLES.map(
  (t) =>
    `${t.sheet}: ${t.columns.find((c) => c.key === 'traceCode')?.header} + ${t.columns.find((c) => c.key === 'occurredAt')?.header}`,
).join('; ');

/** A CSV is one table: the one its header row names (the export's CSV of `table=N` is read as table N). */
async function readCsv(file: Buffer, collector: Collector, tick: () => Promise<void>): Promise<void> {
  const parser = Readable.from(chunks(file)).pipe(
    csvParser({ bom: true, relax_column_count: true, max_record_size: 64 * 1024 }),
  );
  let rowNo = 0;
  let table: TableRows | undefined;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo += 1;
    if (!table) {
      const found = tableOfHeader(record);
      if (!found)
        throw new UnreadableFile(
          `the header row is none of the 台账 tables (a CSV holds one table, with the batch-code and time columns of the export: ${HEADERS})`,
        );
      table = new TableRows(found, found.sheet, record, collector);
      continue;
    }
    if (record.every((c) => cellText(c) === '')) continue;
    collector.count();
    await table.add(rowNo, record);
    await tick();
  }
  if (!table) throw new UnreadableFile('the file has no header row');
}

function* chunks(file: Buffer): Generator<Buffer> {
  for (let i = 0; i < file.length; i += 64 * 1024) yield file.subarray(i, i + 64 * 1024);
}

/**
 * Every sheet whose header row is one of the tables' (the first sheet of each table: a second sheet of a
 * table already read is not read); sheets of anything else (the export's 说明) are passed over. The workbook
 * is read once, as a stream, each sheet to its end (the streaming reader needs it).
 */
async function readXlsx(file: Buffer, collector: Collector, tick: () => Promise<void>): Promise<void> {
  const reader = new WholeCharacterWorkbookReader(Readable.from(chunks(file)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  const found = new Set<number>();
  for await (const sheet of reader) {
    let table: TableRows | undefined;
    let header = true;
    let skip = false;
    for await (const row of sheet) {
      if (skip) continue;
      const values = (row.values as Cell[]).slice(1);
      if (header) {
        header = false;
        const kind = tableOfHeader(values);
        if (!kind || found.has(kind.no)) {
          skip = true;
          continue;
        }
        found.add(kind.no);
        const name = (sheet as unknown as { name?: string }).name;
        table = new TableRows(kind, name || kind.sheet, values, collector);
        continue;
      }
      if (!table || values.every((v) => cellText(v) === '')) continue;
      collector.count();
      await table.add(row.number, values);
      await tick();
    }
  }
  if (found.size === 0)
    throw new UnreadableFile(
      `the workbook has no sheet of the 台账 tables (a header row with the batch-code and time columns of the export: ${HEADERS})`,
    );
}
