import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEventStore,
  ManualClock,
  SqliteEventStore,
  verifyStreamIntegrity,
  type RecordedEvent,
} from '@wasteflow/event-store';
import {
  LEGACY_CHECKPOINT_STREAM,
  MANIFEST_CUSTODY_CHECKPOINT,
  ManifestCustodyProcessManager,
} from '@wasteflow/ledger';
import { migrateLegacyIdempotencyRecords } from '@wasteflow/ledger/writing/legacy-bookkeeping';
import { batchBody, describeEachStore, requireStore, send } from './support/fixtures';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchemaPrefix } from './support/postgres';
import { startTestApp, type TestApp, type TestStore } from './support/test-app';
import type { FixtureRequest } from './fixtures/pre-bookkeeping/make-fixture';

/**
 * An existing data directory, written by the version before docs/adr/0008 (test/fixtures/pre-bookkeeping:
 * made by running that version's api over HTTP, see make-fixture.ts there), opened by this one: its
 * idempotency records (`$idempotency-…` events) are copied into the bookkeeping on start, so every request
 * answered before the upgrade still gets its first answer; the log keeps everything it had, chains intact;
 * the custody process manager resumes from the checkpoint it had kept as an event. On PostgreSQL the same
 * events are carried over into a fresh schema, in order, as they are.
 */

const FIXTURE = join(__dirname, 'fixtures', 'pre-bookkeeping');

const fixture = JSON.parse(readFileSync(join(FIXTURE, 'requests.json'), 'utf8')) as {
  readonly made: string;
  readonly tokens: Record<string, string>;
  readonly requests: readonly FixtureRequest[];
};

/** The fixture's events, as the old version wrote them. */
async function fixtureEvents(): Promise<RecordedEvent[]> {
  const directory = mkdtempSync(join(tmpdir(), 'wasteflow-fixture-read-'));
  copyFileSync(join(FIXTURE, 'events.sqlite'), join(directory, 'events.sqlite'));
  const store = new SqliteEventStore({ file: join(directory, 'events.sqlite') });
  try {
    return await store.readAll();
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Replaces every `position` (and the X-Ledger-Position) by the same event's position in this store. */
function withPositions(value: unknown, map: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withPositions(item, map));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === 'position' && typeof item === 'string' ? (map.get(item) ?? item) : withPositions(item, map),
    ]),
  );
}

/** The first answer as a replay gives it: a token's secret is shown once; a bulk item says it replays. */
function replayOf(request: FixtureRequest): Record<string, unknown> {
  const answer = request.answer;
  if (request.path === '/v1/tokens') {
    const { token: _secret, ...rest } = answer;
    return rest;
  }
  if (request.path === '/v1/commands') {
    return { results: (answer.results as object[]).map((result) => ({ ...result, replayed: true })) };
  }
  return answer;
}

