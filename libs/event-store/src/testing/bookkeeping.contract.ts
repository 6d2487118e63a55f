import { describe, expect, it } from '@jest/globals';
import { DuplicateEventId, IdempotencyRecordExists, InvalidArgument, WrongExpectedRevision } from '../errors';
import type { EventStore, IdempotencyRecordWrite, RecordedEvent } from '../event-store.port';
import type { TestEvents } from './test-events';
import { failure, rejection, statuses } from './outcomes';

/** What the bookkeeping contract needs from the suite around it (fresh per test). */
export interface BookkeepingContext {
  readonly store: () => EventStore;
  readonly data: () => TestEvents;
  /** The test's own events in global order (a shared store may hold others). */
  readonly readMine: () => Promise<RecordedEvent[]>;
}

/**
 * Bookkeeping beside the log (docs/adr/0008), the same for every adapter: idempotency records committed
 * with the appends that carry them, refused once recorded, never events; checkpoints under a lease with
 * a fencing token.
 */
export function describeBookkeepingContract(context: BookkeepingContext): void {
  const record = (key: string, answer = 1): IdempotencyRecordWrite => ({
    scope: `${context.data().namespace}:actor`,
    key,
    record: { requestHash: `hash-${key}`, answer, nested: { list: [1, 'two'] } },
  });

  describe('idempotency records', () => {
    it('commit with the append that carries them and read back; they are not events', async () => {
      const store = context.store();
      const data = context.data();
      const started = Date.now();
      const head = await store.headPosition();
      const [result] = await store.appendToStreams([data.write(data.stream('recorded'), 'no_stream', 2)], {
        idempotency: [record('k-1')],
      });
      const kept = await store.bookkeeping.readIdempotencyRecord(record('k-1').scope, 'k-1');
      expect(kept).toMatchObject({ ...record('k-1') });
      expect(kept?.recordedAt.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(kept?.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      // the log holds the two events and nothing else
      expect((await context.readMine()).map((event) => event.id)).toEqual(result.eventIds);
      expect(await store.headPosition()).toBe(result.position);
      expect(result.position).toBeGreaterThan(head);
      expect(await store.bookkeeping.readIdempotencyRecord(record('k-1').scope, 'k-2')).toBeUndefined();
      expect(
        await store.bookkeeping.readIdempotencyRecord(`${record('k-1').scope}-other`, 'k-1'),
      ).toBeUndefined();
    });

    it('a recorded key refuses the next commit first, whatever its events, and nothing is written', async () => {
      const store = context.store();
      const data = context.data();
      const stream = data.stream('refused-key');
      const first = data.write(stream, 'no_stream', 1);
      await store.appendToStreams([first], { idempotency: [record('k-taken')] });
      const before = await context.readMine();
      const attempts = [
        // fine on its own
        [data.write(data.stream('refused-key-other'), 'no_stream', 1)],
        // would be a wrong expected revision
        [data.write(stream, 'no_stream', 1)],
        // would be an identical retry
        [first],
      ];
      for (const writes of attempts) {
        const error = await failure(store.appendToStreams(writes, { idempotency: [record('k-taken', 2)] }));
        expect(error).toBeInstanceOf(IdempotencyRecordExists);
        expect(error).toMatchObject({
          code: 'idempotency_record_exists',
          scope: record('k').scope,
          key: 'k-taken',
        });
      }
      expect(await context.readMine()).toEqual(before);
      expect((await store.bookkeeping.readIdempotencyRecord(record('k').scope, 'k-taken'))?.record).toEqual(
        record('k-taken').record,
      );
    });

    it('a refused commit records nothing; an identical retry of stored events records nothing', async () => {
      const store = context.store();
      const data = context.data();
      const stream = data.stream('refused');
      const existing = data.write(stream, 'no_stream', 1);
      await store.appendToStreams([existing]);
      const wrong = await failure(
        store.appendToStreams([data.write(stream, 'no_stream', 1)], { idempotency: [record('k-wrong')] }),
      );
      expect(wrong).toBeInstanceOf(WrongExpectedRevision);
      const duplicate = await failure(
        store.appendToStreams(
          [{ ...existing, events: [{ ...existing.events[0], data: { changed: true } }] }],
          { idempotency: [record('k-duplicate')] },
        ),
      );
      expect(duplicate).toBeInstanceOf(DuplicateEventId);
      const [replay] = await store.appendToStreams([existing], { idempotency: [record('k-replay')] });
      expect(replay.replayed).toBe(true);
      for (const key of ['k-wrong', 'k-duplicate', 'k-replay']) {
        expect(await store.bookkeeping.readIdempotencyRecord(record(key).scope, key)).toBeUndefined();
      }
    });

    it('several records in one commit are kept together; a key twice in one commit is refused', async () => {
      const store = context.store();
      const data = context.data();
      await store.appendToStreams(
        [
          data.write(data.stream('group-a'), 'no_stream', 1),
          data.write(data.stream('group-b'), 'no_stream', 1),
        ],
        { idempotency: [record('k-a'), record('k-b')] },
      );
      for (const key of ['k-a', 'k-b']) {
        expect(await store.bookkeeping.readIdempotencyRecord(record(key).scope, key)).toBeDefined();
      }
      const twice = await failure(
        store.appendToStreams([data.write(data.stream('group-c'), 'no_stream', 1)], {
          idempotency: [record('k-c'), record('k-c', 2)],
        }),
      );
      expect(twice).toBeInstanceOf(InvalidArgument);
      expect(await store.streamRevision(data.stream('group-c'))).toBe('no_stream');
    });

    it('appends made together (one group commit) keep their own records; a taken key refuses only its own', async () => {
      const store = context.store();
      const data = context.data();
      await store.appendToStreams([data.write(data.stream('together-taken'), 'no_stream', 1)], {
        idempotency: [record('k-together-taken')],
      });
      const outcomes = await Promise.allSettled(
        ['k-t1', 'k-t2', 'k-together-taken', 'k-t3'].map((key, i) =>
          store.appendToStreams([data.write(data.stream(`together-${i}`), 'no_stream', 1)], {
            idempotency: [record(key, i)],
          }),
        ),
      );
      expect(statuses(outcomes)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(rejection(outcomes[2])).toBeInstanceOf(IdempotencyRecordExists);
      for (const [i, key] of ['k-t1', 'k-t2', 'k-t3'].entries()) {
        expect((await store.bookkeeping.readIdempotencyRecord(record(key).scope, key))?.record).toEqual(
          record(key, i === 2 ? 3 : i).record,
        );
      }
      expect(await store.streamRevision(data.stream('together-2'))).toBe('no_stream');
    });

    it('a commit failing on a later stream records nothing where commits are atomic', async () => {
      const store = context.store();
      if (!store.capabilities.atomicMultiStreamAppend) return;
      const data = context.data();
      const taken = data.stream('atomic-taken');
      await store.appendToStreams([data.write(taken, 'no_stream', 1)]);
      const error = await failure(
        store.appendToStreams(
          [data.write(data.stream('atomic-new'), 'no_stream', 1), data.write(taken, 'no_stream', 1)],
          {
            idempotency: [record('k-atomic')],
          },
        ),
      );
      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(await store.bookkeeping.readIdempotencyRecord(record('k').scope, 'k-atomic')).toBeUndefined();
      expect(await store.streamRevision(data.stream('atomic-new'))).toBe('no_stream');
    });

    it('of concurrent commits under one key exactly one is written where commits are atomic', async () => {
      const store = context.store();
      if (!store.capabilities.atomicMultiStreamAppend) return;
      const data = context.data();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.appendToStreams([data.write(data.stream(`race-${i}`), 'no_stream', 1)], {
            idempotency: [record('k-race', i)],
          }),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(IdempotencyRecordExists);
      }
      expect(await context.readMine()).toHaveLength(1);
      const winner = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
      expect((await store.bookkeeping.readIdempotencyRecord(record('k').scope, 'k-race'))?.record).toEqual(
        record('k-race', winner).record,
      );
    });

    it('an import inserts where a key is absent and keeps what is present', async () => {
      const store = context.store();
      const data = context.data();
      await store.appendToStreams([data.write(data.stream('import'), 'no_stream', 1)], {
        idempotency: [record('k-present')],
      });
      const recordedAt = new Date(Date.now() - 3_600_000);
      const inserted = await store.bookkeeping.importIdempotencyRecords([
        { ...record('k-present', 9), recordedAt },
        { ...record('k-imported', 9), recordedAt },
      ]);
      expect(inserted).toBe(1);
      expect((await store.bookkeeping.readIdempotencyRecord(record('k').scope, 'k-present'))?.record).toEqual(
        record('k-present').record,
      );
      const imported = await store.bookkeeping.readIdempotencyRecord(record('k').scope, 'k-imported');
      expect(imported?.record).toEqual(record('k-imported', 9).record);
      expect(Math.abs((imported?.recordedAt.getTime() ?? 0) - recordedAt.getTime())).toBeLessThan(1000);
    });

    it('a purge deletes the records recorded before its cut-off and keeps the others', async () => {
      const store = context.store();
      if (!store.capabilities.purgesIdempotencyRecords) {
        await expect(store.bookkeeping.purgeIdempotencyRecords(new Date())).rejects.toBeInstanceOf(
          InvalidArgument,
        );
        return;
      }
      const data = context.data();
      // Younger than any retention period, so the store's own purge leaves them to this one.
      const hour = 3_600_000;
      await store.bookkeeping.importIdempotencyRecords([
        { ...record('k-old'), recordedAt: new Date(Date.now() - 3 * hour) },
        { ...record('k-recent'), recordedAt: new Date(Date.now() - hour) },
      ]);
      await store.appendToStreams([data.write(data.stream('purge'), 'no_stream', 1)], {
        idempotency: [record('k-now')],
      });
      expect(await store.bookkeeping.purgeIdempotencyRecords(new Date(Date.now() - 2 * hour))).toBe(1);
      const kept = async (key: string) =>
        (await store.bookkeeping.readIdempotencyRecord(record(key).scope, key)) !== undefined;
      expect([await kept('k-old'), await kept('k-recent'), await kept('k-now')]).toEqual([false, true, true]);
      // the events stay: only the bookkeeping goes
      expect(await context.readMine()).toHaveLength(1);
    });
  });

  describe('checkpoints under a lease', () => {
    it('one holder at a time; saves need the current token; a release frees the lease at once', async () => {
      const { bookkeeping } = context.store();
      const name = `${context.data().namespace}-custody`;
      const now = Date.now();
      expect(await bookkeeping.readCheckpoint(name)).toBeUndefined();
      const a = await bookkeeping.acquireCheckpoint(name, 'a', now, now + 10_000);
      expect(a).toMatchObject({ name, owner: 'a', token: 1n, position: 0n, expiresAt: now + 10_000 });
      expect(await bookkeeping.acquireCheckpoint(name, 'b', now + 1, now + 10_001)).toBeUndefined();
      expect(await bookkeeping.saveCheckpoint(name, 1n, 41n, now + 20_000)).toBe(true);
      expect(await bookkeeping.readCheckpoint(name)).toMatchObject({
        owner: 'a',
        token: 1n,
        position: 41n,
        expiresAt: now + 20_000,
      });

      // a's lease expires: b takes over with the next token and a's position; a is fenced out
      const b = await bookkeeping.acquireCheckpoint(name, 'b', now + 20_000, now + 30_000);
      expect(b).toMatchObject({ owner: 'b', token: 2n, position: 41n });
      expect(await bookkeeping.saveCheckpoint(name, 1n, 99n, now + 40_000)).toBe(false);
      await bookkeeping.releaseCheckpoint(name, 1n);
      expect(await bookkeeping.readCheckpoint(name)).toMatchObject({
        owner: 'b',
        token: 2n,
        position: 41n,
        expiresAt: now + 30_000,
      });

      await bookkeeping.releaseCheckpoint(name, 2n);
      expect(await bookkeeping.acquireCheckpoint(name, 'a', now + 20_001, now + 30_001)).toMatchObject({
        owner: 'a',
        token: 3n,
        position: 41n,
      });
      expect(await bookkeeping.readCheckpoint(`${name}-other`)).toBeUndefined();
    });
  });
}
