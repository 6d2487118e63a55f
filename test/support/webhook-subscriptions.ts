import type { TestApp } from './test-app';
import type { WebhookReceiver } from './webhook-receiver';

export interface Subscription {
  readonly webhookId: string;
  /** The head position when it was made: it delivers what comes after. */
  readonly checkpoint: string;
  readonly secret: string;
}

/** Subscribes `receiver` under `token` (POST /v1/webhooks answers 201 and a secret) and gives it the secret. */
export async function subscribeReceiver(
  t: TestApp,
  token: string,
  receiver: WebhookReceiver,
  extra: Record<string, unknown> = {},
): Promise<Subscription> {
  const response = await t.http
    .post('/v1/webhooks')
    .set('Authorization', `Bearer ${token}`)
    .send({ url: receiver.url, ...extra });
  expect(response.status).toBe(201);
  expect(response.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.secret = response.body.secret as string;
  return response.body as Subscription;
}

/** The ids of the events the feed shows `token` after position `after` up to `until`: what a subscription owes. */
export async function feedIdsAfter(
  t: TestApp,
  token: string,
  after: string,
  until: bigint,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor = after;
  while (BigInt(cursor) < until) {
    const page = await t.http
      .get(`/v1/feed?after=${cursor}&limit=500&wait=2`)
      .set('Authorization', `Bearer ${token}`);
    expect(page.status).toBe(200);
    ids.push(...page.body.events.map((e: { id: string }) => e.id));
    cursor = page.body.next;
  }
  return ids;
}