const SUITE = 'a data directory of the version before bookkeeping';
describeEachStore(SUITE, (kind: TestStore) => {
  let t: TestApp;
  let dataDir: string;
  let schemaPrefix: string;
  let written: RecordedEvent[];
  /** Fixture position → this store's position of the same event. */
  let positions: Map<string, string>;

  beforeAll(async () => {
    await requireStore(kind, `${__filename} (${kind})`);
    written = await fixtureEvents();
    dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-migration-'));
    schemaPrefix = `${uniqueSchemaPrefix(__filename)}_m`;
    if (kind === 'sqlite') {
      copyFileSync(join(FIXTURE, 'events.sqlite'), join(dataDir, 'events.sqlite'));
    } else {
      const store = await createEventStore({
        kind: 'postgres',
        connectionString: TEST_DATABASE_URL,
        schema: `${schemaPrefix}_events`,
      });
      try {
        for (const event of written) {
          await store.append(
            event.stream,
            [event],
            event.revision === 0n ? 'no_stream' : event.revision - 1n,
          );
        }
      } finally {
        await store.close();
      }
    }
    t = await startTestApp(kind, {
      suiteFile: __filename,
      dataDir,
      schemaPrefix,
      clock: new ManualClock(new Date(Date.parse(fixture.made) + 3_600_000)),
      env: { WASTEFLOW_ADMIN_TOKEN: fixture.tokens.admin, WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS: '36500' },
    });
    const now = await t.store.readAll();
    const byId = new Map(now.map((event) => [event.id, event.position.toString()]));
    positions = new Map(written.map((event) => [event.position.toString(), byId.get(event.id) ?? '?']));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchemas(schemaPrefix);
  });

  it('keeps the log as it was: every event in order, the old record streams with their chains intact', async () => {
    const now = await t.store.readAll();
    expect(now.map((event) => [event.id, event.stream, event.revision])).toEqual(
      written.map((event) => [event.id, event.stream, event.revision]),
    );
    const legacy = [...new Set(now.map((e) => e.stream))].filter((stream) =>
      stream.startsWith('$idempotency-'),
    );
    expect(legacy).toHaveLength(fixture.requests.filter((r) => r.key !== null).length + 2);
    for (const stream of [...legacy, '$manifest-serial-20263301']) {
      expect({ stream, ...verifyStreamIntegrity(await t.store.readStream(stream)) }).toMatchObject({
        stream,
        verified: true,
      });
    }
  });

  it('answers every request of before the upgrade with its first answer, and appends nothing', async () => {
    const before = await t.headPosition();
    for (const request of fixture.requests) {
      const response = await send(t, request.path, fixture.tokens[request.token], request.body, request.key);
      expect({ name: request.name, status: response.status, body: response.body }).toEqual({
        name: request.name,
        status: request.status,
        body: withPositions(replayOf(request), positions),
      });
      expect(response.headers['x-ledger-position']).toBe(positions.get(request.position ?? ''));
      if (request.key !== null) expect(response.headers['idempotency-replayed']).toBe('true');
    }
    expect(await t.headPosition()).toBe(before);
  });

  it('still refuses another request under a key used before the upgrade (422), appending nothing', async () => {
    const before = await t.headPosition();
    const generation = fixture.requests.find((r) => r.key === 'gen-1') as FixtureRequest;
    const response = await send(t, '/v1/batches', fixture.tokens.generator, batchBody(3), 'gen-1');
    expect({ status: response.status, rule: response.body.rule }).toEqual({
      status: 422,
      rule: 'idempotency-key-reused',
    });
    expect(generation.status).toBe(201);
    expect(await t.headPosition()).toBe(before);
  });

  it('resumes the custody process manager from the checkpoint it kept as an event, now beside the log', async () => {
    const [legacy] = await t.store.readStream(LEGACY_CHECKPOINT_STREAM);
    const manager = t.app.get(ManifestCustodyProcessManager);
    // (carried over to PostgreSQL, the old position is SQLite's: it starts early there and finds all done)
    if (kind === 'sqlite') expect(manager.status().checkpoint).toBe(BigInt(legacy.data.position as string));
    expect(manager.status()).toMatchObject({ leader: true, written: 0, skipped: 0 });
    expect(await t.store.bookkeeping.readCheckpoint(MANIFEST_CUSTODY_CHECKPOINT)).toMatchObject({
      token: 1n,
    });
  });

  it('migrates once: a second run finds nothing new; new writes put nothing but their events in the log', async () => {
    expect(await migrateLegacyIdempotencyRecords(t.store)).toEqual({ found: 0, imported: 0, malformed: 0 });
    const before = await t.headPosition();
    const response = await send(
      t,
      '/v1/batches',
      fixture.tokens.generator,
      batchBody(2),
      'after-the-upgrade',
    );
    expect(response.status).toBe(201);
    const added = await t.store.readAll({ after: before });
    expect(added.map((event) => event.type)).toEqual(['WasteGenerated']);
    // and the read models, built from this log from scratch, answer for its batches
    const code = (fixture.requests.find((r) => r.key === 'gen-1') as FixtureRequest).answer
      .traceCode as string;
    const trace = await t.http
      .get(`/v1/batches/${code}?minPosition=${response.headers['x-ledger-position']}`)
      .set('Authorization', `Bearer ${fixture.tokens.generator}`);
    expect(trace.status).toBe(200);
    expect(trace.body).toMatchObject({ traceCode: code, heldKg: 240.5 });
  });
});
