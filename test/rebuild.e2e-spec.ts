import { join } from 'node:path';
import type { EventStoreConfig } from '@wasteflow/event-store';
import { ProjectionRunner, type ReadModelDatabaseConfig } from '@wasteflow/projections';
import type { DataSource } from 'typeorm';
import { runChild } from '../libs/projections/test/children/run-child';
import { describeEachStore, issueToken, Keys, requireStore, seedWorld, type World } from './support/fixtures';
import { API_PROJECTIONS, openApiReadModels } from './support/api-projections';
import { TEST_DATABASE_URL } from './support/postgres';
import { driveHistory } from './support/read-side-history';
import { cliOn } from './support/store-cli';
import { startTestApp, type TestApp } from './support/test-app';

const SUITE = 'rebuild: replayed read models equal the incrementally built ones';

type Dump = Record<string, Record<string, unknown>[]>;

/** Every row of every table of every projection, in key order. */
async function dumpAll(runner: ProjectionRunner): Promise<Dump> {
  const dump: Dump = {};
  for (const projection of API_PROJECTIONS) {
    for (const table of projection.tables)
      dump[table.name] = (await runner.dumpTable(table)) as Record<string, unknown>[];
  }
  return dump;
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describeEachStore(SUITE, (kind) => {
  let t: TestApp;
  let world: World;
  let runner: ProjectionRunner;
  let incremental: Dump;
  const opened: DataSource[] = [];

  const readModels = (name: string): ReadModelDatabaseConfig =>
    kind === 'sqlite'
      ? { kind: 'sqlite', file: join(t.dataDir, `${name}-read-models.sqlite`) }
      : { kind: 'postgres', url: TEST_DATABASE_URL, schema: `${t.schemaPrefix}_${name}`, poolSize: 4 };
  const storeConfig = (): EventStoreConfig =>
    kind === 'sqlite'
      ? { kind: 'sqlite', file: join(t.dataDir, 'events.sqlite') }
      : { kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `${t.schemaPrefix}_events` };
  const cli = (...argv: string[]) => cliOn(kind, t, ...argv);
  const runnerOn = async (
    name: string,
    overrides: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {},
  ) => {
    const dataSource = await openApiReadModels(readModels(name));
    opened.push(dataSource);
    return new ProjectionRunner({
      store: t.store,
      dataSource,
      projections: API_PROJECTIONS,
      logger: silent,
      restartDelayMs: 0,
      ...overrides,
    });
  };

  beforeAll(async () => {
    await requireStore(kind, SUITE);
    t = await startTestApp(kind, { suiteFile: __filename });
    world = await seedWorld(t, new Keys(`rebuild-seed-${kind}`));
    for (let round = 0; round < 3; round += 1)
      await driveHistory(t, world, new Keys(`rebuild-${kind}-${round}`));
    // and some volume of every category, through the bulk endpoint
    const subtypes: Record<string, string | undefined> = {
      industrial: 'slag',
      household: 'perishable',
      agricultural: 'straw',
      construction: 'muck',
      hazardous: undefined,
    };
    const categories = Object.keys(subtypes);
    const commands = Array.from({ length: 300 }, (_, i) => {
      const category = categories[i % categories.length];
      return {
        type: 'generate-waste',
        idempotencyKey: `rebuild-bulk-${kind}-${i}`,
        body: {
          category,
          ...(category === 'hazardous' ? { wasteCode: '900-249-08' } : { subtype: subtypes[category] }),
          massKg: 1 + (i % 89) / 8,
          occurredAt: `${['2025-12', '2026-01', '2026-02'][i % 3]}-1${i % 10}T09:00:00+08:00`,
        },
      };
    });
    const response = await t.http
      .post('/v1/commands')
      .set('Authorization', `Bearer ${world.tokens.generator}`)
      .send({ commands });
    expect(response.status).toBe(200);
    const refused = response.body.results.filter((r: { status: number }) => r.status !== 201);
    if (refused.length > 0) throw new Error(`bulk items refused: ${JSON.stringify(refused.slice(0, 3))}`);
    await issueToken(t, new Keys(`rebuild-last-${kind}`), { kind: 'auditor' });
    runner = t.app.get(ProjectionRunner);
    expect(await runner.waitForPosition(await t.headPosition(), 30_000)).toBe(true);
    incremental = await dumpAll(runner);
  }, 120_000);

  afterAll(async () => {
    for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
    await t?.close();
  });

  it('builds read models from the history (a sanity check of what is compared)', () => {
    expect(incremental.trace_batch.length).toBeGreaterThan(300);
    expect(incremental.trace_step.length).toBeGreaterThan(incremental.trace_batch.length);
    expect(incremental.trace_discrepancy).toHaveLength(3);
    expect(incremental.manifest_view).toHaveLength(9);
    expect(incremental.manifest_party).toHaveLength(6);
  });

  it('the CLI rebuilds in shadow tables while the api serves and projects: every read meanwhile answers the full model, the tables are equal row for row', async () => {
    const code = String(incremental.trace_batch[0].traceCode);
    const read = () =>
      t.http.get(`/v1/batches/${code}`).set('Authorization', `Bearer ${world.tokens.auditor}`);
    const before = await read();
    expect(before.status).toBe(200);
    const rebuilding = cli('rebuild', '--batch-size', '500');
    const answers: { status: number; body: unknown }[] = [];
    let done = false;
    void rebuilding.then(() => (done = true));
    while (!done) {
      const response = await read();
      answers.push({ status: response.status, body: response.body });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const rebuilt = await rebuilding;
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.err).toMatch(/rebuild \[[^\]]*\] 100% \| \d+ events/);
    const head = await t.headPosition();
    expect(rebuilt.out).toMatch(
      new RegExp(
        `^rebuilt ${API_PROJECTIONS.length} projection\\(s\\) from position 0 to ${head}: \\d+ events in [\\d.]+ s \\(\\d+ events/s\\)$`,
      ),
    );
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toEqual({ status: 200, body: before.body });
    expect(runner.currentState).toBe('running');
    expect(await dumpAll(runner)).toEqual(incremental);

    // the api's runner carries on from the rebuilt checkpoints
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect((await runner.status()).checkpoint).toBe(head);
    await issueToken(t, new Keys(`rebuild-after-${kind}`), { kind: 'auditor' });
    expect(await runner.waitForPosition(await t.headPosition(), 10_000)).toBe(true);
  }, 120_000);

  it('a projector killed between a batch’s rows and its checkpoint restarts to exactly the rebuilt read models', async () => {
    const events = await t.store.readAll();
    const killAfter = events[Math.floor(events.length / 2)].position;
    const child = await runChild(
      join(__dirname, 'support/projector-crash-child.ts'),
      {
        store: storeConfig(),
        readModels: readModels('crash'),
        killAfter: killAfter.toString(),
        batchSize: 25,
      },
      60_000,
    );
    expect({ signal: child.signal, stderr: child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    const killedIn = (
      JSON.parse(child.stdout.trim().split('\n').pop() as string) as { killedIn: [string, string] }
    ).killedIn;

    const restarted = await runnerOn('crash', { lease: { ttlMs: 2_000, standbyPollMs: 50 } });
    const before = await restarted.status();
    // the dead process committed whole batches up to the kill; the batch it died in, not at all
    expect(before.checkpoint).toBeLessThan(BigInt(killedIn[0]));
    expect(before.checkpoint).toBeGreaterThanOrEqual(killAfter);
    expect(before.lease).toMatch(/held by doomed-projector/);
    await restarted.start(); // stands by until the dead one's lease expires, then takes over
    expect(await restarted.waitForPosition(await t.headPosition(), 30_000)).toBe(true);
    const recovered = await dumpAll(restarted);
    await restarted.close();

    const reference = await runnerOn('reference');
    const result = await reference.rebuild();
    expect(result.events).toBe(events.length);
    const rebuilt = await dumpAll(reference);
    await reference.close();
    expect(recovered).toEqual(rebuilt);
    expect(rebuilt).toEqual(incremental);
  }, 120_000);
});
