import { WebhookDeliverer } from '@wasteflow/integration';
import { describeEachStore } from './support/fixtures';
import type { ProjectorProcess } from './support/projector-process';
import { freePort } from './support/source-process';
import { projectorSuite } from './support/projector-suite';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from './support/webhook-receiver';
import { feedIdsAfter, subscribeReceiver } from './support/webhook-subscriptions';

const SUITE = 'webhooks delivered by apps/projector beside an api with WASTEFLOW_PROJECTIONS=off';

/**
 * Issue 15 item 3: an api with its projections off delivers nothing; the projectors deliver, one at a time
 * (the `webhook-delivery` lease). The delivering projector is killed with SIGKILL twice — first with a
 * standby projector beside it, which takes over; then alone, and while no projector runs the api sends
 * nothing although events wait; a third projector delivers the rest. The receiver is a real HTTP server
 * checking every signature with its own HMAC; the events arrive complete and in order, an event twice only
 * right after a kill (the one sent but not checkpointed), with the same webhook-id. /metrics of the api
 * (which delivered nothing) counts the projectors' attempts, failures and lag from the delivery tables.
 */
describeEachStore(SUITE, (kind) => {
  const { app, start } = projectorSuite(kind, SUITE, __filename, 'webhooks-projector', WEBHOOK_TEST_ENV);
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  const delivery = async (p: ProjectorProcess) =>
    (await p.health())?.body.webhooks as { delivery: string; owner: string } | undefined;
  const generator = () => app.world.tokens.generator as string;
  const subscription = async (id: string) =>
    (await app.t.http.get(`/v1/webhooks/${id}`).set('Authorization', `Bearer ${generator()}`).expect(200))
      .body as {
      checkpoint: string;
    };
  const metric = (text: string, name: string, labels: Record<string, string>) => {
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
      );
    return Number(line?.split(' ').at(-1) ?? NaN);
  };
  const apiMetrics = async () =>
    (await app.t.http.get('/metrics').set('Authorization', `Bearer ${app.t.adminToken}`).expect(200)).text;

  it('the projectors deliver every event in order across two kill -9s; the api delivers nothing; /metrics tells', async () => {
    // the api runs no deliverer at all
    expect(app.t.app.get(WebhookDeliverer).state).toBe('off');
    const subscribed = await subscribeReceiver(app.t, generator(), receiver);
    const live = subscribed.webhookId;
    // a receiver that is not there: its attempts fail (connection refused)
    const dead = await app.t.http
      .post('/v1/webhooks')
      .set('Authorization', `Bearer ${generator()}`)
      .send({ url: `http://127.0.0.1:${await freePort()}/hook` });
    expect(dead.status).toBe(201);

    for (let i = 0; i < 40; i++) await app.build.generate(1 + i);
    // a slow receiver: the projector projects the forty at once, the deliveries trail behind
    receiver.delayMs = 60;

    const [p1, p2] = [await start(), await start()];
    let a: ProjectorProcess | undefined;
    let b: ProjectorProcess | undefined;
    await eventually(
      'one projector delivering, the other standing by',
      async () => {
        const [d1, d2] = await Promise.all([delivery(p1), delivery(p2)]);
        if (d1?.delivery === 'delivering' && d2?.delivery === 'standby') [a, b] = [p1, p2];
        else if (d2?.delivery === 'delivering' && d1?.delivery === 'standby') [a, b] = [p2, p1];
        return a !== undefined;
      },
      90_000,
    );
    const first = a as ProjectorProcess;
    const second = b as ProjectorProcess;
    await eventually('ten deliveries', () => receiver.acceptedIds().length >= 10, 60_000);
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // the standby takes the delivery over (the dead holder's pid is gone on this host) and goes on
    await eventually(
      'the standby delivering',
      async () => (await delivery(second))?.delivery === 'delivering',
      30_000,
    );
    await eventually('twenty-five deliveries', () => receiver.acceptedIds().length >= 25, 60_000);
    expect(await second.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // no projector: events wait, projected but not delivered, and the api sends none of them
    await new Promise((resolve) => setTimeout(resolve, 200)); // a request the killed one had in flight
    const received = receiver.received.length;
    const stalled = await subscription(live);
    const projected = (await app.t.http.get('/health').expect(200)).body.projections.checkpoint as string;
    expect(BigInt(stalled.checkpoint)).toBeLessThan(BigInt(projected));
    // more than twice the delivery lease (1 s) and many polls (40 ms): a deliverer anywhere would have sent
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.received).toHaveLength(received);
    expect((await subscription(live)).checkpoint).toBe(stalled.checkpoint);

    // a third projector resumes from the delivery checkpoint; new commands flow through it as well
    const third = await start();
    await eventually(
      'the third projector delivering',
      async () => (await delivery(third))?.delivery === 'delivering',
      90_000,
    );
    await eventually('the forty', () => new Set(receiver.acceptedIds()).size >= 40, 60_000);
    for (let i = 0; i < 5; i++) await app.build.generate(50 + i);

    const expected = await feedIdsAfter(
      app.t,
      generator(),
      subscribed.checkpoint,
      await app.t.headPosition(),
    );
    expect(expected).toHaveLength(45);
    await eventually('all forty-five', () => new Set(receiver.acceptedIds()).size >= 45, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ids = receiver.acceptedIds();
    // in order, none missing; a repeat only right after itself (sent, then killed before its checkpoint)
    expect(ids.filter((id, i) => id !== ids[i - 1])).toEqual(expected);
    expect(ids.length - expected.length).toBeLessThanOrEqual(2);
    expect(receiver.received.every((r) => r.valid)).toBe(true);
    // the lease is the third projector's: its pid in the owner id
    const owner = (await delivery(third))?.owner ?? '';
    expect(Number(owner.split(':').at(-2))).toBe(third.pid);

    // /metrics of the api, which sent nothing, counts what the projectors sent: from the delivery tables
    await eventually(
      'the lag of the live subscription at 0',
      async () => metric(await apiMetrics(), 'wasteflow_webhook_lag_positions', { webhook: live }) === 0,
      20_000,
    );
    const text = await apiMetrics();
    const ok = metric(text, 'wasteflow_webhook_subscription_attempts_total', { webhook: live, result: 'ok' });
    // every event recorded at least once (by the deliverer that checkpointed it), at most once per 2xx
    expect(ok).toBeGreaterThanOrEqual(expected.length);
    expect(ok).toBeLessThanOrEqual(ids.length);
    expect(metric(text, 'wasteflow_webhook_attempts_total', { result: 'ok' })).toBeGreaterThanOrEqual(ok);
    expect(
      metric(text, 'wasteflow_webhook_subscription_attempts_total', {
        webhook: dead.body.webhookId,
        result: 'failed',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metric(text, 'wasteflow_webhook_consecutive_failures', { webhook: dead.body.webhookId }),
    ).toBeGreaterThanOrEqual(1);
    // the projector's own /metrics reads the same tables
    expect(
      metric(await third.metrics(), 'wasteflow_webhook_subscription_attempts_total', {
        webhook: live,
        result: 'ok',
      }),
    ).toBe(ok);
  }, 300_000);
});
