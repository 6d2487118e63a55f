import { ManualClock } from '@wasteflow/event-store';
import { formatKg, formatMass, formatRate } from '../../apps/web/src/logic/format';
import { CLOCK_START, PARTIES, RECEIVER_PERMIT } from '../support/fixtures';
import { screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * The parties and permits page shows a permit's used capacity (DESIGN §7, regulator: "parties and permits
 * (capacity used)"): a receipt of 12.345 kg draws on the receiver's permit, and the page says what
 * GET /v1/parties/{uscc}/permits says, in words; a permit nothing was received under says so.
 */
const SUITE = 'console parties page in Chromium';
describeInBrowser(SUITE, () => {
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: new ManualClock(new Date(CLOCK_START)),
    seed: 'browser-parties-seed',
    given: async ({ build }) => {
      await build.atReceiver(12.345);
    },
  });

  it('regulator: reads the receiver permit\'s used capacity as GET /v1/parties/{uscc}/permits answers it', async () => {
    const answer = await app.t.http
      .get(`/v1/parties/${PARTIES.receiver.uscc}/permits?minPosition=${await app.t.headPosition()}`)
      .set('Authorization', `Bearer ${app.tokenOf('regulator')}`);
    expect(answer.status).toBe(200);
    const permit = (answer.body.permits as { permitNo: string; annualCapacityKg: number; capacityUsed: { yearStart: string; usedKg: number; remainingKg: number }[] }[])
      .find((p) => p.permitNo === RECEIVER_PERMIT.permitNo);
    expect(permit?.capacityUsed).toEqual([{ yearStart: '2026-01-01', usedKg: 12.345, remainingKg: 1_000_000 - 12.345 }]);

    const { context, page, errors } = await app.openAs(app.tokenOf('regulator'));
    await page.getByRole('link', { name: '单位与许可' }).click();
    await page.waitForURL(/\/parties$/);
    const used = page.locator(`[data-test=capacity][data-permit="${RECEIVER_PERMIT.permitNo}"] [data-year="2026-01-01"]`);
    await used.waitFor();
    const year = permit?.capacityUsed[0];
    const capacity = formatMass(RECEIVER_PERMIT.annualCapacityKg, 'zh-CN');
    await expect(used.textContent()).resolves.toContain(
      `2026-01-01 起的年度：已用 ${formatKg(year?.usedKg ?? 0, 'zh-CN')} kg / ${capacity}（${formatRate(12.345 / 1_000_000, 'zh-CN')}），剩余 ${formatKg(year?.remainingKg ?? 0, 'zh-CN')} kg`,
    );
    await expect(used.locator('progress').getAttribute('value')).resolves.toBe('12.345');
    // the other receiver received nothing under its permit
    await expect(page.locator('[data-test=capacity][data-permit="3301000102"]').textContent()).resolves.toContain('本许可证年度尚未使用');
    await screenshotBoth(page, 'parties-capacity');
    expect(errors).toEqual([]);
    await context.close();
  });
});
