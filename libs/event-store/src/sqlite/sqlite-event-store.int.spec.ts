import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract, type EventStoreFixture } from '../testing/event-store.contract';
import { reopenableFixture } from '../testing/reopenable-fixture';
import { TestEvents } from '../testing/test-events';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

/** A fresh file in its own temporary directory per test; the WAL and SHM files go with the directory. */
async function sqliteFixture(
  options: Partial<SqliteEventStoreOptions> = {},
): Promise<EventStoreFixture & { directory: string }> {
  const directory = mkdtempSync(join(tmpdir(), 'wasteflow-event-store-'));
  const open = (): SqliteEventStore =>
    new SqliteEventStore({ file: join(directory, 'events.sqlite'), pollIntervalMs: 20, ...options });
  const fixture = reopenableFixture(open, () => rmSync(directory, { recursive: true, force: true }));
  return { ...fixture, directory };
}

describeEventStoreContract('sqlite', () => sqliteFixture(), {
  // 2^60 + 7: far enough above 2^53 that neighbouring positions share one double.
  largePositions: () => sqliteFixture({ initialPosition: 2n ** 60n + 7n }),
});

// The other two commit paths keep the same contract: each append committed when it is called, and group
// commits made in the writer thread.
describeEventStoreContract('sqlite without group commit', () => sqliteFixture({ groupCommit: false }));
describeEventStoreContract('sqlite with the writer thread', () => sqliteFixture({ writerThread: true }));

describe('SqliteEventStore specifics', () => {
  let fixture: EventStoreFixture & { directory: string };
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('starts a new store at initialPosition and keeps counting from there', async () => {
    fixture = await sqliteFixture({ initialPosition: 2n ** 53n + 1n });
    const data = new TestEvents('init');
    const first = await fixture.store.append(data.stream('s'), data.events(2), 'no_stream');
    expect(first.position).toBe(2n ** 53n + 2n);
    const reopened = await fixture.openSecondStore?.();
    const second = await reopened?.append(data.stream('s'), data.events(1), 1n);
    expect(second?.position).toBe(2n ** 53n + 3n);
  });

  it('a rolled-back append leaves no gap-filling position behind for later appends to reuse', async () => {
    fixture = await sqliteFixture();
    const data = new TestEvents('gap');
    const first = await fixture.store.append(data.stream('a'), data.events(1), 'no_stream');
    await expect(
      fixture.store.append(data.stream('a'), [data.event(), data.event({ id: first.eventIds[0] })], 0n),
    ).rejects.toThrow();
    const second = await fixture.store.append(data.stream('a'), data.events(1), 0n);
    // AUTOINCREMENT never hands out a position twice, even one of a rolled-back insert.
    expect(second.position).toBeGreaterThan(first.position);
    expect((await fixture.store.readAll()).map((event) => event.position)).toEqual([
      first.position,
      second.position,
    ]);
  });

  it('purges idempotency records older than its retention period on its own, soon after it opens', async () => {
    fixture = await sqliteFixture({ idempotencyRetentionDays: 1 });
    const day = 24 * 3_600_000;
    const record = (key: string, age: number) => ({
      scope: 'party:x',
      key,
      record: { answer: key },
      recordedAt: new Date(Date.now() - age),
    });
    await fixture.store.bookkeeping.importIdempotencyRecords([
      record('expired', 2 * day),
      record('kept', day / 2),
    ]);
    const reopened = (await fixture.openSecondStore?.()) as SqliteEventStore;
    const deadline = Date.now() + 10_000;
    while (
      (await reopened.bookkeeping.readIdempotencyRecord('party:x', 'expired')) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await reopened.bookkeeping.readIdempotencyRecord('party:x', 'expired')).toBeUndefined();
    expect(await reopened.bookkeeping.readIdempotencyRecord('party:x', 'kept')).toMatchObject({
      key: 'kept',
    });
  });

  it('adds the bookkeeping tables to a file written before they existed, and keeps its events', async () => {
    fixture = await sqliteFixture();
    const data = new TestEvents('old-file');
    const written = await fixture.store.append(data.stream('s'), data.events(2), 'no_stream');
    await fixture.store.close();
    const file = join(fixture.directory, 'events.sqlite');
    const raw = new Database(file);
    raw.exec('DROP TABLE idempotency_records; DROP TABLE checkpoints;');
    raw.close();
    const reopened = (await fixture.openSecondStore?.()) as SqliteEventStore;
    expect((await reopened.readStream(data.stream('s'))).map((event) => event.id)).toEqual(written.eventIds);
    await reopened.appendToStreams([data.write(data.stream('t'), 'no_stream', 1)], {
      idempotency: [{ scope: 'a', key: 'k', record: { ok: true } }],
    });
    expect(await reopened.bookkeeping.readIdempotencyRecord('a', 'k')).toMatchObject({
      record: { ok: true },
    });
  });
});
