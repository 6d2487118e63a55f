import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CATEGORY_NAMES, type WasteCategory } from '@wasteflow/domain';
import { BOOK_TABLES, type BookTable } from '../documents-ledger-book/ledger-book.columns';
import { GenerateWasteDto } from '../generate-waste/generate-waste.dto';
import { TreatWasteDto } from '../treat-waste/treat-waste.dto';
import {
  CATEGORY_BY_NAME,
  EVENT_ID,
  MOVEMENT_BY_NAME,
  SUBTYPE_BY_NAME,
  cellText,
  gramsOf,
  instantOf,
  kgOf,
  type Cell,
} from './import-cells';

/**
 * One sheet (or CSV) of a 台账 file read as the table of HJ 1259 it is, found by its header row: the
 * export's batch-code and time columns of that table (表1 产生批次编码 + 产生时间, 表2 入库批次编码 + 入库时间,
 * 表3 出库批次编码 + 出库时间, 表4 自行利用/处置批次编码 + 自行利用/处置时间, 表5 出库批次编码 + 利用/处置时间: five
 * distinct pairs). The other columns are found by their headers in any order; the standard's columns the
 * ledger does not record are ignored. Each row becomes one of:
 * - table 1: the body of a generation (checked by the DTO of POST /v1/batches), with its containers and
 *   generating facility when the columns have them;
 * - table 4: the body of the party's own treatment (checked by the DTO of POST /v1/batches/{code}/treatments);
 * - tables 2, 3, 5: a row to reconcile with the ledger book (facts recorded by other parties or derived).
 */
export type ImportTableNo = 1 | 2 | 3 | 4 | 5;

export interface RowProblem {
  /** The sheet the row is on (for a CSV: the sheet of the table it holds). */
  readonly sheet: string;
  readonly table: ImportTableNo;
  /** 1-based row of the sheet or file (the header is row 1). */
  readonly row: number;
  readonly column: string;
  readonly rule: string;
  readonly message: string;
}

interface RowBase {
  readonly sheet: string;
  readonly row: number;
  /** The batch code the file gives (its own, or another ledger's): provenance, resolved when applied. */
  readonly sourceCode: string;
  /** The hidden 事件编号 of a row exported from a wasteflow ledger (looked up: this ledger's own row?). */
  readonly eventId?: string;
  readonly occurredAt: string;
}

export interface GenerationRow extends RowBase {
  readonly table: 1;
  readonly body: {
    category: string;
    subtype?: string;
    wasteCode?: string;
    description?: string;
    /** 容器/包装类型, 容器/包装数量, 产生危险废物设施编码 (as the export writes them). */
    packagingType?: string;
    packageCount?: number;
    facilityCode?: string;
    massKg: number;
    occurredAt: string;
  };
}

export interface TreatmentRow extends RowBase {
  readonly table: 4;
  /** The body of the treatment, without the batch code (resolved when applied). */
  readonly body: { operation: string; massKg: number; occurredAt: string; facilityCode?: string };
  /** The n-th row of the sheet with this code and body (0 for the first): two such rows are two treatments. */
  readonly occurrence: number;
}

export interface LedgerRow extends RowBase {
  readonly table: 2 | 3 | 5;
  readonly grams: bigint;
  /** 来源 (table 2) / 去向 (table 3) as the ledger book's movement. */
  readonly movement?: string;
  readonly manifestNo?: string;
  /** Table 5: the receiver's USCC. */
  readonly counterpartyUscc?: string;
}

export type ImportRow = GenerationRow | TreatmentRow | LedgerRow;

export interface RowSink {
  problem(problem: RowProblem): void;
  push(row: ImportRow): void;
}

const headerOf = (table: BookTable, key: string): string | undefined =>
  table.columns.find((c) => c.key === key)?.header;

/** The table whose batch-code and time headers the header row has, if any. */
export function tableOfHeader(cells: readonly Cell[]): BookTable | undefined {
  const names = new Set(cells.map(cellText));
  return BOOK_TABLES.find(
    (t) => names.has(headerOf(t, 'traceCode') as string) && names.has(headerOf(t, 'occurredAt') as string),
  );
}

