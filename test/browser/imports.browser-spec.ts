import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { ManualClock } from '@wasteflow/event-store';
import { BOOK_TABLES, cstTime } from '../../apps/api/src/documents-ledger-book/ledger-book.columns';
import { CLOCK_START, HW08_CODE } from '../support/fixtures';
import { downloadOf, screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * A site brings in last year's spreadsheet from the console (issue 14 item 6): a file with row problems is
 * refused whole on the page, naming sheet, row and column (a CSV of table 1, a workbook's table 4), and
 * nothing is appended; a good file (one row dated in
 * the future, which the ledger refuses) is checked, imported with a progress bar to the end, each count and
 * the refused row shown as GET /v1/imports/{id} answers them, the per-row report downloaded and read back;
 * the same file again applies nothing.
 */
const SUITE = 'console imports in Chromium';
const TABLE1 = BOOK_TABLES[0];
const ROWS = 300;

interface Row {
  code: string;
  occurredAt: string;
  grams: number | string;
}

/** A CSV in the columns of the 台账 export's table 1 (the columns the ledger keeps; the others empty). */
function csvOf(rows: Row[]): Buffer {
  const cells = (row: Row) => {
    const byKey: Record<string, string | number> = {
      traceCode: row.code,
      occurredAt: row.occurredAt,
      description: '废矿物油',
      wasteCode: HW08_CODE,
      unit: '吨',
      grams: row.grams,
      category: '危险废物',
    };
    return TABLE1.columns.map((c) => byKey[c.key] ?? '');
  };
  return Buffer.from(stringify([TABLE1.columns.map((c) => c.header), ...rows.map(cells)], { bom: true }));
}

/** ROWS generations of 2025, one a day from 1 January at 09:00 CST, exact to the gram (no randomness). */
const year: Row[] = Array.from({ length: ROWS }, (_, i) => ({
  code: `HIS-2025-${String(i + 1).padStart(4, '0')}`,
  occurredAt: cstTime(new Date(Date.parse('2025-01-01T09:00:00+08:00') + i * 86_400_000).toISOString()),
  grams: 1_000 + i * 7,
}));
/** Row 3 of the file (after the header) is dated after the test clock's now: the ledger refuses it. */
const withFuture: Row[] = [year[0], { code: 'HIS-FUTURE', occurredAt: '2030-01-01 09:00:00', grams: 1_234 }, ...year.slice(1)];

describeInBrowser(SUITE, () => {
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: new ManualClock(new Date(CLOCK_START)),
    seed: 'browser-imports-seed',
  });

  const pick = (page: Page, name: string, bytes: Buffer) =>
    page.getByLabel('台账文件').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });

  async function job(id: string): Promise<Record<string, unknown>> {
    const response = await app.t.http.get(`/v1/imports/${id}`).set('Authorization', `Bearer ${app.tokenOf('generator')}`);
    expect(response.status).toBe(200);
    return response.body as Record<string, unknown>;
  }

  /** Waits for the page to show that the import it follows (its id in the address) ended; answers the id. */
  async function ended(page: Page, previous?: string): Promise<string> {
    await page.waitForURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get('id') ?? '') && url.searchParams.get('id') !== previous);
    const id = new URL(page.url()).searchParams.get('id') as string;
    await page.locator(`[data-test=import-job][data-import="${id}"][data-status=done]`).waitFor({ timeout: 60_000 });
    return id;
  }

  const count = async (page: Page, key: string) =>
    Number(await page.locator(`[data-count=${key}] .value`).textContent());

  it('generator: a file with row problems is refused on the page by row and column, and nothing is appended', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('generator'));
    await page.getByRole('link', { name: '导入台账' }).click();
    await page.waitForURL(/\/imports$/);
    const before = await app.t.headPosition();
    await pick(page, 'bad.csv', csvOf([year[0], { ...year[1], grams: -5 }, { ...year[2], occurredAt: '昨天' }]));
    await page.getByRole('button', { name: '开始导入' }).click();
    const problems = page.locator('[data-test=import-row-problems]');
    await problems.waitFor();
    // each problem in the user's language, on its row and column
    await expect(problems.locator('tr[data-row="3"][data-column="质量（克）"]').textContent()).resolves.toContain('质量（克）须为正整数克数');
    await expect(problems.locator('tr[data-row="4"][data-column="产生时间"]').textContent()).resolves.toContain('产生时间须为北京时间');
    await expect(page.locator('[data-test=problem]').textContent()).resolves.toContain('未导入任何内容');
    await expect(problems.locator('tr[data-row="3"]').getAttribute('data-sheet')).resolves.toBe(TABLE1.sheet);
    await screenshotBoth(page, 'imports-refused');
    // a workbook's table 4 (own treatment) with a bad 自行利用/处置方式: the problem names its sheet too
    const table4 = BOOK_TABLES[3];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(table4.sheet);
    sheet.addRow(table4.columns.map((c) => c.header));
    const cell: Record<string, string> = { traceCode: 'HIS-2025-0001', occurredAt: '2025-01-02 09:00:00', tonnes: '0.001', operation: 'X99' };
    sheet.addRow(table4.columns.map((c) => cell[c.key] ?? ''));
    await page.getByLabel('台账文件').setInputFiles({
      name: 'own-treatment.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: '开始导入' }).click();
    const bad4 = problems.locator(`tr[data-sheet="${table4.sheet}"][data-row="2"][data-column="自行利用/处置方式"]`);
    await bad4.waitFor();
    await expect(bad4.locator('td.error').getAttribute('data-field')).resolves.toBe(`${table4.sheet}.rows[2].自行利用/处置方式`);
    expect(await app.t.headPosition()).toBe(before);
    expect(await page.locator('[data-test=import-job]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('generator: checks, then imports a year with a progress bar; counts, the refused row and the report are the import\'s; a second run applies nothing', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), '/imports');
    const file = csvOf(withFuture);
    await pick(page, 'book-2025.csv', file);
    await page.getByRole('button', { name: '仅检查（不导入）' }).click();
    await expect(page.locator('[data-test=import-dry-run]').textContent()).resolves.toContain(`将导入 ${ROWS + 1} 行`);

    await page.getByRole('button', { name: '开始导入' }).click();
    const id = await ended(page);
    const first = await job(id);
    expect(first).toMatchObject({ status: 'done', rows: ROWS + 1, applied: ROWS, alreadyApplied: 0, refused: 1, pending: 0 });
    const progress = page.locator('[data-test=import-progress]');
    await expect(progress.getAttribute('value')).resolves.toBe(String(ROWS + 1));
    await expect(progress.getAttribute('max')).resolves.toBe(String(ROWS + 1));
    expect(await count(page, 'applied')).toBe(first.applied);
    expect(await count(page, 'refused')).toBe(first.refused);
    const refusedRow = page.locator('[data-test=import-refused] tr[data-row="3"]');
    await expect(refusedRow.textContent()).resolves.toMatch(/HIS-FUTURE.*发生时间不能晚于现在/);
    await screenshotBoth(page, 'imports-done');

    const report = await downloadOf(page, () => page.getByRole('button', { name: '下载逐行结果（Excel）' }).click());
    expect(report.name).toBe(`import-${id}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(report.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const statuses: Record<string, string> = {};
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      statuses[String(values[header.indexOf('批次编码（文件）')])] = String(values[header.indexOf('status')]);
    });
    expect(Object.keys(statuses)).toHaveLength(ROWS + 1);
    expect(statuses['HIS-FUTURE']).toBe('refused');
    expect(Object.values(statuses).filter((s) => s === 'applied')).toHaveLength(ROWS);

    // the same file again: every row already applied, nothing new in the ledger
    const before = await app.t.headPosition();
    await pick(page, 'book-2025.csv', file);
    await page.getByRole('button', { name: '开始导入' }).click();
    const again = await ended(page, id);
    expect(await job(again)).toMatchObject({ applied: 0, alreadyApplied: ROWS, refused: 1 });
    expect(await count(page, 'alreadyApplied')).toBe(ROWS);
    expect(await count(page, 'applied')).toBe(0);
    expect(await app.t.headPosition()).toBe(before);
    expect(errors).toEqual([]);
    await context.close();
  });
});
