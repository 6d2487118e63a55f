import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { REPORT_COLUMNS } from '../apps/api/src/documents-indicator-report/indicator-report.workbook';
import { bytesOf, describeEachStore, problemShapeErrors, type PrincipalName } from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * GET /v1/reports/indicators over HTTP on the real app: the workbook read back with exceljs, and every line
 * compared, figure by figure and with its position, with what GET /v1/indicators answers for the same
 * region, category, subtype and period.
 */
const SUITE = 'indicator report e2e';

type Binary = Response & { body: Buffer };

const FIGURES = [
  'generatedKg',
  'utilisedKg',
  'landfilledKg',
  'incineratedKg',
  'otherDisposedKg',
  'disposedKg',
  'utilisedFromPriorStockKg',
  'treatedFromPriorStockKg',
  'utilisationRate',
  'landfillRate',
  'treatedRate',
  'position',
] as const;

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'indicator-report');

  const report = async (who: PrincipalName, query: Record<string, string>): Promise<Binary> =>
    (await app.t.http
      .get('/v1/reports/indicators')
      .query({ minPosition: (await app.t.headPosition()).toString(), ...query })
      .set('Authorization', `Bearer ${app.world.tokens[who] as string}`)
      .buffer(true)
      .parse(bytesOf)) as Binary;

  const indicators = async (who: PrincipalName, query: Record<string, string>) => {
    const res = await app.t.http
      .get('/v1/indicators')
      .query(query)
      .set('Authorization', `Bearer ${app.world.tokens[who] as string}`);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown> & { targets: { met: boolean | null }[] };
  };

  async function sheets(res: Binary): Promise<Record<string, Record<string, unknown>[]>> {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const name of ['年度', '逐月']) {
      const sheet = workbook.getWorksheet(name) as ExcelJS.Worksheet;
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(REPORT_COLUMNS.map((c) => c.header));
      out[name] = [];
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const values = (row.values as unknown[]).slice(1);
        out[name].push(Object.fromEntries(REPORT_COLUMNS.map((c, i) => [c.key, values[i] ?? null])));
      });
    }
    return out;
  }

  /** The line's figures equal the API's answer for its question (a null rate is an empty cell). */
  async function expectSameAsApi(who: PrincipalName, region: string, line: Record<string, unknown>) {
    const period = line.period as string;
    const [from, to] = period.length === 4 ? [`${period}-01`, `${period}-12`] : [period, period];
    const answer = await indicators(who, {
      region,
      from,
      to,
      ...(line.categoryKey ? { category: line.categoryKey as string } : {}),
      ...(line.subtypeKey ? { subtype: line.subtypeKey as string } : {}),
    });
    expect(Object.fromEntries(FIGURES.map((f) => [f, line[f]]))).toEqual(
      Object.fromEntries(FIGURES.map((f) => [f, answer[f]])),
    );
    const met = answer.targets.map((t) => (t.met === null ? '无数据' : t.met ? '达标' : '未达标')).join('；');
    expect(line.met).toBe(met === '' ? null : met);
  }

  beforeAll(async () => {
    const { build } = app;
    const a = await build.atReceiver(10.123);
    const b = await build.atReceiver(3.3);
    await build.treat(a, 4.2, 'D10');
    await build.treat(b, 1.001, 'R9');
    await build.generate(7.007);
  });

  it('gives a regulator its categories, year and months, each line the same as /v1/indicators', async () => {
    const book = await sheets(await report('regulator', { region: '3301', year: '2026' }));
    expect(book['年度'].map((l) => [l.categoryKey, l.subtypeKey])).toEqual([['hazardous', null]]);
    expect(book['逐月'].map((l) => l.period)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    // the figures are real: March has the generation and the treatments
    expect(book['年度'][0]).toMatchObject({ generatedKg: 20.43, incineratedKg: 4.2, utilisedKg: 1.001 });
    for (const line of [...book['年度'], ...book['逐月']]) await expectSameAsApi('regulator', '3301', line);
  });

  it('gives an auditor every category and subtype, and the line of all categories', async () => {
    const book = await sheets(await report('auditor', { region: '330106', year: '2026' }));
    expect(book['年度']).toHaveLength(1 + 5 + 22);
    expect(book['年度'][0]).toMatchObject({ categoryKey: null, category: '全部类别' });
    for (const line of book['年度']) await expectSameAsApi('auditor', '330106', line);
    for (const line of book['逐月'].filter((l) => l.period === '2026-03'))
      await expectSameAsApi('auditor', '330106', line);
  });

  it('refuses what /v1/indicators refuses, with problem documents', async () => {
    const problem = async (who: PrincipalName, query: Record<string, string>, status: number) => {
      const res = await report(who, query);
      expect(res.status).toBe(status);
      expect(
        problemShapeErrors(res.headers['content-type'], JSON.parse(res.body.toString('utf8')), status),
      ).toEqual([]);
    };
    await problem('outsideRegulator', { region: '3301', year: '2026' }, 403);
    await problem('regulator', { region: '33', year: '2026' }, 403);
    await problem('generator', { region: '3301', year: '2026' }, 403);
    await problem('auditor', { region: '3301', year: '26' }, 400);
    await problem('auditor', { region: '3301', year: '2026', format: 'csv' }, 400);
    await problem('auditor', { region: '33010', year: '2026' }, 400);
  });
});
