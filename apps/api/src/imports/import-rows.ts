import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse as csvParser } from 'csv-parse';
import { CATEGORY_NAMES, SUBTYPE_NAMES, type WasteCategory } from '@wasteflow/domain';
import { BOOK_TABLES } from '../documents-ledger-book/ledger-book.columns';
import { GenerateWasteDto } from '../generate-waste/generate-waste.dto';
import { WholeCharacterWorkbookReader } from './xlsx-reader';

/**
 * The import's reading of a 台账 file (issue 14 item 6): the sheet 表1 产生环节 of an xlsx, or a CSV, in the
 * columns of the export (`ledger-book.columns.ts`; found by their headers, in any order, the standard's
 * columns the ledger does not record ignored). Each row becomes the body of one generation, checked by the
 * same DTO as POST /v1/batches; a problem names the row, the column and the rule. The rows are read as a
 * stream, with a turn of the event loop every few hundred, so that a large file never holds the loop.
 */
export const MAX_IMPORT_ROWS = 20_000;

export interface RowProblem {
  /** 1-based row of the sheet or file (the header is row 1). */
  readonly row: number;
  readonly column: string;
  readonly rule: string;
  readonly message: string;
}

export interface GenerationRow {
  readonly row: number;
  /** The batch code the file gives (its own, or another system's): provenance, not a ledger code. */
  readonly sourceCode: string;
  /** The hidden 事件编号 of a row exported from a wasteflow ledger (looked up: this ledger's own row?). */
  readonly eventId?: string;
  readonly body: {
    category: string;
    subtype?: string;
    wasteCode?: string;
    description?: string;
    massKg: number;
    occurredAt: string;
  };
}

export interface ImportPlan {
  readonly sha256: string;
  readonly rows: readonly GenerationRow[];
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

export class UnreadableFile extends Error {
  readonly status = 400;
  readonly rule = 'unreadable-file';
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

const TABLE1 = BOOK_TABLES[0];
const header = (key: string) => TABLE1.columns.find((c) => c.key === key)?.header as string;
const H = {
  code: header('traceCode'),
  time: header('occurredAt'),
  name: header('description'),
  wasteCode: header('wasteCode'),
  tonnes: header('tonnes'),
  grams: header('grams'),
  category: header('category'),
  subtype: header('subtype'),
  eventId: header('eventId'),
};
/** Which column a field of the generation body comes from (for the problems). */
const COLUMN_OF: Record<string, string> = {
  category: H.category,
  subtype: H.subtype,
  wasteCode: H.wasteCode,
  description: H.name,
  massKg: H.tonnes,
  occurredAt: H.time,
};

const CATEGORY_BY_NAME = new Map<string, string>(
  Object.entries(CATEGORY_NAMES).flatMap(([key, name]) => [
    [name, key],
    [key, key],
  ]),
);
const SUBTYPE_BY_NAME = new Map<string, string>(
  Object.entries(SUBTYPE_NAMES).flatMap(([key, name]) => [
    [name, key],
    [key, key],
  ]),
);

/** An event id as the export writes it (a UUID); anything else in the column is not looked up. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Cell = string | number | Date | null;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value).trim();
}

/** `2025-03-03 09:00[:00]` (CST, as the export writes it), an ISO instant with an offset, or a date cell. */
function instantOf(value: Cell): string | undefined {
  if (value instanceof Date) {
    // a spreadsheet's date cell has no zone: its wall time is the CST time the form was written in
    const wall = value.toISOString().slice(0, 19);
    return `${wall}+08:00`;
  }
  const text = cellText(value);
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(text);
  const instant = local
    ? `${local[1]}T${local[2]}${local[3] ?? ':00'}+08:00`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
      ? text
      : undefined;
  return instant !== undefined && onTheCalendar(instant) ? instant : undefined;
}

/** The date and the time of day exist (2025-13-45 25:00 has the shape of a time and is none). */
function onTheCalendar(instant: string): boolean {
  const [, y, mo, d, h, mi, sec] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):?(\d{2})?/.exec(instant) ?? [];
  if (y === undefined) return false;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec ?? 0) < 60 &&
    !Number.isNaN(Date.parse(instant))
  );
}

