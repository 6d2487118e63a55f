import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '@wasteflow/event-store';
import {
  AT,
  expect201,
  HW08_CODE,
  Keys,
  PARTIES,
  PLATE,
  seedWorld,
  send,
  type World,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  browserMissing,
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  openPage,
  PHONE,
  screenshot,
  type Chromium,
} from './support/browser';

/**
 * 多式联运 in a real browser (issue 16 item 5): a manifest picked up by the carrier; on its 360 px phone
 * page the carrier hands it over (交接) to the next carrier with plate and place, checked against the API;
 * the generator's manifest page then lists both legs.
 */
const SUITE = 'console hand-over (多式联运) in Chromium';
const missing = browserMissing();
if (missing && process.env.CI === 'true') {
  describe(SUITE, () => {
    it('has a browser', () => {
      throw new Error(`${SUITE} cannot run under CI: ${missing}`);
    });
  });
} else if (missing) {
  console.warn(`${SUITE}: not run: ${missing}`);
  describe.skip(`${SUITE}: not run, ${missing}`, () => {
    it('runs when Chromium is installed', () => undefined);
  });
} else {
  describe(SUITE, () => {
    let t: TestApp;
    let world: World;
    let chromium: Chromium;
    let browser: Browser;
    let base: string;
    let manifestNo: string;
    let traceCode: string;
    const keys = new Keys('browser-handover');

    beforeAll(async () => {
      ensureConsoleBuilt();
      t = await startTestApp('sqlite', { suiteFile: __filename, clock: systemClock });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      world = await seedWorld(t, new Keys('browser-handover-seed'));
      traceCode = (
        await expect201(
          send(
            t,
            '/v1/batches',
            world.tokens.generator,
            { category: 'hazardous', wasteCode: HW08_CODE, massKg: 2, occurredAt: AT.generated },
            keys.next(),
          ),
        )
      ).body.traceCode;
      manifestNo = (
        await expect201(
          send(
            t,
            '/v1/manifests',
            world.tokens.generator,
            {
              lines: [{ traceCode }],
              carrierUscc: PARTIES.carrier.uscc,
              receiverUscc: PARTIES.receiver.uscc,
              plannedAt: AT.planned,
              // issued before the fixtures' pickup (the app runs on the system clock)
              occurredAt: '2026-03-02T09:30:00+08:00',
            },
            keys.next(),
          ),
        )
      ).body.manifestNo;
      await expect201(
        send(
          t,
          `/v1/manifests/${manifestNo}/pickup`,
          world.tokens.carrier,
          { vehiclePlate: PLATE, occurredAt: AT.pickedUp },
          keys.next(),
        ),
      );
      chromium = await launchChromium();
      browser = chromium.browser;
    }, 240_000);
    afterAll(async () => {
      await chromium?.close();
      await t?.close();
    });

    async function signIn(page: Page, token: string): Promise<void> {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('访问令牌').fill(token);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    }

    async function apiGet<T>(path: string, token: string): Promise<T> {
      const response = await t.http
        .get(`${path}?minPosition=${await t.headPosition()}`)
        .set('Authorization', `Bearer ${token}`);
      if (response.status !== 200)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as T;
    }

    it('carrier: hands the manifest over to the next carrier on a 360 px phone; the API has both legs', async () => {
      const { context, page, errors } = await openPage(browser, PHONE);
      await signIn(page, world.tokens.carrier as string);
      await page.goto(`${base}/pickups`);
      const card = page.locator(`[data-carrying="${manifestNo}"]`);
      await card.waitFor();
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
        PHONE.width,
      );
      await card.getByRole('button', { name: '交接' }).click();
      // refused field by field before anything is appended: no carrier, plate or place chosen
      const before = await t.headPosition();
      await card.getByRole('button', { name: '确认交接' }).click();
      await card.locator('.error[data-field=place]').waitFor();
      expect(await t.headPosition()).toBe(before);

      await card.getByLabel('下一承运单位').selectOption(PARTIES.otherCarrier.uscc);
      await card.getByLabel('车牌号').fill('浙B67890');
      await card.getByLabel('交接地点').fill('宁波北仑港联运站');
      await screenshot(page, 'carrier-handover-phone');
      await card.getByRole('button', { name: '确认交接' }).click();
      await page.locator('[data-test=handed-over]').waitFor();
      await card.waitFor({ state: 'detached' });

      const manifest = await apiGet<{ currentCarrierUscc: string; legs: { vehiclePlate: string }[] }>(
        `/v1/manifests/${manifestNo}`,
        world.tokens.carrier as string,
      );
      expect(manifest.currentCarrierUscc).toBe(PARTIES.otherCarrier.uscc);
      expect(manifest.legs.map((l) => l.vehiclePlate)).toEqual([PLATE, '浙B67890']);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('generator: the manifest page lists both legs with carrier, plate and place, and the batch page the hand-over step', async () => {
      const { context, page, errors } = await openPage(browser, DESKTOP);
      await signIn(page, world.tokens.generator as string);
      await page.goto(`${base}/manifests/${manifestNo}`);
      const legs = page.locator('[data-test=legs]');
      await legs.waitFor();
      await expect(legs.locator('[data-leg="1"]').textContent()).resolves.toContain(PLATE);
      const second = (await legs.locator('[data-leg="2"]').textContent()) ?? '';
      for (const value of [PARTIES.otherCarrier.name, '浙B67890', '宁波北仑港联运站'])
        expect(second).toContain(value);
      await page.goto(`${base}/batches/${traceCode}`);
      const step = page.locator('[data-test=steps] li', { hasText: '联运交接' });
      await step.waitFor();
      const stepText = (await step.textContent()) ?? '';
      for (const value of ['浙B67890', '宁波北仑港联运站']) expect(stepText).toContain(value);
      expect(errors).toEqual([]);
      await context.close();
    });
  });
}
