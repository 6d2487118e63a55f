import { randomUUID } from 'node:crypto';
import { ManualClock } from '@wasteflow/event-store';
import { TOKEN_REVOKED, tokenStream } from '@wasteflow/ledger';
import { WebhookDeliverer } from '@wasteflow/integration';
import {
  CLOCK_START,
  describeEachStore,
  expect201,
  expectProblem,
  Keys,
  send,
  splitBody,
  type PrincipalName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';
import { eventually, signatureValid, WEBHOOK_TEST_ENV, WebhookReceiver } from './support/webhook-receiver';
import { feedIdsAfter, subscribeReceiver } from './support/webhook-subscriptions';

const SUITE = 'webhooks (POST /v1/webhooks, deliveries)';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  const app = seededApp(kind, SUITE, __filename, 'webhooks', { clock, env: WEBHOOK_TEST_ENV });
  const keys = new Keys(`webhooks-${kind}`);
  const receivers: WebhookReceiver[] = [];

  const token = (name: PrincipalName) => app.world.tokens[name] as string;
  const get = (path: string, name: PrincipalName) =>
    app.t.http.get(path).set('Authorization', `Bearer ${token(name)}`);
  const post = (path: string, name: PrincipalName, body: unknown) =>
    app.t.http
      .post(path)
      .set('Authorization', `Bearer ${token(name)}`)
      .send(body as object);

  async function receiver(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.start();
    receivers.push(r);
    return r;
  }

  /** Subscribes `r` for `name` (after the head now unless `after`), and gives `r` the secret. */
  const subscribe = (name: PrincipalName, r: WebhookReceiver, extra: Record<string, unknown> = {}) =>
    subscribeReceiver(app.t, token(name), r, extra);
  const feedIds = (name: PrincipalName, after: string, until: bigint) =>
    feedIdsAfter(app.t, token(name), after, until);

  const webhook = async (id: string, name: PrincipalName = 'generator') =>
    (await get(`/v1/webhooks/${id}`, name)).body;

  beforeAll(() => {
    app.t.app.get(WebhookDeliverer).random = () => 0.5;
  });
  afterAll(async () => {
    for (const r of receivers) await r.stop();
  });

  it('a flow of a hundred commands is delivered complete, in ledger order, signed, and only the subscriber’s', async () => {
    const mine = await receiver();
    const theirs = await receiver();
    const sub = await subscribe('generator', mine);
    await subscribe('otherGenerator', theirs);
    const codes: string[] = [];
    for (let i = 0; i < 100; i++) {
      if (i % 4 === 3) await app.build.generate(1, 'otherGenerator');
      else if (i % 4 === 2) {
        await expect201(
          send(
            app.t,
            `/v1/batches/${codes[codes.length - 1]}/split`,
            token('generator'),
            splitBody([1]),
            keys.next('split'),
          ),
        );
      } else codes.push(await app.build.generate(5));
    }
    const head = await app.t.headPosition();
    const expected = await feedIds('generator', sub.checkpoint, head);
    expect(expected.length).toBeGreaterThanOrEqual(75);
    await eventually(
      'every event of the generator delivered',
      () => mine.acceptedIds().length >= expected.length,
    );
    expect(mine.acceptedIds()).toEqual(expected);
    expect(mine.received.every((r) => r.valid)).toBe(true);
    // positions strictly increasing: ledger order
    const positions = mine.received.map((r) => BigInt(r.json.data.position));
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    // the body carries the event as the feed shows it; webhook-id is the event id
    expect(mine.received[0].json.data.id).toBe(mine.received[0].id);
    expect(mine.received[0].headers['content-type']).toBe('application/json');
    const theirExpected = await feedIds('otherGenerator', sub.checkpoint, head);
    await eventually(
      'the other generator’s deliveries',
      () => theirs.acceptedIds().length >= theirExpected.length,
    );
    expect(theirs.acceptedIds()).toEqual(theirExpected);
    const ownStreams = new Set(codes.map((c) => `batch-${c}`));
    expect(theirs.received.some((r) => ownStreams.has(r.json.data.stream))).toBe(false);
    expect(mine.received.every((r) => r.json.data.stream.startsWith('batch-'))).toBe(true);
    // every attempt recorded
    const deliveries = await get(`/v1/webhooks/${sub.webhookId}/deliveries?limit=1000`, 'generator');
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.deliveries).toHaveLength(expected.length);
    expect(deliveries.body.deliveries[0]).toMatchObject({
      ok: true,
      status: 200,
      kind: 'delivery',
      eventId: expected.at(-1),
    });
    expect(typeof deliveries.body.deliveries[0].latencyMs).toBe('number');
  });

  it('a tampered body or a wrong secret fails our own signature check', async () => {
    const r = await receiver();
    await subscribe('generator', r);
    await app.build.generate(2);
    await eventually('one delivery', () => r.received.length >= 1);
    const delivery = r.received[0];
    expect(signatureValid(r.secret, delivery.headers, delivery.body)).toBe(true);
    const tampered = delivery.body.replace(
      /"position":"(\d+)"/,
      (_, p: string) => `"position":"${BigInt(p) + 1n}"`,
    );
    expect(tampered).not.toBe(delivery.body);
    expect(signatureValid(r.secret, delivery.headers, tampered)).toBe(false);
    expect(signatureValid(r.secret, { ...delivery.headers, 'webhook-id': 'other' }, delivery.body)).toBe(
      false,
    );
    expect(
      signatureValid(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, delivery.headers, delivery.body),
    ).toBe(false);
  });

  it('the receiver down for a while, then back: everything delivered, in order, once', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    await r.stop();
    for (let i = 0; i < 5; i++) await app.build.generate(1);
    await eventually(
      'a failed attempt with back-off',
      async () => (await webhook(sub.webhookId)).failures >= 1,
    );
    const failing = await webhook(sub.webhookId);
    expect(failing.nextAttemptAt).not.toBeNull();
    const attempts = (await get(`/v1/webhooks/${sub.webhookId}/deliveries`, 'generator')).body.deliveries;
    expect(attempts[0]).toMatchObject({ ok: false, status: null });
    expect(attempts[0].error).toMatch(/ECONNREFUSED/);
    await r.start();
    clock.set(failing.nextAttemptAt);
    const expected = await feedIds('generator', sub.checkpoint, await app.t.headPosition());
    expect(expected).toHaveLength(5);
    await eventually('all five after the receiver came back', () => r.acceptedIds().length >= 5);
    expect(r.acceptedIds()).toEqual(expected);
    expect((await webhook(sub.webhookId)).failures).toBe(0);
  });

  it('a receiver answering 500 is retried at growing intervals for 24 hours, then the subscription pauses with the reason', async () => {
    const r = await receiver();
    r.status = 500;
    const sub = await subscribe('generator', r);
    const started = clock.now().getTime();
    await app.build.generate(1);
    const intervals: number[] = [];
    let previous = started;
    for (let n = 1; ; n++) {
      await eventually(`attempt ${n}`, () => r.received.length >= n);
      let state = await webhook(sub.webhookId);
      await eventually(`attempt ${n} recorded`, async () => {
        state = await webhook(sub.webhookId);
        return state.failures >= n || state.status === 'paused';
      });
      if (state.status === 'paused') break;
      const next = Date.parse(state.nextAttemptAt);
      intervals.push(next - clock.now().getTime());
      previous = next;
      clock.set(new Date(next));
      if (n > 60) throw new Error('never paused');
    }
    // the same event every time, with the same webhook-id
    expect(new Set(r.received.map((x) => x.id)).size).toBe(1);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]).toBeGreaterThanOrEqual(intervals[i - 1]);
    expect(intervals[0]).toBe(7_500);
    expect(intervals[1]).toBe(15_000);
    expect(Math.max(...intervals)).toBe(2_700_000);
    expect(previous - started).toBeGreaterThanOrEqual(24 * 3_600_000);
    const paused = await webhook(sub.webhookId);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(
      /deliveries failed for 24 h .* attempts\) since .*; last: HTTP 500: not now/,
    );
    expect(paused.changes.map((c: { change: string }) => c.change)).toEqual(['created', 'paused']);
    // resumed by its subscriber, the receiver fixed: the event is delivered
    r.status = 200;
    const resumed = await app.t.http
      .patch(`/v1/webhooks/${sub.webhookId}`)
      .set('Authorization', `Bearer ${token('generator')}`)
      .send({ status: 'active' });
    expect(resumed.status).toBe(200);
    await eventually('delivered after resuming', () => r.acceptedIds().length === 1);
  });

  it('rotating the secret: the next deliveries carry both signatures for 24 h, then only the new one', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    const old = r.secret;
    const rotated = await post(`/v1/webhooks/${sub.webhookId}/rotate-secret`, 'generator', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.previousSecretValidUntil) - clock.now().getTime()).toBe(24 * 3_600_000);
    r.secret = rotated.body.secret;
    await app.build.generate(1);
    await eventually('a delivery', () => r.received.length >= 1);
    expect(r.received[0].valid).toBe(true);
    expect(String(r.received[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(signatureValid(old, r.received[0].headers, r.received[0].body)).toBe(true);
    clock.advance(24 * 3_600_000);
    await app.build.generate(1);
    await eventually('a delivery after the overlap', () => r.received.length >= 2);
    expect(r.received[1].valid).toBe(true);
    expect(signatureValid(old, r.received[1].headers, r.received[1].body)).toBe(false);
    const shown = JSON.stringify(await webhook(sub.webhookId));
    expect(shown).not.toContain('whsec_');
    expect(shown).toContain('secret-rotated');
  });

  it('redelivery: one event again with the same webhook-id, or everything after a position', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    await app.build.generate(1);
    await app.build.generate(2);
    await eventually('two deliveries', () => r.acceptedIds().length >= 2);
    const [first, second] = r.received;
    const again = await post(`/v1/webhooks/${sub.webhookId}/redeliver`, 'generator', { eventId: first.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, status: 200, eventId: first.id });
    expect(r.received[2].id).toBe(first.id);
    const attempts = (await get(`/v1/webhooks/${sub.webhookId}/deliveries`, 'generator')).body.deliveries;
    expect(attempts[0]).toMatchObject({ kind: 'redelivery', eventId: first.id });
    const rewind = await post(`/v1/webhooks/${sub.webhookId}/redeliver`, 'generator', {
      fromPosition: sub.checkpoint,
    });
    expect(rewind.status).toBe(200);
    await eventually('both again, in order', () => r.received.length >= 5);
    expect(r.received.slice(3).map((x) => x.id)).toEqual([first.id, second.id]);
    expectProblem(
      await post(`/v1/webhooks/${sub.webhookId}/redeliver`, 'generator', { eventId: 'nope' }),
      404,
      {
        rule: 'delivery-not-found',
      },
    );
    expectProblem(await post(`/v1/webhooks/${sub.webhookId}/redeliver`, 'generator', {}), 400, {
      fields: ['eventId'],
    });
  });

  it.each([
    ['https://10.0.0.1/hook', /private/],
    ['https://169.254.169.254/latest/meta-data', /private/],
    ['https://[::1]/hook', /private/],
    ['https://localhost/hook', /resolves to a loopback or private address/],
    ['http://example.com/hook', /must be https/],
    ['ftp://example.com/', /https/],
    ['not a url', /absolute URL/],
  ])('%s is refused (400 naming url) and nothing is sent', async (url, reason) => {
    const body = expectProblem(await post('/v1/webhooks', 'generator', { url }), 400, { fields: ['url'] });
    expect((body.errors as { message: string }[])[0].message).toMatch(reason);
  });

  it('subscriptions belong to their subscriber: others get 404, an auditor reads all, an admin may not subscribe', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    expectProblem(await get(`/v1/webhooks/${sub.webhookId}`, 'otherGenerator'), 404, {
      rule: 'webhook-not-found',
    });
    expectProblem(await get(`/v1/webhooks/${sub.webhookId}/deliveries`, 'otherGenerator'), 404);
    expectProblem(await post(`/v1/webhooks/${sub.webhookId}/rotate-secret`, 'otherGenerator', {}), 404);
    expect((await get(`/v1/webhooks/${sub.webhookId}`, 'auditor')).status).toBe(200);
    const all = (await get('/v1/webhooks', 'auditor')).body.webhooks.map(
      (w: { webhookId: string }) => w.webhookId,
    );
    expect(all).toContain(sub.webhookId);
    const theirs = (await get('/v1/webhooks', 'otherGenerator')).body.webhooks.map(
      (w: { webhookId: string }) => w.webhookId,
    );
    expect(theirs).not.toContain(sub.webhookId);
    expectProblem(await post('/v1/webhooks', 'admin', { url: r.url }), 403);
    expectProblem(await post('/v1/webhooks', 'generator', { url: r.url, eventTypes: ['Nope'] }), 400, {
      fields: ['eventTypes'],
    });
    expectProblem(await post('/v1/webhooks', 'generator', { url: r.url, extra: 1 }), 400, {
      fields: ['extra'],
    });
    const deleted = await app.t.http
      .delete(`/v1/webhooks/${sub.webhookId}`)
      .set('Authorization', `Bearer ${token('generator')}`);
    expect(deleted.status).toBe(204);
    expectProblem(await get(`/v1/webhooks/${sub.webhookId}`, 'generator'), 404);
  });

  it('/metrics counts attempts by result and shows each active subscription’s lag', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    await app.build.generate(1);
    await eventually('a delivery', () => r.acceptedIds().length >= 1);
    const metrics = await app.t.http.get('/metrics').set('Authorization', `Bearer ${app.t.adminToken}`);
    expect(metrics.status).toBe(200);
    const value = (prefix: string) =>
      Number(
        metrics.text
          .split('\n')
          .find((l) => l.startsWith(prefix))
          ?.split(' ')
          .at(-1) ?? NaN,
      );
    expect(value('wasteflow_webhook_attempts_total{result="ok"}')).toBeGreaterThan(0);
    expect(value('wasteflow_webhook_attempts_total{result="failed"}')).toBeGreaterThan(0);
    expect(value(`wasteflow_webhook_lag_positions{webhook="${sub.webhookId}"}`)).toBeGreaterThanOrEqual(0);
  });

  it("a regulator's subscription delivers its scope, and pauses once its token is revoked", async () => {
    const r = await receiver();
    const issued = await expect201(
      send(
        app.t,
        '/v1/tokens',
        app.t.adminToken,
        { kind: 'regulator', districts: ['3301'], categories: ['hazardous'] },
        keys.next('token'),
      ),
    );
    const regulator = issued.body.token as string;
    const subscribed = await subscribeReceiver(app.t, regulator, r);
    await app.build.generate(1);
    await eventually('the regulator gets the Hangzhou batch', () => r.acceptedIds().length >= 1);
    expect(r.received[0].json.type).toBe('WasteGenerated');
    // No revocation route yet: the TokenRevoked event as the ledger would record it.
    await app.t.store.append(
      tokenStream(issued.body.tokenId),
      [
        {
          id: randomUUID(),
          type: TOKEN_REVOKED,
          schemaVersion: 1,
          data: { tokenId: issued.body.tokenId, reason: 'test' },
          metadata: {},
        },
      ],
      'any',
    );
    await app.build.generate(1);
    const id = subscribed.webhookId;
    await eventually('paused', async () => (await webhook(id, 'auditor')).status === 'paused');
    expect((await webhook(id, 'auditor')).pausedReason).toMatch(/revoked/);
    expect(r.acceptedIds()).toHaveLength(1);
  });

  it('malformed bodies and parameters are 4xx problem documents, never 500, and subscribe nothing', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    const before = (await get('/v1/webhooks', 'generator')).body.webhooks.length;
    const bodies: unknown[] = [
      null,
      [],
      'x',
      { url: ['https://example.com'] },
      { url: 1 },
      { url: 'x'.repeat(3000) },
      { url: r.url, eventTypes: 'ManifestIssued' },
      { url: r.url, eventTypes: [1] },
      { url: r.url, eventTypes: { a: 1 } },
      { url: r.url, after: 12 },
      { url: r.url, after: '-1' },
      { url: r.url, after: '9'.repeat(30) },
      { url: 'https://[zz]/' },
      { url: 'https://' },
    ];
    for (const body of bodies) {
      const response = await app.t.http
        .post('/v1/webhooks')
        .set('Authorization', `Bearer ${token('generator')}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(body));
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expectProblem(response, 400);
    }
    expect((await get('/v1/webhooks', 'generator')).body.webhooks).toHaveLength(before);
    const patch = (b: unknown) =>
      app.t.http
        .patch(`/v1/webhooks/${sub.webhookId}`)
        .set('Authorization', `Bearer ${token('generator')}`)
        .send(b as object);
    for (const body of [
      { status: 'gone' },
      { url: 'http://example.com/' },
      { eventTypes: ['Nope'] },
      { webhookId: 'x' },
    ]) {
      expectProblem(await patch(body), 400);
    }
    for (const body of [{ eventId: 5 }, { fromPosition: 'abc' }, { eventId: 'a', fromPosition: '1' }]) {
      expectProblem(await post(`/v1/webhooks/${sub.webhookId}/redeliver`, 'generator', body), 400);
    }
    for (const query of ['limit=abc', 'limit=0', 'limit=1001', 'limit=1.5']) {
      expectProblem(await get(`/v1/webhooks/${sub.webhookId}/deliveries?${query}`, 'generator'), 400);
    }
    expectProblem(await get(`/v1/webhooks/${'x'.repeat(100)}`, 'generator'), 404);
    expectProblem(await get(`/v1/webhooks/%E0%A4%A`, 'generator'), 400);
  });

  it('an Idempotency-Key, when given, makes a retried subscription the same one; another body under it is 422', async () => {
    const r = await receiver();
    const subscribeWith = (key: string, body: unknown) =>
      app.t.http
        .post('/v1/webhooks')
        .set('Authorization', `Bearer ${token('generator')}`)
        .set('Idempotency-Key', key)
        .send(body as object);
    const key = `webhook-${kind}-${Date.now()}`;
    const first = await subscribeWith(key, { url: r.url });
    const again = await subscribeWith(key, { url: r.url });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.webhookId).toBe(first.body.webhookId);
    expect(again.body.secret).toBe(first.body.secret);
    expectProblem(await subscribeWith(key, { url: r.url, eventTypes: ['BatchSplit'] }), 422, {
      rule: 'idempotency-key-reused',
    });
    const ids = (await get('/v1/webhooks', 'generator')).body.webhooks.map(
      (w: { webhookId: string }) => w.webhookId,
    );
    expect(ids.filter((id: string) => id === first.body.webhookId)).toHaveLength(1);
    expectProblem(await subscribeWith('tab\there', { url: r.url }), 400, { fields: ['Idempotency-Key'] });
  });

  it('event-type filters: only the types subscribed to', async () => {
    const r = await receiver();
    await subscribe('generator', r, { eventTypes: ['BatchSplit'] });
    const code = await app.build.generate(4);
    await expect201(
      send(app.t, `/v1/batches/${code}/split`, token('generator'), splitBody([1]), keys.next('split')),
    );
    await eventually('the split', () => r.received.length >= 1);
    await app.build.generate(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.received.map((x) => x.json.type)).toEqual(['BatchSplit']);
    expect(r.received[0].json.data.stream).toBe(`batch-${code}`);
  });

  it('delivery attempts are kept for the retention period (90 days), then deleted', async () => {
    const r = await receiver();
    const sub = await subscribe('generator', r);
    await app.build.generate(1);
    await eventually('a delivery', () => r.acceptedIds().length >= 1);
    const attempts = async () =>
      (await get(`/v1/webhooks/${sub.webhookId}/deliveries`, 'generator')).body.deliveries.length as number;
    clock.advance(89 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await attempts()).toBe(1);
    clock.advance(2 * 86_400_000);
    await eventually('the old attempt purged', async () => (await attempts()) === 0);
  });
});
