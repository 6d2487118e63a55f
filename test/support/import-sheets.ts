import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { BOOK_TABLES, cstTime } from '../../apps/api/src/documents-ledger-book/ledger-book.columns';
import { loadWorkbook } from './documents';

/** Sheets in the columns of the 台账 export, for the import suites (deterministic: an LCG, no Math.random). */
const TABLE1 = BOOK_TABLES[0];

export type Binary = Response & { body: Buffer };
export function binary(res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The per-row report of import `id` (GET /v1/imports/{id}/report.xlsx, asserted 200): its sheet 导入结果. */
export async function importReportSheet(
  http: TestAgent,
  id: string,
  authorization: string,
): Promise<ExcelJS.Worksheet> {
  const res = (await http
    .get(`/v1/imports/${id}/report.xlsx`)
    .set('Authorization', authorization)
    .buffer(true)
    .parse(binary as never)) as Binary;
  expect(res.status).toBe(200);
  const workbook = await loadWorkbook(res.body);
  return workbook.getWorksheet('导入结果') as ExcelJS.Worksheet;
}

class Lcg {
  private state = 20250101n;
  int(min: number, max: number): number {
    this.state = (this.state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return min + Math.floor((Number(this.state >> 11n) / 2 ** 53) * (max - min + 1));
  }
}

export interface SheetRow {
  code: string;
  occurredAt: string;
  category: string;
  subtype?: string;
  wasteCode?: string;
  grams: number;
}

/** A year (2025, CST) of a generator's records: hazardous oil, slag, fly ash, exact to the gram. */
export function yearOfRows(n: number): SheetRow[] {
  const random = new Lcg();
  const kinds = [
    { category: 'hazardous', wasteCode: '900-249-08' },
    { category: 'industrial', subtype: 'slag' },
    { category: 'industrial', subtype: 'fly_ash' },
  ];
  const start = Date.parse('2025-01-01T00:00:00+08:00');
  const span = Date.parse('2026-01-01T00:00:00+08:00') - start;
  return Array.from({ length: n }, (_, i) => ({
    code: `HIS-2025-${String(i + 1).padStart(5, '0')}`,
    occurredAt: new Date(start + Math.floor((span / n) * i) + random.int(0, 59) * 1000).toISOString(),
    ...kinds[random.int(0, kinds.length - 1)],
    grams: random.int(1, 5_000_000),
  }));
}

/** The cells of a row in the export's columns (the ones the ledger keeps; the others empty). */
export function cellsOf(row: SheetRow): (string | number)[] {
  const names: Record<string, string> = {
    hazardous: '危险废物',
    industrial: '一般工业固体废物',
    slag: '炉渣',
    fly_ash: '粉煤灰',
  };
  const byKey: Record<string, string | number> = {
    traceCode: row.code,
    occurredAt: cstTime(row.occurredAt),
    description: row.category === 'hazardous' ? '废矿物油' : '',
    wasteCode: row.wasteCode ?? '',
    tonnes: (Math.round(row.grams / 1000) / 1000).toFixed(3),
    unit: '吨',
    grams: row.grams,
    category: names[row.category],
    subtype: row.subtype ? names[row.subtype] : '',
  };
  return TABLE1.columns.map((c) => byKey[c.key] ?? '');
}

export function csvOf(rows: SheetRow[]): Buffer {
  return Buffer.from(stringify([TABLE1.columns.map((c) => c.header), ...rows.map(cellsOf)], { bom: true }));
}

export async function xlsxOf(rows: SheetRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').addRow(['文件', '历史台账']);
  const sheet = workbook.addWorksheet(TABLE1.sheet);
  sheet.addRow(TABLE1.columns.map((c) => c.header));
  for (const row of rows)
    sheet.addRow(cellsOf(row).map((v, i) => (TABLE1.columns[i].key === 'grams' ? v : String(v))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
