import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@wasteflow/event-store';
import { WebhookDeliverer } from '@wasteflow/integration';
import { Builders, CLOCK_START, describeEachStore, Keys, requireStore, seedWorld } from './support/fixtures';
import { dropSchemas, uniqueSchemaPrefix } from './support/postgres';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from './support/webhook-receiver';
import { feedIdsAfter, subscribeReceiver } from './support/webhook-subscriptions';

const SUITE = 'webhooks: a deliverer killed between a delivery and its checkpoint';

describeEachStore(SUITE, (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-webhook-crash-'));
  const schemaPrefix = `${uniqueSchemaPrefix(__filename)}_${kind === 'postgres' ? 'p' : 's'}`;
  const clock = new ManualClock(new Date(CLOCK_START));
  const receiver = new WebhookReceiver();
  let t: TestApp | undefined;

  const start = () =>
    startTestApp(kind, { suiteFile: __filename, clock, env: WEBHOOK_TEST_ENV, dataDir, schemaPrefix });

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchemas(schemaPrefix);
  });

  it('resumes after a restart with no gap; the one duplicate carries the same webhook-id', async () => {
    await requireStore(kind, SUITE);
    await receiver.start();
    t = await start();
    const world = await seedWorld(t, new Keys(`crash-seed-${kind}`));
    const generator = world.tokens.generator as string;
    const subscribed = await subscribeReceiver(t, generator, receiver);
    let delivered = 0;
    t.app.get(WebhookDeliverer).testHooks = { crashBeforeCheckpoint: () => ++delivered === 3 };
    const first = new Builders(t, world, new Keys(`crash-a-${kind}`));
    for (let i = 0; i < 6; i++) await first.generate(1 + i);
    await eventually('three deliveries, the third never checkpointed', () => receiver.received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // dead: nothing after the third
    expect(receiver.received).toHaveLength(3);
    await t.close();
    t = undefined;

    t = await start();
    const second = new Builders(t, world, new Keys(`crash-b-${kind}`));
    for (let i = 0; i < 3; i++) await second.generate(10 + i);
    const expected = await feedIdsAfter(t, generator, subscribed.checkpoint, await t.headPosition());
    expect(expected).toHaveLength(9);
    await eventually('all nine after the restart', () => new Set(receiver.acceptedIds()).size >= 9);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = receiver.acceptedIds();
    // exactly the third twice (its checkpoint was lost with the process), every id once otherwise, in order
    expect(ids).toEqual([...expected.slice(0, 3), expected[2], ...expected.slice(3)]);
    expect(receiver.received.every((r) => r.valid)).toBe(true);
  });
});
