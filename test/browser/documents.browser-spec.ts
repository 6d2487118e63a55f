import ExcelJS from 'exceljs';
import { ManualClock } from '@wasteflow/event-store';
import { CLOCK_START, PARTIES, PLATE } from '../support/fixtures';
import { readPdf } from '../support/pdf-reading';
import { blobBytes, downloadOf, keepBlobs, screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * The documents from the console (issue 14, "from the console"): the driver's 联单 print opened and saved
 * from the manifest page; a party's 台账 downloaded by the party (xlsx) and by the regulator (CSV, after a
 * refusal shown on the field it names); the regulator's annual indicator report. Each file is read back
 * (pdf.js, exceljs) and compared with the ledger's facts and with the API's own answer to the same question.
 */
const SUITE = 'console documents in Chromium';
describeInBrowser(SUITE, () => {
  let manifestNo: string;
  let traceCode: string;
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: new ManualClock(new Date(CLOCK_START)),
    seed: 'browser-documents-seed',
    async given({ build }) {
      traceCode = await build.generate(12.5);
      manifestNo = await build.issue([traceCode]);
      await build.pickUp(manifestNo);
    },
  });

  /** Every sheet's cell values, row by row (what a reader of the workbook sees). */
  async function sheetsOf(bytes: Buffer): Promise<Record<string, unknown[][]>> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const out: Record<string, unknown[][]> = {};
    for (const sheet of workbook.worksheets) {
      out[sheet.name] = [];
      sheet.eachRow((row) => out[sheet.name].push((row.values as unknown[]).slice(1)));
    }
    return out;
  }

  /** The 联单's text, whitespace removed (pdf.js splits runs where the layout does). */
  const textOf = async (pdf: Buffer) => (await readPdf(pdf)).pages.join('\n').replace(/\s+/g, '');
  const expectManifestPrint = (text: string) => {
    for (const value of [
      '危险废物转移联单',
      `联单编号：${manifestNo}`,
      `单位名称：${PARTIES.generator.name}`,
      PARTIES.carrier.name,
      `车牌号：${PLATE}`,
      PARTIES.receiver.name,
      '状态：运输中',
    ])
      expect(text).toContain(value);
  };

  it('carrier: opens the 联单 PDF of the manifest it carries in a new tab and saves it; both are the print of the ledger', async () => {
    const { context, page, errors } = await app.open();
    await keepBlobs(context);
    await app.signIn(page, app.tokenOf('carrier'));
    await page.goto(`${app.base}/manifests/${manifestNo}`);
    await page.locator('[data-test=manifest-print]').waitFor();
    await screenshotBoth(page, 'manifest-print');

    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: '打开联单 PDF（打印）' }).click(),
    ]);
    await tab.waitForURL(/^blob:/);
    const opened = await blobBytes(page, tab.url());
    expect(opened.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectManifestPrint(await textOf(opened));
    await tab.close();

    const saved = await downloadOf(page, () =>
      page.getByRole('button', { name: '下载联单 PDF' }).click(),
    );
    expect(saved.name).toBe(`manifest-${manifestNo}.pdf`);
    expectManifestPrint(await textOf(saved.bytes));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('generator: downloads its own 台账 for March 2026 (xlsx): the five tables, its batch in table 1 to the gram, as the API gives it', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('generator'));
    await page.getByRole('link', { name: '我的台账' }).click();
    await page.waitForURL(/\/ledger-book$/);
    await expect(page.getByLabel('单位', { exact: true }).inputValue()).resolves.toContain(PARTIES.generator.uscc);
    await page.getByLabel('起', { exact: true }).fill('2026-03');
    await page.getByLabel('止', { exact: true }).fill('2026-03');
    await screenshotBoth(page, 'ledger-book-party');
    const saved = await downloadOf(page, () => page.getByRole('button', { name: '下载台账' }).click());
    expect(saved.name).toBe(`ledger-book-${PARTIES.generator.uscc}-2026-03-2026-03.xlsx`);
    const sheets = await sheetsOf(saved.bytes);
    expect(Object.keys(sheets)).toEqual(['说明', '表1 产生环节', '表2 入库环节', '表3 出库环节', '表4 自行利用处置', '表5 委外利用处置']);
    const table1 = sheets['表1 产生环节'];
    const header = table1[0] as string[];
    const batchRows = table1.slice(1).filter((r) => r.includes(traceCode));
    expect(batchRows).toHaveLength(1);
    expect(batchRows[0][header.indexOf('质量（克）')]).toBe(12_500);
    // the same workbook as the API answers the party (cell by cell)
    const fromApi = await sheetsOf(
      await app.apiBytes(`/v1/ledger-book?party=${PARTIES.generator.uscc}&from=2026-03&to=2026-03`, app.tokenOf('generator')),
    );
    expect(sheets).toEqual(fromApi);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: is told on the field that the period ends before it starts, then downloads the generator\'s table 3 as CSV', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('regulator'));
    await page.getByRole('link', { name: '台账', exact: true }).click();
    await page.waitForURL(/\/ledger-book$/);
    await page.getByLabel('单位', { exact: true }).selectOption(PARTIES.generator.uscc);
    await page.getByLabel('起', { exact: true }).fill('2026-03');
    await page.getByLabel('止', { exact: true }).fill('2026-02');
    await page.getByRole('button', { name: '下载台账' }).click();
    await page.locator('.error[data-field=to]').waitFor();
    await screenshotBoth(page, 'ledger-book-refused');

    await page.getByLabel('止', { exact: true }).fill('2026-03');
    await page.getByLabel('格式').selectOption('csv');
    await page.getByLabel('表', { exact: true }).selectOption('3');
    const saved = await downloadOf(page, () => page.getByRole('button', { name: '下载台账' }).click());
    expect(saved.name).toBe(`ledger-book-${PARTIES.generator.uscc}-2026-03-2026-03-table3.csv`);
    expect(await page.locator('.error[data-field=to]').count()).toBe(0);
    const csv = saved.bytes.toString('utf8');
    // the pickup is table 3 of the shipper: the batch, the manifest and the plate on one line
    const line = csv.split(/\r?\n/).find((l) => l.includes(traceCode));
    expect(line).toContain(manifestNo);
    expect(line).toContain(PLATE);
    const fromApi = await app.apiBytes(
      `/v1/ledger-book?party=${PARTIES.generator.uscc}&from=2026-03&to=2026-03&format=csv&table=3`,
      app.tokenOf('regulator'),
    );
    expect(csv).toBe(fromApi.toString('utf8'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: downloads the annual indicator report of Hangzhou for 2026, the numbers of GET /v1/indicators', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('regulator'));
    await page.getByRole('link', { name: '年度报告' }).click();
    await page.waitForURL(/\/reports$/);
    await page.getByLabel('年度', { exact: true }).fill('20x6');
    await page.getByRole('button', { name: '下载年度报告（Excel）' }).click();
    await page.locator('.error[data-field=year]').waitFor();
    await screenshotBoth(page, 'indicator-report-refused');

    await page.getByLabel('区域', { exact: true }).selectOption('3301');
    await page.getByLabel('年度', { exact: true }).fill('2026');
    const saved = await downloadOf(page, () =>
      page.getByRole('button', { name: '下载年度报告（Excel）' }).click(),
    );
    expect(saved.name).toBe('indicators-3301-2026.xlsx');
    const sheets = await sheetsOf(saved.bytes);
    const year = sheets['年度'];
    const header = year[0] as string[];
    const hazardous = year.slice(1).find((r) => r[header.indexOf('类别代码')] === 'hazardous');
    const answer = await app.t.http
      .get('/v1/indicators?region=3301&category=hazardous&from=2026-01&to=2026-12')
      .set('Authorization', `Bearer ${app.tokenOf('regulator')}`);
    expect(answer.status).toBe(200);
    expect(hazardous?.[header.indexOf('产生量（千克）')]).toBe(answer.body.generatedKg);
    expect(answer.body.generatedKg).toBe(12.5);
    expect(sheets).toEqual(
      await sheetsOf(await app.apiBytes('/v1/reports/indicators?region=3301&year=2026', app.tokenOf('regulator'))),
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
