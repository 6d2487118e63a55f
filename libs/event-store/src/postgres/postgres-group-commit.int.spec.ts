import { Client } from 'pg';
import { DuplicateEventId, WrongExpectedRevision } from '../errors';
import type { AppendResult, EventToAppend } from '../event-store.port';
import { describeEventStoreContract, type EventStoreFixture } from '../testing/event-store.contract';
import { POSTGRES_TEST_URL, probePostgres } from '../testing/postgres-test-server';
import { postgresStoreFixtures } from '../testing/postgres-store-fixtures';
import { TestEvents } from '../testing/test-events';
import { PostgresEventStore } from './postgres-event-store';
import { GroupCommitMode } from '../sqlite/group-commit-mode';
import { decodePosition } from './postgres-position';
import { rejection, statuses } from '../testing/outcomes';

const probe = probePostgres();
const inCi = process.env.CI === 'true';
if (!probe.reachable && !inCi) {
  console.warn(`PostgreSQL group commit tests NOT RUN: ${POSTGRES_TEST_URL} unreachable (${probe.reason}).`);
}
const describeIfServer = probe.reachable || inCi ? describe : describe.skip;

const stores = postgresStoreFixtures(__filename, probe);
const fixture = stores.fixture;

afterAll(() => stores.dropAll());

const xidOf = (result: AppendResult): bigint => decodePosition(result.position).xid;
const value = <T>(outcome: PromiseSettledResult<T>): T => (outcome as PromiseFulfilledResult<T>).value;

/**
 * Group commit: appends made in one turn of the event loop go to append_event_groups() together. Each test
 * makes its appends synchronously one after another (Promise.allSettled over the calls), so they share a
 * turn; one transaction shows as one xid in the positions.
 */
