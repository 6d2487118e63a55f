import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { BOOK_TABLES } from '../../apps/api/src/documents-ledger-book/ledger-book.columns';
import { bytesOf } from './fixtures';
import type { TestApp } from './test-app';

/**
 * The documents suites' shared reading (labels, 联单, 台账): the prints' configuration, a GET that waits for
 * the read models and keeps the bytes, the 台账 workbook's tables as rows.
 */

/** The app's environment for the prints: the 2021 HW catalogue (names of the codes) and the public trace URL of the QR codes. */
export function printEnv(publicUrl: string): Record<string, string> {
  return {
    WASTEFLOW_HW_CATALOGUE: join(__dirname, '..', '..', 'catalogue', 'hw-list-2021.csv'),
    WASTEFLOW_PUBLIC_URL: publicUrl,
  };
}

/**
 * GET `path` once the read models hold the head of the log (the api's read-your-writes), the body kept as
 * bytes; without an Authorization header when `token` is undefined.
 */
export async function getDocument(t: TestApp, path: string, token: string | undefined): Promise<Response> {
  const at = `${path.includes('?') ? '&' : '?'}minPosition=${await t.headPosition()}`;
  const request = t.http.get(`${path}${at}`).buffer(true).parse(bytesOf);
  return token === undefined ? request : request.set('Authorization', `Bearer ${token}`);
}

/** A 台账 workbook (xlsx bytes) loaded. */
export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/** The data rows of table `no` (1–5) of a 台账 workbook keyed by the table's column keys; checks the header row. */
export function bookTableRows(workbook: ExcelJS.Workbook, no: number): Record<string, unknown>[] {
  const table = BOOK_TABLES[no - 1];
  const sheet = workbook.getWorksheet(table.sheet);
  if (!sheet) throw new Error(`no sheet ${table.sheet}`);
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(table.columns.map((c) => c.header));
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(table.columns.map((c, i) => [c.key, values[i] ?? null])));
  });
  return rows;
}
