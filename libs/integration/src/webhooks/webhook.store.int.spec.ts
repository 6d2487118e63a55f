import {
  probePostgres,
  POSTGRES_TEST_URL,
  testSchemaName,
} from '@wasteflow/event-store/testing/postgres-test-server';
import { openReadModelDatabase, quoteIdentifier } from '@wasteflow/projections';
import type { DataSource } from 'typeorm';
import { WebhookStore } from './webhook.store';

const probe = probePostgres();
if (!probe.reachable && process.env.CI === 'true') throw new Error(`PostgreSQL unreachable: ${probe.reason}`);
const describePostgres = probe.reachable ? describe : describe.skip;
if (!probe.reachable)
  console.warn(`webhook store on PostgreSQL: not run, PostgreSQL unreachable: ${probe.reason}`);

/**
 * The api and apps/projector both create the webhook tables at start; on a new database they may do it at
 * the same moment. Two processes are two pools: here two DataSources on one new schema each time.
 */
describePostgres('webhook store tables on PostgreSQL', () => {
  const opened: DataSource[] = [];
  afterAll(async () => {
    for (const db of opened) if (db.isInitialized) await db.destroy();
  });

  it('are created by twins starting together, and count attempts of both', async () => {
    for (let round = 0; round < 6; round++) {
      const schema = testSchemaName(__filename, round);
      const config = { kind: 'postgres' as const, url: POSTGRES_TEST_URL, schema, poolSize: 2 };
      const [a, b] = [await openReadModelDatabase(config), await openReadModelDatabase(config)];
      opened.push(a, b);
      const [one, two] = [new WebhookStore(a), new WebhookStore(b)];
      await Promise.all([one.onModuleInit(), two.onModuleInit()]);
      const attempt = {
        webhookId: 'wh_1',
        eventId: 'e',
        position: '1',
        at: new Date(0).toISOString(),
        status: 200,
        latencyMs: 1,
        error: null,
        kind: 'delivery' as const,
      };
      await Promise.all([
        one.recordAttempt({ ...attempt, ok: true }),
        two.recordAttempt({ ...attempt, ok: true }),
        two.recordAttempt({ ...attempt, ok: false, status: 500 }),
      ]);
      expect(await one.attemptCounts()).toEqual([
        { webhookId: 'wh_1', result: 'failed', attempts: 1 },
        { webhookId: 'wh_1', result: 'ok', attempts: 2 },
      ]);
      await a.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    }
  }, 60_000);
});
