import { systemClock } from '@wasteflow/event-store';
import { PARTIES, PLATE } from '../support/fixtures';
import { PHONE, screenshot, contentWidth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * 多式联运 in a real browser (issue 16 item 5): a manifest picked up by the carrier; on its 360 px phone
 * page the carrier hands it over (交接) to the next carrier with plate and place, checked against the API;
 * the generator's manifest page then lists both legs.
 */
const SUITE = 'console hand-over (多式联运) in Chromium';
describeInBrowser(SUITE, () => {
  let manifestNo: string;
  let traceCode: string;
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: systemClock,
    seed: 'browser-handover-seed',
    async given({ build }) {
      traceCode = await build.generate(2);
      // issued before the fixtures' pickup (the app runs on the system clock)
      manifestNo = await build.issue([traceCode], { body: { occurredAt: '2026-03-02T09:30:00+08:00' } });
      await build.pickUp(manifestNo);
    },
  });

  it('carrier: hands the manifest over to the next carrier on a 360 px phone; the API has both legs', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/pickups', PHONE);
    const card = page.locator(`[data-carrying="${manifestNo}"]`);
    await card.waitFor();
    expect(await contentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await card.getByRole('button', { name: '交接' }).click();
    // refused field by field before anything is appended: no carrier, plate or place chosen
    const before = await app.t.headPosition();
    await card.getByRole('button', { name: '确认交接' }).click();
    await card.locator('.error[data-field=place]').waitFor();
    expect(await app.t.headPosition()).toBe(before);

    await card.getByLabel('下一承运单位').selectOption(PARTIES.otherCarrier.uscc);
    await card.getByLabel('车牌号').fill('浙B67890');
    await card.getByLabel('交接地点').fill('宁波北仑港联运站');
    await screenshot(page, 'carrier-handover-phone');
    await card.getByRole('button', { name: '确认交接' }).click();
    await page.locator('[data-test=handed-over]').waitFor();
    await card.waitFor({ state: 'detached' });

    const manifest = await app.apiGet<{ currentCarrierUscc: string; legs: { vehiclePlate: string }[] }>(
      `/v1/manifests/${manifestNo}`,
      app.tokenOf('carrier'),
      { caughtUp: true },
    );
    expect(manifest.currentCarrierUscc).toBe(PARTIES.otherCarrier.uscc);
    expect(manifest.legs.map((l) => l.vehiclePlate)).toEqual([PLATE, '浙B67890']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('generator: the manifest page lists both legs with carrier, plate and place, and the batch page the hand-over step', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), `/manifests/${manifestNo}`);
    const legs = page.locator('[data-test=legs]');
    await legs.waitFor();
    await expect(legs.locator('[data-leg="1"]').textContent()).resolves.toContain(PLATE);
    const second = (await legs.locator('[data-leg="2"]').textContent()) ?? '';
    for (const value of [PARTIES.otherCarrier.name, '浙B67890', '宁波北仑港联运站'])
      expect(second).toContain(value);
    await page.goto(`${app.base}/batches/${traceCode}`);
    const step = page.locator('[data-test=steps] li', { hasText: '联运交接' });
    await step.waitFor();
    const stepText = (await step.textContent()) ?? '';
    for (const value of ['浙B67890', '宁波北仑港联运站']) expect(stepText).toContain(value);
    expect(errors).toEqual([]);
    await context.close();
  });
});
