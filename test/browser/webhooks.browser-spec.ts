import { ManualClock } from '@wasteflow/event-store';
import { CLOCK_START } from '../support/fixtures';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from '../support/webhook-receiver';
import { screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * Webhooks from the console (an integrator's page over /v1/webhooks): the generator subscribes a real
 * receiver on 127.0.0.1 to WasteGenerated (a mistyped type refused on its field, the message gone on
 * correction), is shown the signing secret once, and the receiver checks each delivery's signature with
 * it; the page lists the delivery attempts the API recorded, gives a new secret (the next delivery verifies
 * with it), pauses the subscription and deletes it —
 * each step checked against GET /v1/webhooks.
 */
const SUITE = 'console webhooks in Chromium';
describeInBrowser(SUITE, () => {
  const receiver = new WebhookReceiver();
  const app = useConsoleApp({
    suiteFile: __filename,
    clock: new ManualClock(new Date(CLOCK_START)),
    env: WEBHOOK_TEST_ENV,
    seed: 'browser-webhooks-seed',
    async given() {
      await receiver.start();
    },
  });
  afterAll(async () => {
    await receiver.stop();
  });

  interface WebhookView {
    webhookId: string;
    url: string;
    eventTypes: string[] | null;
    status: string;
  }
  const listed = async () =>
    (await app.apiGet<{ webhooks: WebhookView[] }>('/v1/webhooks', app.tokenOf('generator'))).webhooks;

  it('generator: subscribes a receiver to WasteGenerated, reads the deliveries, pauses and deletes the subscription', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), '/webhooks');
    const form = page.locator('form[data-test=new-webhook]');
    await form.getByLabel('接收地址').fill(receiver.url);
    await form.getByLabel('事件类型').fill('WasteGeneratd');
    await form.getByRole('button', { name: '订阅' }).click();
    const typeError = form.locator('.error[data-field=eventTypes]');
    await typeError.waitFor();
    expect(await typeError.textContent()).toContain('不是事件目录中的事件类型');
    expect(await listed()).toEqual([]);
    await form.getByLabel('事件类型').fill('WasteGenerated');
    await typeError.waitFor({ state: 'detached' });

    await form.getByRole('button', { name: '订阅' }).click();
    const secret = (await page.locator('[data-test=secret]').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.secret = secret;
    const [webhook] = await listed();
    expect(webhook).toMatchObject({ url: receiver.url, eventTypes: ['WasteGenerated'], status: 'active' });
    const row = page.locator(`[data-webhook="${webhook.webhookId}"]`);
    await row.waitFor();

    // two generations: two signed deliveries, in ledger order
    await app.build.generate(2);
    await app.build.generate(3);
    await eventually('two deliveries', () => receiver.acceptedIds().length >= 2);
    expect(receiver.received.every((r) => r.valid)).toBe(true);
    expect(receiver.received.map((r) => r.json.data.type)).toEqual(['WasteGenerated', 'WasteGenerated']);

    // the API records each attempt once the receiver has answered
    const recorded = async () =>
      (
        await app.apiGet<{ deliveries: { eventId: string; ok: boolean }[] }>(
          `/v1/webhooks/${webhook.webhookId}/deliveries`,
          app.tokenOf('generator'),
        )
      ).deliveries;
    await eventually('two attempts recorded', async () => (await recorded()).filter((a) => a.ok).length >= 2);
    await row.getByRole('button', { name: '推送记录' }).click();
    const attempts = page.locator('[data-test=deliveries] [data-outcome=delivered]');
    await attempts.nth(1).waitFor();
    const shownIds = await page
      .locator('[data-test=deliveries] [data-attempt]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-attempt')));
    // newest first
    expect(shownIds).toEqual(receiver.acceptedIds().slice().reverse());
    await screenshotBoth(page, 'webhooks');

    // a new secret, shown once: the next delivery verifies with it
    await row.getByRole('button', { name: '更换密钥' }).click();
    const rotated = (await page.locator('[data-test=rotated-secret] [data-test=secret]').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated).not.toBe(secret);
    receiver.secret = rotated;
    await app.build.generate(4);
    await eventually('a third delivery', () => receiver.acceptedIds().length >= 3);
    expect(receiver.received[2].valid).toBe(true);

    await row.getByRole('button', { name: '暂停' }).click();
    await row.getByRole('button', { name: '恢复' }).waitFor();
    expect(await row.locator('[data-test=webhook-status]').textContent()).toContain('已暂停');
    expect((await listed())[0].status).toBe('paused');

    await row.getByRole('button', { name: '删除' }).click();
    await row.getByRole('button', { name: '确认删除' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await listed()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
