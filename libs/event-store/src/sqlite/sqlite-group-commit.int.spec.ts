import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventId, EventStoreClosed, WrongExpectedRevision } from '../errors';
import type { AppendResult, EventToAppend, JsonObject } from '../event-store.port';
import { TestEvents } from '../testing/test-events';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
import { rejection, statuses } from '../testing/outcomes';

/**
 * Group commit: appends made in the same turn of the event loop share one transaction, each in a savepoint.
 * These tests make every append of a test in one turn (Promise.allSettled over calls made synchronously),
 * so they all land in one group.
 */
describe.each([
  ['on this connection', false],
  ['in the writer thread', true],
])('SqliteEventStore group commit, %s', (_where, writerThread) => {
  let directory: string;
  let store: SqliteEventStore;
  const data = new TestEvents('group');

  function open(options: Partial<SqliteEventStoreOptions> = {}, name = 'events.sqlite'): SqliteEventStore {
    return new SqliteEventStore({ file: join(directory, name), writerThread, ...options });
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-group-commit-'));
    store = open();
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Frames in the WAL: every commit adds its pages, so fewer frames for the same rows = fewer commits. */
  function walFrames(file: string): number {
    const reader = new Database(file);
    try {
      const [row] = reader.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      return row.log;
    } finally {
      reader.close();
    }
  }

  it('commits appends made in one turn together: far fewer WAL frames than one commit each', async () => {
    const alone = open({ groupCommit: false }, 'alone.sqlite');
    try {
      const appendAll = (target: SqliteEventStore): Promise<AppendResult[]> =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            target.append(data.stream(`s${i}`), data.events(1), 'no_stream'),
          ),
        );
      await appendAll(store);
      await appendAll(alone);
      const grouped = walFrames(join(directory, 'events.sqlite'));
      const separate = walFrames(join(directory, 'alone.sqlite'));
      expect(grouped).toBeGreaterThan(0);
      expect(grouped * 3).toBeLessThan(separate);
    } finally {
      await alone.close();
    }
  });

  it('gives every append of a group its own result, positions in call order', async () => {
    const streams = Array.from({ length: 10 }, (_, i) => data.stream(`order-${i}`));
    const results = await Promise.all(
      streams.map((stream) => store.append(stream, data.events(2), 'no_stream')),
    );
    expect(results.map((result) => [result.stream, result.revision, result.replayed])).toEqual(
      streams.map((stream) => [stream, 1n, false]),
    );
    for (let i = 1; i < results.length; i += 1) {
      expect(results[i].position).toBeGreaterThan(results[i - 1].position);
    }
    const all = await store.readAll();
    expect(all.map((event) => event.position)).toContain(results[9].position);
    expect(all).toHaveLength(20);
  });

  it('a failing append rolls back alone: the appends before and after it in the group are committed', async () => {
    const taken = await store.append(data.stream('taken'), data.events(1), 'no_stream');
    const before = data.stream('before');
    const wrong = data.stream('wrong');
    const duplicate = data.stream('duplicate');
    const after = data.stream('after');
    const outcomes = await Promise.allSettled([
      store.append(before, data.events(2), 'no_stream'),
      store.append(wrong, data.events(2), 5n),
      // Fails on its last event, after the first two were inserted: the savepoint takes them back.
      store.append(
        duplicate,
        [data.event(), data.event(), data.event({ id: taken.eventIds[0] })],
        'no_stream',
      ),
      store.append(after, data.events(1), 'no_stream'),
    ]);
    expect(statuses(outcomes)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(rejection(outcomes[1])).toBeInstanceOf(WrongExpectedRevision);
    expect(rejection(outcomes[1])).toMatchObject({
      stream: wrong,
      expected: 5n,
      actual: 'no_stream',
    });
    expect(rejection(outcomes[2])).toBeInstanceOf(DuplicateEventId);
    expect(await store.streamRevision(before)).toBe(1n);
    expect(await store.streamRevision(wrong)).toBe('no_stream');
    expect(await store.streamRevision(duplicate)).toBe('no_stream');
    expect(await store.streamRevision(after)).toBe(0n);
    expect((await store.readAll()).map((event) => event.stream)).toEqual([
      data.stream('taken'),
      before,
      before,
      after,
    ]);
  });

  it('appends to one stream within a group see each other, as if committed one after another', async () => {
    const stream = data.stream('shared');
    const first = data.events(2);
    const outcomes = await Promise.allSettled([
      store.append(stream, first, 'no_stream'),
      store.append(stream, data.events(1), 'no_stream'),
      store.append(stream, data.events(1), 1n),
      store.append(stream, first, 'no_stream'),
    ]);
    expect(statuses(outcomes)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(rejection(outcomes[1])).toMatchObject({
      expected: 'no_stream',
      actual: 1n,
    });
    const original = (outcomes[0] as PromiseFulfilledResult<AppendResult>).value;
    // The identical retry in the same group finds the original stored: a replay.
    expect((outcomes[3] as PromiseFulfilledResult<AppendResult>).value).toEqual({
      ...original,
      replayed: true,
    });
    expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
  });

  it('an error that is not the store’s own fails that append only; the others commit on their own', async () => {
    const unserialisable = { id: 'group-bigint', type: 'T', schemaVersion: 1, metadata: {} } as const;
    // JSON.stringify throws on a bigint inside the transaction: not an EventStoreError, so the whole group
    // rolls back and every append is committed alone, each with its own outcome.
    const bad: EventToAppend = { ...unserialisable, data: { n: 1n } as unknown as JsonObject };
    const outcomes = await Promise.allSettled([
      store.append(data.stream('ok-1'), data.events(1), 'no_stream'),
      store.append(data.stream('bad'), [bad], 'no_stream'),
      store.append(data.stream('ok-2'), data.events(1), 'no_stream'),
    ]);
    expect(statuses(outcomes)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rejection(outcomes[1])).toBeInstanceOf(TypeError);
    expect((await store.readAll()).map((event) => event.stream)).toEqual([
      data.stream('ok-1'),
      data.stream('ok-2'),
    ]);
  });

  it('writes what was validated, even if the caller changes its arrays before the group commits', async () => {
    const events = data.events(2);
    const pending = store.append(data.stream('snapshot'), events, 'no_stream');
    events.pop();
    expect((await pending).revision).toBe(1n);
    expect(await store.readStream(data.stream('snapshot'))).toHaveLength(2);
  });

  it('close() commits the appends already accepted, and refuses later ones', async () => {
    const accepted = store.append(data.stream('closing'), data.events(1), 'no_stream');
    await store.close();
    await expect(accepted).resolves.toMatchObject({ revision: 0n });
    await expect(store.append(data.stream('closing'), data.events(1), 0n)).rejects.toBeInstanceOf(
      EventStoreClosed,
    );
    store = open();
    expect(await store.streamRevision(data.stream('closing'))).toBe(0n);
  });
});
