import type { Page } from 'playwright-core';
import { ManualClock } from '@wasteflow/event-store';
import { CLOCK_START, PARTIES } from '../support/fixtures';
import { screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * The alerts page in a real browser (issue 16 item 7): a manifest picked up on Monday 2 March 2026 and never
 * received is overdue on Tuesday 10 March; its carrier acknowledges the alert with a note on the page, a
 * Hangzhou regulator finds it under 已签收, is refused an empty finding field by field, and closes it with a
 * finding; each step is checked against the API's own answer.
 */
const SUITE = 'console alerts page in Chromium';
const OVERDUE_NOW = '2026-03-10T02:00:00Z';
describeInBrowser(SUITE, () => {
  let alertId: string;
  const clock = new ManualClock(new Date(CLOCK_START));
  const app = useConsoleApp({
    suiteFile: __filename,
    clock,
    seed: 'browser-alerts-seed',
    async given({ world, build }) {
      const manifestNo = await build.issue([await build.generate(2)]);
      const pickup = await build.pickUp(manifestNo);
      clock.set(OVERDUE_NOW);
      alertId = `overdue_manifest:${manifestNo}`;
      const alert = await app.apiGet<{ state: string }>(
        `/v1/alerts/${encodeURIComponent(alertId)}?minPosition=${pickup.headers['x-ledger-position']}`,
        world.tokens.regulator as string,
      );
      expect(alert.state).toBe('open');
    },
  });

  const row = (page: Page) => page.locator(`tr[data-alert="${alertId}"]`);

  it('carrier: acknowledges the overdue-manifest alert with a note on the alerts page', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/alerts');
    await row(page).waitFor();
    await expect(row(page).locator('[data-test=alert-state]').textContent()).resolves.toBe('待签收');
    const note = '车辆途中故障，已安排备用车辆送达';
    await row(page).getByLabel('情况说明').fill(note);
    await row(page).getByRole('button', { name: '签收并说明' }).click();
    await row(page).locator('[data-test=alert-state]').getByText('已签收').waitFor();
    await expect(row(page).locator('[data-test=acknowledged]').textContent()).resolves.toContain(note);
    // acknowledged: the page offers the carrier nothing more to do on it
    expect(await row(page).getByRole('button', { name: '签收并说明' }).count()).toBe(0);
    await screenshotBoth(page, 'alerts-acknowledged');

    const alert = await app.apiGet<{ state: string; acknowledged: { by: string; note: string } }>(
      `/v1/alerts/${encodeURIComponent(alertId)}`,
      app.tokenOf('carrier'),
    );
    expect(alert).toMatchObject({
      state: 'acknowledged',
      acknowledged: { by: PARTIES.carrier.uscc, note },
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: finds it under 已签收, is refused an empty finding, closes it with a finding and finds it under 已办结', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('regulator'), '/alerts');
    await page.getByLabel('处置状态').selectOption('acknowledged');
    await row(page).waitFor();

    const before = await app.t.headPosition();
    await row(page).getByRole('button', { name: '办结' }).click();
    await row(page).locator('.error[data-field=finding]').waitFor();
    expect(await app.t.headPosition()).toBe(before);

    const finding = '经核实系车辆故障，已责令承运单位整改';
    await row(page).getByLabel('核查结论').fill(finding);
    await row(page).getByRole('button', { name: '办结' }).click();
    // closed: it leaves the 已签收 list …
    await row(page).waitFor({ state: 'detached' });
    // … and is under 已办结 with its finding
    await page.getByLabel('处置状态').selectOption('closed');
    await row(page).waitFor();
    await expect(row(page).locator('[data-test=closed]').textContent()).resolves.toContain(finding);
    expect(await row(page).getByRole('button', { name: '办结' }).count()).toBe(0);
    await screenshotBoth(page, 'alerts-closed');

    const alert = await app.apiGet<{ state: string; closed: { finding: string }; history: { step: string }[] }>(
      `/v1/alerts/${encodeURIComponent(alertId)}`,
      app.tokenOf('regulator'),
    );
    expect(alert.state).toBe('closed');
    expect(alert.closed.finding).toBe(finding);
    expect(alert.history.map((s) => s.step)).toEqual(['acknowledged', 'closed']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
