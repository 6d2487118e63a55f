import { SmallDisk, describeWithSmallDisk } from '../../../../test/support/full-disk';
import { isStopped, jsonSafe, startChild, type RunningChild } from '../../test/children/run-child';
import { fixtures, withoutCounts, type ReadModelKind } from '../../test/fixture';
import { describePostgres, eventually } from '../../test/support';
import { ALL_SYNTHETIC_MIGRATIONS, appendSynthetic, syntheticProjection } from '../../test/synthetic';
import { createReadModelBackend } from '../database/create-backend';
import { openReadModelDatabase } from '../database/read-model-database';

/** Children a test started: killed after it, whether it passed or not. */
const children: RunningChild[] = [];
afterEach(async () => {
  while (children.length > 0) await (children.pop() as RunningChild).kill();
});

function deadHolderScenario(kind: ReadModelKind): void {
  const fixture = fixtures(kind, __filename);

  it('takes the lease of a killed holder on this host at once, not after its TTL', async () => {
    const f = await fixture('dead');
    await appendSynthetic(f.store, 0, 300);
    const holder = startChild('lease-holder-child.ts', {
      readModels: f.config,
      store: jsonSafe(f.storeConfig),
      ttlMs: 120_000,
    });
    children.push(holder);
    const { owner } = (await holder.reported) as { owner: string };
    expect(owner).toMatch(new RegExp(`:${holder.pid}:`));

    // While the holder lives, its lease is respected: a pid that is alive proves nothing.
    const { runner, logger } = await f.runner([syntheticProjection()], {
      lease: { ttlMs: 120_000, standbyPollMs: 50 },
    });
    await runner.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await runner.status()).leader).toBe(false);

    await holder.kill();
    // The lease has ~2 minutes to run; the standby takes it over as soon as it sees the pid is gone.
    await eventually(async () => (await runner.status()).leader, 5_000, 'the standby leads');
    expect(await runner.waitForPosition(await f.store.headPosition(), 10_000)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
    expect(logger.messages('warn').join('\n')).toContain(`Took the projection lease over from ${owner}`);
  });
}

function ownGrantScenario(kind: ReadModelKind): void {
  const fixture = fixtures(kind, __filename);

  it('takes back its own grant at once when it could not release it (a database outage, a failover)', async () => {
    const f = await fixture('own');
    await appendSynthetic(f.store, 0, 100);
    const { runner } = await f.runner([syntheticProjection()], {
      lease: { ttlMs: 120_000, standbyPollMs: 50 },
    });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), 10_000)).toBe(true);
    // The database is gone when the runner lets the lease go: the row still names it for 2 minutes.
    const backend = (runner as unknown as { backend: { releaseLease: () => Promise<void> } }).backend;
    const release = backend.releaseLease;
    backend.releaseLease = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    await runner.stop();
    backend.releaseLease = release;
    expect((await runner.status()).lease).toMatch(/^held by us \(token 1\)/);

    await runner.start();
    expect((await runner.status()).leader).toBe(true);
    expect((await runner.status()).lease).toMatch(/^held by us \(token 2\)/);
    await appendSynthetic(f.store, 100, 50);
    expect(await runner.waitForPosition(await f.store.headPosition(), 10_000)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
  });
}

describe('own grant on SQLite', () => {
  ownGrantScenario('sqlite');
});

describe('a dead lease holder on SQLite', () => {
  deadHolderScenario('sqlite');
});

describePostgres('lease faults on PostgreSQL', () => {
  deadHolderScenario('postgres');
  ownGrantScenario('postgres');

  const fixture = fixtures('postgres', __filename);

  it('takes over from a holder stopped (SIGSTOP) inside its batch transaction, the lease row locked', async () => {
    const f = await fixture('stall');
    await appendSynthetic(f.store, 0, 600);
    const events = await f.events();
    const holder = startChild('lease-holder-child.ts', {
      readModels: f.config,
      store: jsonSafe(f.storeConfig),
      ttlMs: 1_500,
      stallAfter: events[149].position.toString(),
    });
    children.push(holder);
    await eventually(() => isStopped(holder.pid), 30_000, 'the holder stops itself mid-batch');

    // Before the lease timeouts, this standby's takeover waited on the stalled holder's row lock for as
    // long as the holder stayed stopped: forever here.
    const { runner } = await f.runner([syntheticProjection()], {
      lease: { ttlMs: 1_500, standbyPollMs: 100 },
    });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), 30_000)).toBe(true);
    expect((await runner.status()).leader).toBe(true);
    // The stalled batch was rolled back by the server, and projected once by the new leader.
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
  });
});

describeWithSmallDisk('the SQLite lease on a full disk', () => {
  const disk = new SmallDisk(2048);
  beforeAll(() => {
    const why = disk.mount();
    if (why) throw new Error(why);
  });
  afterAll(() => disk.unmount());

  it('reports a failed acquisition as a failure, not as a lease that was never stored', async () => {
    const dataSource = await openReadModelDatabase(
      { kind: 'sqlite', file: disk.path('read-models.sqlite') },
      { migrations: ALL_SYNTHETIC_MIGRATIONS },
    );
    try {
      const backend = createReadModelBackend(dataSource);
      // An empty WAL: otherwise the migrations' WAL frames leave room that the lease's page reuses.
      await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
      disk.fill();
      const outcome = await backend.acquireLease('projections', 'me', 0, 60_000).then(
        (token) => ({ token }),
        (error: unknown) => ({ error: String(error) }),
      );
      disk.free();
      const stored = await backend.readLease('projections');
      // The defect was an answer that disagreed with the file: a token for a lease never stored. Under a
      // loaded parallel run SQLite sometimes still finds room for the page (the suite then passed or
      // failed by chance), so the test holds the answer to what was stored, whichever way the write went.
      if ('error' in outcome) {
        expect(outcome.error).toMatch(/full/);
        expect(stored).toBeUndefined();
        expect(await backend.acquireLease('projections', 'me', 0, 60_000)).toBe(1n);
      } else {
        console.warn('the full disk still took the lease page: checked that the lease answered is stored');
        expect(stored?.token).toBe(outcome.token);
        expect(outcome.token).toBe(1n);
      }
    } finally {
      await dataSource.destroy();
    }
  });
});
