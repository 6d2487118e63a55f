import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { runCli } from '../apps/cli/src/cli';
import type { CliIo } from '../apps/cli/src/cli-context';
import { BOOK_TABLES } from '../apps/api/src/documents-ledger-book/ledger-book.columns';
import { PARTIES, storesFor } from './support/fixtures';
import { seededApp } from './support/seeded-app';

/** `wasteflow import` against the real app listening on a port: progress bar, summary, report, re-run. */
const SUITE = 'cli import e2e';
const TABLE1 = BOOK_TABLES[0];

function csv(rows: { code: string; at: string; grams: number }[], bad = false): string {
  const cells = rows.map((r) =>
    TABLE1.columns.map(
      (c) =>
        ({
          traceCode: r.code,
          occurredAt: bad ? 'yesterday' : r.at,
          wasteCode: '900-249-08',
          grams: r.grams,
          tonnes: (Math.round(r.grams / 1000) / 1000).toFixed(3),
          category: '危险废物',
        })[c.key] ?? '',
    ),
  );
  return stringify([TABLE1.columns.map((c) => c.header), ...cells], { bom: true });
}

describe.each(storesFor(SUITE).slice(0, 1))(`${SUITE} (%s)`, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'cli-import');
  const dir = mkdtempSync(join(tmpdir(), 'wasteflow-cli-import-'));
  let url = '';

  beforeAll(async () => {
    await app.t.app.listen(0, '127.0.0.1');
    url = await app.t.app.getUrl();
  });

  async function cli(
    args: string[],
    token = app.world.tokens.generator as string,
  ): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { env: {}, out: (t) => out.push(t), err: (t) => err.push(t) };
    const code = await runCli(['import', ...args, '--api', url, '--token', token], io);
    return { code, out, err };
  }

  it('imports a file with a progress bar, saves the report, and applies nothing the second time', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      code: `CLI-${i + 1}`,
      at: `2025-0${(i % 9) + 1}-1${i % 10} 08:00:00`,
      grams: 1000 + i,
    }));
    const file = join(dir, 'book.csv');
    writeFileSync(file, csv(rows));
    const dry = await cli([file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out.join('\n')).toContain('1200 rows would be imported');

    const report = join(dir, 'report.xlsx');
    const first = await cli([file, '--report', report]);
    expect(first.code).toBe(0);
    expect(first.out.at(-1)).toMatch(
      /done: 1200 applied, 0 already applied, 0 matched, 0 to be recorded by others, 0 refused of 1200$/,
    );
    expect(first.err.some((line) => /^import \[.*\] 100% \| 1200\/1200 rows/.test(line))).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(report);
    expect(workbook.getWorksheet('导入结果')?.rowCount).toBe(1201);

    const second = await cli([file]);
    expect(second.code).toBe(0);
    expect(second.out.at(-1)).toMatch(
      /done: 0 applied, 1200 already applied, 0 matched, 0 to be recorded by others, 0 refused of 1200$/,
    );
    // an admin on the generator's behalf: the generator's keys, so nothing again
    const byAdmin = await cli([file, '--party', PARTIES.generator.uscc], app.t.adminToken);
    expect(byAdmin.code).toBe(0);
    expect(byAdmin.out.at(-1)).toMatch(/done: 0 applied, 1200 already applied, .* refused of 1200$/);
    const adminWithoutParty = await cli([file], app.t.adminToken);
    expect(adminWithoutParty.code).toBe(1);
  }, 300_000);

  it('exits 1 naming the rows of a refused file', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, csv([{ code: 'X-1', at: '', grams: 5 }], true));
    const result = await cli([file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'row 2, 产生时间: isInstant — 产生时间 must be YYYY-MM-DD HH:mm:ss (CST) or an ISO time with an offset',
    );
  });
});
