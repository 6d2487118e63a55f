import { systemClock } from '@wasteflow/event-store';
import { PARTIES } from '../support/fixtures';
import { screenshot } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

interface Trace {
  heldKg: number;
  corrections: { requestId: string; status: string; deltaKg: number; requestedBy: string }[];
}

/**
 * 重量更正 in a real browser (issue 10 row 4, ADR 0018): the custodian requests a correction on its batch
 * page (the mass does not move, and it has no approve button on its own request); the regulator approves it
 * from the same page; the page and the API then agree on the corrected mass and the request's fate.
 */
const SUITE = 'console two-party corrections in Chromium';
describeInBrowser(SUITE, () => {
  let traceCode: string;
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: systemClock,
    seed: 'browser-corrections-seed',
    async given({ build }) {
      traceCode = await build.generate(10);
    },
  });

  it('generator: requests a correction of −1.5 kg; it is pending, the mass unchanged, no approve button for it', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), `/batches/${traceCode}`);
    const form = page.locator('[data-test=request-correction]');
    await form.waitFor();
    // refused field by field, nothing appended: no delta, no reason
    const before = await app.t.headPosition();
    await form.getByRole('button', { name: '提交更正申请' }).click();
    await form.locator('.error[data-field=deltaKg]').waitFor();
    expect(await app.t.headPosition()).toBe(before);

    await form.getByLabel('更正量（千克）').fill('-1.5');
    await form.getByLabel('更正原因').fill('地磅复核：原登记含包装桶皮重');
    await form.getByRole('button', { name: '提交更正申请' }).click();
    const request = page.locator('[data-request="cr-1"][data-status=pending]');
    await request.waitFor();
    await screenshot(page, 'corrections-requested');
    expect(await page.locator('[data-test=decide]').count()).toBe(0);
    expect(await page.locator('[data-test=held]').textContent()).toContain('10');

    const trace = await app.apiGet<Trace>(`/v1/batches/${traceCode}`, app.tokenOf('generator'), {
      caughtUp: true,
    });
    expect(trace.heldKg).toBe(10);
    expect(trace.corrections).toEqual([
      expect.objectContaining({
        requestId: 'cr-1',
        status: 'pending',
        deltaKg: -1.5,
        requestedBy: PARTIES.generator.uscc,
      }),
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('regulator: approves the request from the batch page; page and API show 8.5 kg and an approved request', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('regulator'), `/batches/${traceCode}`);
    const decide = page.locator('[data-test=decide]');
    await decide.waitFor();
    await decide.getByRole('button', { name: '批准更正' }).click();
    await page.locator('[data-request="cr-1"][data-status=approved]').waitFor();
    await page.locator('[data-test=held]', { hasText: '8.5' }).waitFor();
    await screenshot(page, 'corrections-approved');
    const trace = await app.apiGet<Trace>(`/v1/batches/${traceCode}`, app.tokenOf('regulator'), {
      caughtUp: true,
    });
    expect(trace.heldKg).toBe(8.5);
    expect(trace.corrections.map((c) => c.status)).toEqual(['approved']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