export class UnreadableFile extends Error {
  readonly status = 400;
  readonly rule = 'unreadable-file';
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

/** The rows of one table: its header's columns, then each row checked and handed to the sink. */
export class TableRows {
  readonly no: ImportTableNo;
  private readonly columns: Map<string, number>;
  private readonly h: Record<string, string>;
  private readonly seen = new Map<string, number>();
  private readonly occurrences = new Map<string, number>();

  constructor(
    readonly table: BookTable,
    readonly sheet: string,
    header: readonly Cell[],
    private readonly sink: RowSink,
  ) {
    this.no = table.no as ImportTableNo;
    this.columns = new Map(header.map((c, i) => [cellText(c), i]));
    this.h = Object.fromEntries(table.columns.map((c) => [c.key, c.header]));
    if (!this.columns.has(this.h.tonnes) && !this.columns.has(this.h.grams))
      throw new UnreadableFile(`${sheet}: the header row has neither ${this.h.tonnes} nor ${this.h.grams}`);
    if (this.no === 4 && !this.columns.has(this.h.operation))
      throw new UnreadableFile(`${sheet}: the header row has no column ${this.h.operation}`);
  }

  private problem(row: number, column: string, rule: string, message: string): void {
    this.sink.problem({ sheet: this.sheet, table: this.no, row, column, rule, message });
  }

  async add(rowNo: number, cells: readonly Cell[]): Promise<void> {
    const get = (key: string): Cell => {
      const i = this.columns.get(this.h[key]);
      return i === undefined ? null : (cells[i] ?? null);
    };
    const text = (key: string) => cellText(get(key));
    let failed = false;
    const problem = (key: string, rule: string, message: string) => {
      failed = true;
      this.problem(rowNo, this.h[key] ?? key, rule, message);
    };
    const H = this.h;
    const sourceCode = text('traceCode');
    if (sourceCode === '') problem('traceCode', 'required', `${H.traceCode} is empty`);
    else if (sourceCode.length > 64)
      problem('traceCode', 'maxLength', `${H.traceCode} has more than 64 characters`);
    else if (this.no === 1 && this.seen.has(sourceCode))
      problem(
        'traceCode',
        'duplicate',
        `${H.traceCode} ${sourceCode} is also row ${this.seen.get(sourceCode)}`,
      );
    else if (this.no === 1) this.seen.set(sourceCode, rowNo);
    const occurredAt = instantOf(get('occurredAt'));
    if (occurredAt === undefined)
      problem(
        'occurredAt',
        'isInstant',
        `${H.occurredAt} must be YYYY-MM-DD HH:mm:ss (CST) or an ISO time with an offset`,
      );
    const mass = gramsOf(text('grams'), text('tonnes'), { grams: H.grams, tonnes: H.tonnes });
    if (typeof mass !== 'bigint') problem(mass.column, mass.rule, mass.message);
    const eventIdText = text('eventId');
    const base = {
      sheet: this.sheet,
      row: rowNo,
      sourceCode,
      ...(EVENT_ID.test(eventIdText) ? { eventId: eventIdText } : {}),
    };
    if (this.no === 1) {
      const body = this.generation(get, problem);
      if (failed || !body || occurredAt === undefined || typeof mass !== 'bigint') return;
      const full = { ...body, massKg: kgOf(mass), occurredAt };
      if (await this.checked(rowNo, GenerateWasteDto, full, GENERATION_COLUMNS))
        this.sink.push({ ...base, table: 1, occurredAt, body: full });
      return;
    }
    if (this.no === 4) {
      const operation = text('operation');
      if (failed || occurredAt === undefined || typeof mass !== 'bigint') return;
      const facilityCode = text('facilityCode');
      const body = {
        operation,
        massKg: kgOf(mass),
        occurredAt,
        // 自行利用/处置设施编码: the facility it was done on (checked against the party's registered ones)
        ...(facilityCode ? { facilityCode } : {}),
      };
      if (!(await this.checked(rowNo, TreatWasteDto, body, TREATMENT_COLUMNS))) return;
      const same = JSON.stringify([sourceCode, body]);
      const occurrence = this.occurrences.get(same) ?? 0;
      this.occurrences.set(same, occurrence + 1);
      this.sink.push({ ...base, table: 4, occurredAt, body, occurrence });
      return;
    }
    const movementText = this.no === 5 ? '' : text('movement');
    const movement = movementText === '' ? undefined : MOVEMENT_BY_NAME.get(movementText);
    if (movementText !== '' && movement === undefined)
      problem('movement', 'isIn', `${H.movement} ${movementText} is none of the book's 来源/去向`);
    const manifestNo = text('manifestNo');
    const counterparty = this.no === 5 ? text('receiverUscc') : '';
    if (failed || occurredAt === undefined || typeof mass !== 'bigint') return;
    this.sink.push({
      ...base,
      table: this.no as 2 | 3 | 5,
      occurredAt,
      grams: mass,
      ...(movement ? { movement } : {}),
      ...(manifestNo ? { manifestNo } : {}),
      ...(counterparty ? { counterpartyUscc: counterparty } : {}),
    });
  }