class Collector {
  readonly rows: GenerationRow[] = [];
  readonly problems: RowProblem[] = [];
  problemCount = 0;
  private columns?: Map<string, number>;

  get hasHeader(): boolean {
    return this.columns !== undefined;
  }
  private readonly seen = new Map<string, number>();

  problem(row: number, column: string, rule: string, message: string): void {
    this.problemCount += 1;
    if (this.problems.length < 1000) this.problems.push({ row, column, rule, message });
  }

  async add(rowNo: number, cells: Cell[]): Promise<void> {
    if (!this.columns) {
      this.columns = new Map(cells.map((c, i) => [cellText(c), i]));
      for (const required of [H.code, H.time])
        if (!this.columns.has(required))
          throw new UnreadableFile(`the header row has no column ${required} (table 1 of the 台账 export)`);
      if (!this.columns.has(H.tonnes) && !this.columns.has(H.grams))
        throw new UnreadableFile(`the header row has neither ${H.tonnes} nor ${H.grams}`);
      return;
    }
    if (cells.every((c) => cellText(c) === '')) return;
    if (this.rows.length + this.problemCount >= MAX_IMPORT_ROWS) throw new TooManyRows();
    const columns = this.columns;
    const get = (name: string): Cell => {
      const i = columns.get(name);
      return i === undefined ? null : (cells[i] ?? null);
    };
    const before = this.problemCount;
    const sourceCode = cellText(get(H.code));
    if (sourceCode === '') this.problem(rowNo, H.code, 'required', `${H.code} is empty`);
    else if (sourceCode.length > 64)
      this.problem(rowNo, H.code, 'maxLength', `${H.code} has more than 64 characters`);
    else if (this.seen.has(sourceCode))
      this.problem(
        rowNo,
        H.code,
        'duplicate',
        `${H.code} ${sourceCode} is also row ${this.seen.get(sourceCode)}`,
      );
    else this.seen.set(sourceCode, rowNo);
    const occurredAt = instantOf(get(H.time));
    if (occurredAt === undefined)
      this.problem(
        rowNo,
        H.time,
        'isInstant',
        `${H.time} must be YYYY-MM-DD HH:mm:ss (CST) or an ISO time with an offset`,
      );
    const massKg = this.massOf(rowNo, get(H.grams), get(H.tonnes));
    const wasteCode = cellText(get(H.wasteCode)) || undefined;
    const categoryText = cellText(get(H.category));
    const category =
      categoryText === '' ? (wasteCode ? 'hazardous' : '') : CATEGORY_BY_NAME.get(categoryText);
    if (category === undefined || category === '')
      this.problem(
        rowNo,
        H.category,
        'isIn',
        `${H.category} must be one of ${Object.values(CATEGORY_NAMES).join('、')}`,
      );
    const subtypeText = cellText(get(H.subtype));
    const subtype = subtypeText === '' ? undefined : SUBTYPE_BY_NAME.get(subtypeText);
    if (subtypeText !== '' && subtype === undefined)
      this.problem(rowNo, H.subtype, 'isIn', `${H.subtype} ${subtypeText} is not a subtype`);
    const description = cellText(get(H.name)) || undefined;
    if (this.problemCount > before || occurredAt === undefined || massKg === undefined || !category) return;
    const body = {
      category: category as WasteCategory,
      ...(subtype ? { subtype } : {}),
      ...(wasteCode ? { wasteCode } : {}),
      ...(description ? { description } : {}),
      massKg,
      occurredAt,
    };
    // the same checks as POST /v1/batches
    const errors = await validate(plainToInstance(GenerateWasteDto, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    for (const error of errors) {
      const rule = Object.keys(error.constraints ?? {})[0] ?? 'invalid';
      this.problem(
        rowNo,
        COLUMN_OF[error.property] ?? error.property,
        rule,
        Object.values(error.constraints ?? {})[0] ?? 'invalid',
      );
    }
    const eventId = cellText(get(H.eventId));
    if (errors.length === 0)
      this.rows.push({ row: rowNo, sourceCode, ...(EVENT_ID.test(eventId) ? { eventId } : {}), body });
  }

  /** Exact grams when the hidden column has them (they must agree with the tonnes shown), else the tonnes. */
  private massOf(rowNo: number, gramsCell: Cell, tonnesCell: Cell): number | undefined {
    const gramsText = cellText(gramsCell);
    const tonnesText = cellText(tonnesCell);
    let grams: bigint | undefined;
    if (gramsText !== '') {
      if (!/^\d{1,15}$/.test(gramsText) || gramsText === '0' || /^0+$/.test(gramsText)) {
        this.problem(rowNo, H.grams, 'isGrams', `${H.grams} must be a positive whole number of grams`);
        return undefined;
      }
      grams = BigInt(gramsText);
    }
    if (tonnesText !== '') {
      const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(tonnesText);
      if (!m) {
        this.problem(rowNo, H.tonnes, 'isTonnes', `${H.tonnes} must be tonnes with at most 6 decimals`);
        return undefined;
      }
      const fromTonnes = BigInt(m[1]) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
      if (grams === undefined) grams = fromTonnes;
      else if ((grams + 500n) / 1000n !== (fromTonnes + 500n) / 1000n) {
        this.problem(
          rowNo,
          H.tonnes,
          'massMismatch',
          `${H.tonnes} ${tonnesText} is not ${H.grams} ${gramsText} rounded to the kilogram`,
        );
        return undefined;
      }
    }
    if (grams === undefined || grams === 0n) {
      this.problem(rowNo, H.tonnes, 'required', `${H.tonnes} is empty`);
      return undefined;
    }
    return Number(`${grams / 1000n}.${(grams % 1000n).toString().padStart(3, '0')}`);
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
  if (!collector.hasHeader) throw new UnreadableFile('the file has no header row');
  return {
    sha256: createHash('sha256').update(file).digest('hex'),
    rows: collector.rows,
    problems: collector.problems,
    problemCount: collector.problemCount,
  };
}

async function readCsv(file: Buffer, collector: Collector, tick: () => Promise<void>): Promise<void> {
  const parser = Readable.from(chunks(file)).pipe(
    csvParser({ bom: true, relax_column_count: true, max_record_size: 64 * 1024 }),
  );
  let rowNo = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo += 1;
    await collector.add(rowNo, record);
    await tick();
  }
}

function* chunks(file: Buffer): Generator<Buffer> {
  for (let i = 0; i < file.length; i += 64 * 1024) yield file.subarray(i, i + 64 * 1024);
}

/** The sheet of table 1: named as the export names it, else the first whose header has 产生批次编码. */
async function readXlsx(file: Buffer, collector: Collector, tick: () => Promise<void>): Promise<void> {
  const reader = new WholeCharacterWorkbookReader(Readable.from(chunks(file)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let found = false;
  for await (const sheet of reader) {
    let header: Cell[] | undefined;
    let skip = false;
    // every sheet is read to its end (the streaming reader needs it); only the one of table 1 is kept
    for await (const row of sheet) {
      if (skip) continue;
      const values = (row.values as Cell[]).slice(1);
      if (!header) {
        header = values;
        skip =
          found || !values.some((v) => cellText(v) === H.code) || !values.some((v) => cellText(v) === H.time);
        if (skip) continue;
        found = true;
        await collector.add(1, values);
        continue;
      }
      await collector.add(row.number, values);
      await tick();
    }
  }
  if (!found)
    throw new UnreadableFile(
      `the workbook has no sheet of table 1 (a header row with ${H.code} and ${H.time})`,
    );
}
