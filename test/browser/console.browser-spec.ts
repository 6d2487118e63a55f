import { join } from 'node:path';
import * as QRCode from 'qrcode';
import { systemClock } from '@wasteflow/event-store';
import { appendDemoHistory } from '../../apps/cli/src/commands/demo.command';
import { formatMass, formatRate } from '../../apps/web/src/logic/format';
import { PARTIES } from '../support/fixtures';
import { contentWidth, DESKTOP, PHONE, screenshot, screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/** The public base the QR codes print (the page itself is opened on the test server). */
const PUBLIC_URL = 'https://wasteflow.example.cn';

/**
 * The console in a real browser against the real app (Fastify, SQLite, projections), one user after
 * another, each doing their main task end to end through the pages: the administrator issues a regulator
 * token; a generator records a batch, opens its label and issues a manifest; the carrier picks it up on a
 * 360 px phone; the receiver receives it with a partial rejection and treats what it accepted; the regulator's
 * dashboard shows exactly GET /v1/indicators; the auditor moves the as-of control over the batch's history;
 * anyone opens the public trace page at the URL the QR code carries. Screenshots of every page, desktop and
 * phone, go to test/browser/screenshots.
 */
const SUITE = 'console in Chromium';
describeInBrowser(SUITE, () => {
  const shared: { traceCode?: string; manifestNo?: string; regulatorToken?: string } = {};
  /** The demo history's full year. */
  const year = 2025;
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: systemClock,
    // the editions table, so that the generation form's code picker reads GET /v1/catalogue (ADR 19)
    env: {
      WASTEFLOW_PUBLIC_URL: PUBLIC_URL,
      WASTEFLOW_HW_CATALOGUE: join(__dirname, '..', '..', 'catalogue', 'editions.csv'),
    },
    seed: 'browser',
    // fourteen months of Hangzhou (2025-01 … 2026-02), as `npm run demo` writes them, for the dashboard
    before: async (t) => {
      await appendDemoHistory(t.store, 6000);
    },
  });

  it('admin: signs in with the admin token, issues a regulator token in the console and signs in with it', async () => {
    const { context, page, errors } = await app.open();
    await page.goto(`${app.base}/`);
    await page.waitForURL(/\/sign-in/);
    await screenshotBoth(page, 'sign-in');
    await app.signIn(page, app.t.adminToken);
    await page.waitForURL(/\/admin$/);
    await page.getByLabel('令牌类型').selectOption('regulator');
    await page.getByLabel('萧山区').check();
    await page.getByRole('button', { name: '签发', exact: true }).click();
    const issued = page.locator('[data-test=issued-token]');
    await issued.waitFor();
    shared.regulatorToken = (await issued.textContent())?.trim();
    expect(shared.regulatorToken).toMatch(/^wf_/);
    await screenshotBoth(page, 'admin-tokens');
    await page.locator('[data-test=use-token]').click();
    await page.waitForURL(/\/regulator/);
    await expect(page.locator('[data-test=whoami]').textContent()).resolves.toMatch(
      /监管部门.*杭州市.*萧山区.*危险废物/,
    );
    await page.locator('[data-test=sign-out]').click();
    await page.waitForURL(/\/sign-in/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('generator: records a batch with the catalogue picker (problems shown field by field), opens its label, issues a manifest', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('generator'));
    await page.waitForURL(/\/batches$/);
    expect(await page.locator('[data-test=whoami]').textContent()).toContain(PARTIES.generator.name);
    const asked = page.waitForResponse((r) => r.url().includes('/v1/catalogue?date=') && r.status() === 200);
    await page.goto(`${app.base}/batches/new`);
    // the picker offers the edition the API judges a generation of that time by (GET /v1/catalogue)
    await asked;
    await expect(page.locator('[data-test=catalogue-edition]').textContent()).resolves.toContain('2021');
    await page.getByLabel('查找废物代码').fill('900-249');
    await page.getByLabel('废物代码', { exact: true }).selectOption('900-249-08');
    await expect(page.locator('[data-test=chosen-code]').textContent()).resolves.toContain('HW08');
    // the API's refusal, field by field, in the user's language
    await page.getByRole('button', { name: '登记并生成浙固码' }).click();
    const massError = page.locator('.error[data-field=massKg]');
    await massError.first().waitFor();
    expect(await massError.first().textContent()).toMatch(/[\u4e00-\u9fff]/);
    await screenshotBoth(page, 'generator-new-batch-problem');
    await page.getByLabel('重量（千克）').fill('1250.5');
    // a double click is one intent: one batch
    await page.getByRole('button', { name: '登记并生成浙固码' }).dblclick();
    await page.waitForURL(/\/batches\/[0-9A-Z*~$=]{22}\?created=1/); // the check character may be * ~ $ = (MOD 37-2)
    shared.traceCode = decodeURIComponent(page.url().split('/batches/')[1].split('?')[0]);
    await page.locator('[data-test=held]').filter({ hasText: '1.251 t' }).waitFor();
    const inventory = await app.apiGet<{ total: number }>(
      `/v1/inventory?party=${PARTIES.generator.uscc}`,
      app.tokenOf('generator'),
    );
    expect(inventory.total).toBe(1);
    await page.locator('[data-test=qr]').waitFor();
    await screenshotBoth(page, 'generator-batch-label');
    // the HJ 1276 label opens in a new tab, read with the token (a plain link would carry none)
    const [labelTab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.locator('[data-test=label-svg]').click(),
    ]);
    await labelTab.waitForURL(/^blob:/);
    await labelTab.locator('text').filter({ hasText: '危险废物' }).first().waitFor();
    await labelTab.close();

    await page.getByRole('button', { name: '开具联单' }).click();
    await page.waitForURL(/\/manifests\/new/);
    await page.getByLabel('运输单位').selectOption(PARTIES.carrier.uscc);
    await page.getByLabel('接受单位').selectOption(PARTIES.receiver.uscc);
    await page.locator('[data-test=coverage] [data-covered=true]').waitFor();
    await screenshotBoth(page, 'generator-issue-manifest');
    await page.getByRole('button', { name: '开具联单' }).last().click();
    await page.waitForURL(/\/manifests\/\d{14}/);
    shared.manifestNo = page.url().split('/manifests/')[1].split('?')[0];
    await page.locator('[data-test=manifest]').waitFor();
    await screenshotBoth(page, 'generator-manifest');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('carrier: picks the manifest up on a 360 px phone', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/pickups', PHONE);
    const card = page.locator(`[data-manifest="${shared.manifestNo}"]`);
    await card.waitFor();
    expect(await contentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await card.getByRole('button', { name: '起运' }).click();
    await page.getByLabel('车牌号').fill('浙A·D12345');
    await page.getByLabel('过磅重量（千克，可选）').fill('1250.5');
    await screenshot(page, 'carrier-pickup-phone');
    await page.getByRole('button', { name: '确认起运' }).click();
    await page.locator('[data-test=picked-up]').waitFor();
    const manifest = await app.apiGet<{ status: string; vehiclePlate: string }>(
      `/v1/manifests/${shared.manifestNo}`,
      app.tokenOf('carrier'),
    );
    expect(manifest).toMatchObject({ status: 'picked_up' });
    await screenshot(page, 'carrier-picked-up-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('receiver: receives with a partial rejection, then incinerates what it accepted', async () => {
    const { context, page, errors } = await app.openAs(app.tokenOf('receiver'));
    await page.waitForURL(/\/arrivals$/);
    const row = page.locator(`[data-manifest="${shared.manifestNo}"]`);
    await row.getByRole('button', { name: '接收' }).click();
    const line = page.locator(`[data-line="${shared.traceCode}"]`);
    await line.getByLabel('实收重量（千克）').fill('1240.5');
    await line.getByLabel('接受重量（千克）').fill('1200');
    await page.getByRole('button', { name: '确认接收' }).click();
    // no reason for the rejected part: refused by the API's rule, in the user's language
    await page.locator('[data-test=problem]').filter({ hasText: '须填写原因' }).waitFor();
    await screenshotBoth(page, 'receiver-receipt-problem');
    await line.getByLabel('原因').fill('包装破损，40.5 千克拒收');
    // the receiver's 经办人 (issue 14): sealed by the API, part 3 of the 联单, resolved on the manifest read
    await page.locator('[data-test=handler]').getByLabel('经办人姓名').fill('吴接收');
    await page.getByRole('button', { name: '确认接收' }).click();
    await page.locator('[data-test=received]').waitFor();
    expect(await page.locator('[data-test=received]').textContent()).toContain('部分拒收');
    await screenshotBoth(page, 'receiver-received');
    const manifest = await app.apiGet<{
      lines: { outcome: string; acceptedKg: number; rejectedKg: number; lostKg: number }[];
      receipt?: { handler: { status: string; name?: string } };
    }>(`/v1/manifests/${shared.manifestNo}`, app.tokenOf('receiver'));
    expect(manifest.receipt?.handler).toMatchObject({ status: 'present', name: '吴接收' });
    expect(manifest.lines[0]).toMatchObject({
      outcome: 'partial',
      acceptedKg: 1200,
      rejectedKg: 40.5,
      lostKg: 10,
    });

    // the receiver's incinerator, registered by the regulator: the treatment form names it (issue 14, table 4)
    const FACILITY = 'ZJ-330114-F042';
    const registered = await app.t.http
      .post(`/v1/parties/${PARTIES.receiver.uscc}/facilities`)
      .set('Authorization', `Bearer ${app.tokenOf('regulator')}`)
      .set('Idempotency-Key', 'console-receiver-facility')
      .send({
        facilityCode: FACILITY,
        operations: ['D10'],
        validFrom: '2020-01-01',
        validTo: '2099-12-31',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      });
    expect(registered.status).toBe(201);
    await page.goto(`${app.base}/batches/${shared.traceCode}`);
    await page.locator('[data-test=treat]').waitFor();
    await page.locator('[data-test=treat]').getByLabel('重量（千克）').fill('1200');
    await page.locator('[data-test=treat]').getByLabel('设施编码').fill(FACILITY);
    await page.getByRole('button', { name: '记录利用/处置' }).click();
    await page.locator('[data-test=treated]').waitFor();
    await page.locator('[data-test=status]').filter({ hasText: '已利用/处置完毕' }).waitFor();
    // the step shows the facility, as GET /v1/batches/{code} names it
    await page.locator('[data-test=step-facility]').filter({ hasText: FACILITY }).waitFor();
    const view = await app.apiGet<{ steps: { type: string; facilityCode?: string }[] }>(
      `/v1/batches/${shared.traceCode}`,
      app.tokenOf('receiver'),
      { caughtUp: true },
    );
    expect(view.steps.filter((step) => step.facilityCode !== undefined)).toEqual([
      expect.objectContaining({ type: 'WasteDisposed', facilityCode: FACILITY }),
    ]);
    await screenshotBoth(page, 'receiver-treated');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: the dashboard shows exactly what GET /v1/indicators answers for the same query', async () => {
    const token = app.tokenOf('regulator');
    const { context, page, errors } = await app.openAs(token);
    await page.waitForURL(/\/regulator/);
    await page.getByLabel('年度').selectOption(String(year));
    const totals = page.locator('[data-test=totals]');
    await totals.and(page.locator(`[data-loaded="3301|hazardous|${year}"]`)).waitFor();
    const expected = await app.apiGet<Record<string, number | null>>(
      `/v1/indicators?region=3301&category=hazardous&from=${year}-01&to=${year}-12`,
      token,
    );
    expect(expected.generatedKg).toBeGreaterThan(0);
    for (const key of ['generatedKg', 'utilisedKg', 'disposedKg', 'landfilledKg', 'incineratedKg']) {
      expect(await totals.locator(`[data-kpi=${key}] .value`).textContent()).toBe(
        formatMass(expected[key], 'zh-CN'),
      );
    }
    for (const key of ['utilisationRate', 'landfillRate', 'treatedRate']) {
      expect(await totals.locator(`[data-kpi=${key}] .value`).textContent()).toBe(
        formatRate(expected[key], 'zh-CN'),
      );
    }
    const targets = (expected as unknown as { targets: { indicator: string; met: boolean | null }[] })
      .targets;
    for (const target of targets) {
      const verdict = page.locator(`[data-test=targets] [data-indicator=${target.indicator}] [data-met]`);
      expect(await verdict.getAttribute('data-met')).toBe(String(target.met));
      expect(await verdict.textContent()).toContain(
        target.met === true ? '达标' : target.met === false ? '未达标' : '无数据',
      );
    }
    await page.locator('[data-test=districts]').waitFor();
    await page.locator('svg').first().waitFor();
    await screenshotBoth(page, 'dashboard', 'desktop');
    // drill down: district → its parties
    await page.getByRole('button', { name: '西湖区' }).click();
    await page.locator('[data-test=district-parties]').getByText(PARTIES.generator.name).waitFor();
    await screenshotBoth(page, 'dashboard-district');
    // English beside Chinese
    await page.locator('[data-test=language]').click();
    await page.getByRole('heading', { name: 'Indicator dashboard' }).waitFor();
    await page.locator('[data-test=language]').click();
    for (const path of ['/alerts', '/manifests', '/inventory', '/parties']) {
      await page.goto(`${app.base}${path}`);
      await page.locator('table').first().waitFor();
      await page.waitForLoadState('networkidle');
      await screenshotBoth(page, `regulator${path.replace('/', '-')}`);
    }
    const rows = page.locator('[data-test=parties] tbody tr');
    const register = await app.apiGet<{ total: number }>('/v1/parties?pageSize=500', token);
    expect(await rows.count()).toBe(register.total);
    expect(register.total).toBeGreaterThan(Object.keys(PARTIES).length);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('auditor: opens the batch history, moves the as-of control, sees the integrity verdict', async () => {
    const auditor = app.tokenOf('auditor');
    const { context, page, errors } = await app.openAs(auditor);
    await page.waitForURL(/\/audit/);
    await page.getByLabel('记录流').fill(`batch-${shared.traceCode}`);
    await page.getByRole('button', { name: '打开' }).click();
    await page.locator('[data-test=integrity]').filter({ hasText: '完整性校验通过' }).waitFor();
    const history = await app.apiGet<{ events: { position: string }[] }>(
      `/v1/audit/streams/batch-${shared.traceCode}`,
      auditor,
    );
    expect(await page.locator('[data-test=events] > li').count()).toBe(history.events.length);
    await screenshotBoth(page, 'auditor-history');
    const slider = page.locator('[data-test=as-of]');
    await slider.focus();
    await page.keyboard.press('Home');
    await page.locator('[data-test=events] > li').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('[data-test=events] > li').count()).toBe(1);
    expect(await page.locator('[data-test=as-of-label]').textContent()).toContain(
      history.events[0].position,
    );
    expect(await page.locator('[data-test=state-after]').first().textContent()).toContain(
      '"heldGrams": 1250500',
    );
    await screenshotBoth(page, 'auditor-history-as-of');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('public: the URL in the QR code opens the trace page in human words on a phone, with nothing a label would not show', async () => {
    const code = shared.traceCode as string;
    const svg = await app.t.http
      .get(`/v1/batches/${code}/qr.svg`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`);
    // a trace code may end in a MOD 37-2 check symbol ($ or =) that a URL path escapes
    const path = `/v1/trace/${encodeURIComponent(code)}`;
    const url = `${app.base}${path}`;
    // the served QR code encodes exactly this path under WASTEFLOW_PUBLIC_URL (never the request's Host)
    const expectedSvg = await QRCode.toString(`${PUBLIC_URL}${path}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    expect(String(svg.text ?? svg.body)).toBe(expectedSvg);
    const { context, page, errors } = await app.open(PHONE);
    await page.goto(url);
    await page.locator('[data-test=public-trace]').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    for (const words of [
      '危险废物',
      '900-249-08',
      '西湖区',
      '产生',
      '开具转移联单',
      '转移运输',
      '接收',
      '处置',
    ])
      expect(text).toContain(words);
    for (const party of Object.values(PARTIES)) {
      expect(text).not.toContain(party.uscc);
      expect(text).not.toContain(party.name);
    }
    expect(text).not.toMatch(/WasteGenerated|BatchShipped|position|kg\b/);
    expect(await contentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'public-trace-phone', true);
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'public-trace-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });
});