  /** Category, subtype, waste code and name of a generation (its mass and time are read beside). */
  private generation(
    get: (key: string) => Cell,
    problem: (key: string, rule: string, message: string) => void,
  ): Omit<GenerationRow['body'], 'massKg' | 'occurredAt'> | undefined {
    const H = this.h;
    const wasteCode = cellText(get('wasteCode')) || undefined;
    const categoryText = cellText(get('category'));
    const category =
      categoryText === '' ? (wasteCode ? 'hazardous' : '') : CATEGORY_BY_NAME.get(categoryText);
    if (category === undefined || category === '')
      problem('category', 'isIn', `${H.category} must be one of ${Object.values(CATEGORY_NAMES).join('、')}`);
    const subtypeText = cellText(get('subtype'));
    const subtype = subtypeText === '' ? undefined : SUBTYPE_BY_NAME.get(subtypeText);
    if (subtypeText !== '' && subtype === undefined)
      problem('subtype', 'isIn', `${H.subtype} ${subtypeText} is not a subtype`);
    const description = cellText(get('description')) || undefined;
    const packagingType = cellText(get('containerType')) || undefined;
    const countText = cellText(get('containerCount'));
    const packageCount = /^\d{1,9}$/.test(countText) ? Number(countText) : undefined;
    if (countText !== '' && packageCount === undefined)
      problem('containerCount', 'isInt', `${H.containerCount} must be a whole number of containers`);
    const facilityCode = cellText(get('facilityCode')) || undefined;
    if (!category) return undefined;
    return {
      category: category as WasteCategory,
      ...(subtype ? { subtype } : {}),
      ...(wasteCode ? { wasteCode } : {}),
      ...(description ? { description } : {}),
      ...(packagingType ? { packagingType } : {}),
      ...(packageCount !== undefined ? { packageCount } : {}),
      ...(facilityCode ? { facilityCode } : {}),
    };
  }

  /** The same checks as the write route the row stands for; each failure a problem on its column. */
  private async checked(
    rowNo: number,
    dto: new () => object,
    body: object,
    columnOf: Readonly<Record<string, string>>,
  ): Promise<boolean> {
    const errors = await validate(plainToInstance(dto, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    for (const error of errors)
      this.problem(
        rowNo,
        this.h[columnOf[error.property] ?? ''] ?? error.property,
        Object.keys(error.constraints ?? {})[0] ?? 'invalid',
        Object.values(error.constraints ?? {})[0] ?? 'invalid',
      );
    return errors.length === 0;
  }
}

/** The column (by key) a field of a generation body comes from, for its problems. */
const GENERATION_COLUMNS: Readonly<Record<string, string>> = {
  category: 'category',
  subtype: 'subtype',
  wasteCode: 'wasteCode',
  description: 'description',
  packagingType: 'containerType',
  packageCount: 'containerCount',
  facilityCode: 'facilityCode',
  massKg: 'tonnes',
  occurredAt: 'occurredAt',
};

const TREATMENT_COLUMNS: Readonly<Record<string, string>> = {
  operation: 'operation',
  facilityCode: 'facilityCode',
  massKg: 'tonnes',
  occurredAt: 'occurredAt',
};
