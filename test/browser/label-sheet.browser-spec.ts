import { ManualClock } from '@wasteflow/event-store';
import { CLOCK_START, PARTIES } from '../support/fixtures';
import { readPdf } from '../support/pdf-reading';
import { blobBytes, downloadOf, keepBlobs, screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * A sheet of HJ 1276 labels from the console (issue 14 item 2, "from the console"): the generator ticks
 * some of its batches on 我的批次 and downloads the sheet (GET /v1/labels.pdf), the regulator ticks every
 * batch of a party on the inventory page and opens the sheet at 150 mm to print. Each file is read back
 * with pdf.js: one label (one 危险废物 title) per ticked code, every ticked code and no other.
 */
const SUITE = 'console label sheet in Chromium';
describeInBrowser(SUITE, () => {
  const codes: string[] = [];
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: new ManualClock(new Date(CLOCK_START)),
    seed: 'browser-label-sheet-seed',
    async given({ build }) {
      for (const mass of [1.5, 2, 3.25, 4]) codes.push(await build.generate(mass));
    },
  });

  /** The sheet's text per page, whitespace removed (pdf.js splits runs where the layout does). */
  async function sheetOf(pdf: Buffer): Promise<{ pages: string[]; labels: number }> {
    const pages = (await readPdf(pdf)).pages.map((p) => p.replace(/\s+/g, ''));
    // every HJ 1276 label has one title 危险废物 (as the API's own sheet test counts them)
    return { pages, labels: pages.reduce((n, p) => n + (p.match(/危险废物/g) ?? []).length, 0) };
  }

  it('generator: ticks three of its four batches on 我的批次 and downloads a sheet of three labels', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), '/batches');
    const bar = page.locator('[data-test=label-sheet]');
    await page.locator(`[data-code="${codes[3]}"]`).waitFor();
    // nothing ticked: nothing to ask for
    expect(await bar.getByRole('button', { name: '下载标签页（PDF）' }).isDisabled()).toBe(true);
    const ticked = [codes[0], codes[2], codes[3]];
    for (const code of ticked) await page.getByLabel(`选择 ${code} 打印标签`).check();
    expect(await bar.locator('[data-test=sheet-count]').textContent()).toContain('已选 3 个');
    await screenshotBoth(page, 'label-sheet-batches');

    const saved = await downloadOf(page, () =>
      bar.getByRole('button', { name: '下载标签页（PDF）' }).click(),
    );
    expect(saved.name).toBe('labels.pdf');
    expect(saved.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const sheet = await sheetOf(saved.bytes);
    expect(sheet.labels).toBe(3);
    const all = sheet.pages.join('\n');
    for (const code of ticked) expect(all).toContain(code);
    expect(all).not.toContain(codes[1]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: ticks every batch of the generator on the inventory page and opens the sheet at 150 mm, one label a page', async () => {
    const { context, page, errors } = await app.open();
    await keepBlobs(context);
    await app.signIn(page, app.tokenOf('regulator'));
    await page.goto(`${app.base}/inventory?party=${PARTIES.generator.uscc}`);
    await page.locator('table[data-test=inventory]').getByText(codes[3]).waitFor();
    await page.getByLabel('全选列出的批次').check();
    const bar = page.locator('[data-test=label-sheet]');
    expect(await bar.locator('[data-test=sheet-count]').textContent()).toContain(`已选 ${codes.length} 个`);
    await bar.getByLabel('尺寸').selectOption('150');
    await screenshotBoth(page, 'label-sheet-inventory');
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      bar.getByRole('button', { name: '打开标签页（PDF，打印）' }).click(),
    ]);
    await tab.waitForURL(/^blob:/);
    const sheet = await sheetOf(await blobBytes(page, tab.url()));
    await tab.close();
    // a 150 mm label leaves no room for a second on an A4 page
    expect(sheet.pages).toHaveLength(codes.length);
    expect(sheet.labels).toBe(codes.length);
    for (const code of codes) expect(sheet.pages.filter((text) => text.includes(code))).toHaveLength(1);

    // unticking all leaves nothing to ask for
    await page.getByLabel('全选列出的批次').uncheck();
    expect(await bar.getByRole('button', { name: '打开标签页（PDF，打印）' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