describeIfServer('PostgreSQL event store group commit', () => {
  let current: EventStoreFixture & { store: PostgresEventStore };
  let store: PostgresEventStore;
  let data: TestEvents;

  beforeEach(async () => {
    current = await fixture();
    store = current.store;
    data = new TestEvents('pg-group');
  });

  afterEach(async () => {
    await current.cleanup();
  });

  // A fresh store waits for the end of the turn (GroupCommitMode starts there): the appends a test makes
  // one after another, without awaiting, form one group.

  it('commits the appends of one turn in one transaction, positions in call order', async () => {
    const streams = Array.from({ length: 12 }, (_, i) => data.stream(`s${i}`));
    const results = await Promise.all(
      streams.map((stream) => store.append(stream, data.events(2), 'no_stream')),
    );
    expect(new Set(results.map(xidOf)).size).toBe(1);
    expect(results.map((result) => [result.stream, result.revision, result.replayed])).toEqual(
      streams.map((stream) => [stream, 1n, false]),
    );
    expect(results.map((result) => decodePosition(result.position).ordinal)).toEqual(
      streams.map((_, i) => 2 * i + 1),
    );
    const all = await store.readAll();
    expect(all.map((event) => [event.stream, event.revision])).toEqual(
      streams.flatMap((s) => [
        [s, 0n],
        [s, 1n],
      ]),
    );
  });

  it('a refused append writes nothing and does not affect the others of its group', async () => {
    const taken = await store.append(data.stream('taken'), data.events(1), 'no_stream');
    const existing = await store.append(data.stream('existing'), data.events(2), 'no_stream');
    const retried = await store.append(data.stream('retried'), data.events(1), 'no_stream');
    const retry = (await store.readStream(data.stream('retried')))[0];
    const retryEvent: EventToAppend = {
      id: retry.id,
      type: retry.type,
      schemaVersion: retry.schemaVersion,
      data: retry.data,
      metadata: retry.metadata,
    };
    const outcomes = await Promise.allSettled([
      store.append(data.stream('first'), data.events(1), 'no_stream'),
      store.append(data.stream('existing'), data.events(1), 5n),
      store.append(
        data.stream('duplicate'),
        [data.event(), data.event({ id: taken.eventIds[0] })],
        'no_stream',
      ),
      store.append(data.stream('retried'), [retryEvent], 'no_stream'),
      store.appendToStreams([
        data.write(data.stream('multi-a'), 'no_stream', 1),
        data.write(data.stream('multi-b'), 'stream_exists', 1),
      ]),
      store.append(data.stream('last'), data.events(2), 'no_stream'),
    ]);
    expect(statuses(outcomes)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(rejection(outcomes[1])).toBeInstanceOf(WrongExpectedRevision);
    expect(rejection(outcomes[1])).toMatchObject({
      stream: data.stream('existing'),
      expected: 5n,
      actual: 1n,
    });
    expect(rejection(outcomes[2])).toBeInstanceOf(DuplicateEventId);
    expect(value(outcomes[3] as PromiseSettledResult<AppendResult>)).toEqual({ ...retried, replayed: true });
    expect(rejection(outcomes[4])).toMatchObject({
      stream: data.stream('multi-b'),
      expected: 'stream_exists',
    });
    const first = value(outcomes[0] as PromiseSettledResult<AppendResult>);
    const last = value(outcomes[5] as PromiseSettledResult<AppendResult>);
    expect(xidOf(first)).toBe(xidOf(last));
    expect(decodePosition(last.position).ordinal).toBe(2);
    expect(await store.streamRevision(data.stream('existing'))).toBe(existing.revision);
    for (const name of ['duplicate', 'multi-a', 'multi-b']) {
      expect(await store.streamRevision(data.stream(name))).toBe('no_stream');
    }
    expect((await store.readAll()).map((event) => event.stream).slice(-3)).toEqual([
      data.stream('first'),
      data.stream('last'),
      data.stream('last'),
    ]);
  });

  it('appends sharing a stream or an event id go in separate groups', async () => {
    const stream = data.stream('shared');
    const event = data.event();
    const outcomes = await Promise.allSettled([
      store.append(stream, [event], 'any'),
      store.append(data.stream('other'), data.events(1), 'no_stream'),
      store.append(stream, data.events(1), 'any'),
      store.append(data.stream('copy'), [event], 'no_stream'),
    ]);
    // Separate groups run concurrently, like separate appends: which of two uses of one id wins is open.
    const [a, b, c, d] = outcomes;
    expect([b.status, c.status]).toEqual(['fulfilled', 'fulfilled']);
    expect([a.status, d.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(rejection(a.status === 'rejected' ? a : d)).toBeInstanceOf(DuplicateEventId);
    const other = value(b as PromiseSettledResult<AppendResult>);
    const again = value(c as PromiseSettledResult<AppendResult>);
    expect(xidOf(again)).not.toBe(xidOf(other));
    if (a.status === 'fulfilled') expect(xidOf(a.value)).toBe(xidOf(other));
  });

  it('an append whose stream another transaction holds leaves the group and waits alone; the rest commit', async () => {
    const held = data.stream('held');
    const client = new Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      await store.appendInTransaction(client, [data.write(held, 'no_stream', 1)]);
      let waiterDone = false;
      // The append to the held stream goes in a group with the two free ones: it cannot take its stream
      // lock, leaves the group and waits alone, and the group commits without it.
      const waiter = store.append(held, data.events(1), 0n).finally(() => {
        waiterDone = true;
      });
      const free = await Promise.all([
        store.append(data.stream('free-1'), data.events(1), 'no_stream'),
        store.append(data.stream('free-2'), data.events(1), 'no_stream'),
      ]);
      expect(free.map((result) => result.revision)).toEqual([0n, 0n]);
      expect(waiterDone).toBe(false);
      await client.query('COMMIT');
      const next = await waiter;
      expect(next.revision).toBe(1n);
      expect(xidOf(next)).toBeGreaterThan(xidOf(free[0]));
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });

  it('a group the server refuses as a whole is appended one by one, each with its own outcome', async () => {
    // An int4 column refuses this schema version: the group's INSERT fails and rolls back everything.
    const tooBig = data.event({ schemaVersion: 2 ** 40 });
    const outcomes = await Promise.allSettled([
      store.append(data.stream('ok-1'), data.events(1), 'no_stream'),
      store.append(data.stream('bad'), [tooBig], 'no_stream'),
      store.append(data.stream('ok-2'), data.events(1), 'no_stream'),
    ]);
    expect(statuses(outcomes)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.streamRevision(data.stream('bad'))).toBe('no_stream');
    // On their own, the appends go concurrently (like separate appends): in either order.
    expect((await store.readAll()).map((event) => event.stream).sort()).toEqual([
      data.stream('ok-1'),
      data.stream('ok-2'),
    ]);
  });

  it('after a lone appender, goes at once until appends overlap, then groups them again', async () => {
    const lone = data.stream('lone');
    const sequential: AppendResult[] = [];
    for (let i = 0; i < GroupCommitMode.LONE_GROUPS + 4; i += 1) {
      sequential.push(await store.append(lone, data.events(1), i === 0 ? 'no_stream' : BigInt(i - 1)));
    }
    expect(new Set(sequential.map(xidOf)).size).toBe(sequential.length);
    const appenders = 8;
    const results = await Promise.all(
      Array.from({ length: appenders }, async (_, a) => {
        const mine: AppendResult[] = [];
        for (let i = 0; i < 5; i += 1) {
          const expected = i === 0 ? 'no_stream' : BigInt(i - 1);
          mine.push(await store.append(data.stream(`burst-${a}`), data.events(1), expected));
        }
        return mine;
      }),
    );
    // The first goes at once; the seven made while it is on its way wait and go together.
    const first = results.map((mine) => xidOf(mine[0]));
    expect(new Set(first).size).toBe(2);
    expect(new Set(first.slice(1)).size).toBe(1);
  });

  it('close() sends and awaits the appends already accepted', async () => {
    const accepted = Promise.all([
      store.append(data.stream('closing-1'), data.events(1), 'no_stream'),
      store.append(data.stream('closing-2'), data.events(1), 'no_stream'),
    ]);
    await store.close();
    const results = await accepted;
    expect(results.map((result) => result.revision)).toEqual([0n, 0n]);
  });
});

describeIfServer('PostgreSQL event store without group commit', () => {
  describeEventStoreContract('postgres without group commit', () => fixture({ groupCommit: false }));
});
