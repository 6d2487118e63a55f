import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import type { EventStore, JsonObject, ReadStreamOptions, RecordedEvent } from '@wasteflow/event-store';
import type { Principal } from '../../access/principal';
import { CORE_ONLY, LedgerWriter, type WriteOptimisations } from '../ledger-writer';
import { randomBackoff } from '../retry-pacing';
import type { StreamModel } from '../stream-model';
import type { UnitOfWork } from '../unit-of-work';
import type { Decision, WriteContext } from '../write-types';
import { HotStreamTurns } from './hot-stream-turns';

const sum: StreamModel<number, number> = {
  initial: 0,
  decode: (event: RecordedEvent) => (event.data as { amount: number }).amount,
  evolve: (total, amount) => total + amount,
};

const principal: Principal = { kind: 'party', tokenId: 't1', partyUscc: '91330106MA27Y5XK06' };
const context = (key: string): WriteContext => ({
  principal,
  idempotencyKey: key,
  requestHash: `h-${key}`,
  correlationId: `c-${key}`,
  recordedAt: new Date('2026-11-29T01:00:00Z'),
});

/** Reads two streams, writes to both; `contended` marks the counter many requests write. */
const transfer =
  (from: string, to: string, amount: number, contended = false) =>
  async (unitOfWork: UnitOfWork): Promise<Decision<JsonObject>> => {
    const a = await unitOfWork.load(from, sum);
    const b = await unitOfWork.load(to, sum);
    if (a.state - amount < -1000) throw new Error('overdrawn');
    return {
      writes: [
        { stream: from, events: [{ type: 'Moved', schemaVersion: 1, data: { amount: -amount } }] },
        { stream: to, events: [{ type: 'Moved', schemaVersion: 1, data: { amount } }], contended },
      ],
      result: { from: a.state - amount, to: b.state + amount },
    };
  };

/** The store with every stream read counted. */
function counting(store: EventStore): { store: EventStore; reads: string[] } {
  const reads: string[] = [];
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return (stream: string, options?: ReadStreamOptions) => {
          reads.push(stream);
          return target.readStream(stream, options);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, reads };
}

describe('the optional layers of the write path', () => {
  it('reads reused across retries: after a conflict on one stream, only that stream is read again', async () => {
    const memory = new InMemoryEventStore();
    const { store, reads } = counting(memory);
    const writer = new LedgerWriter(store, { ...CORE_ONLY, reuseReadsOnRetry: true });
    await writer.execute(context('seed'), transfer('a', 'b', 1));
    let interfered = false;
    memory.beforeCommit = async () => {
      if (interfered) return;
      interfered = true;
      await new LedgerWriter(memory, CORE_ONLY).execute(context('other'), transfer('c', 'b', 1));
    };
    reads.length = 0;
    const outcome = await writer.execute(context('k'), transfer('a', 'b', 2));
    expect(outcome.result).toEqual({ from: -3, to: 4 });
    // first attempt: a and b; the retry: b only (plus the replays' look-ups of the record, none here)
    expect(reads.filter((stream) => stream === 'a')).toHaveLength(1);
    expect(reads.filter((stream) => stream === 'b')).toHaveLength(2);
    await memory.close();
  });

  it('hot-stream turns: a second loser of the same contended stream waits for the first to be done', async () => {
    const turns = new HotStreamTurns(randomBackoff);
    const first = turns.start(12);
    const second = turns.start(12);
    await first.afterConflict(1, { stream: 'serial', contended: true });
    let secondMayRetry = false;
    const waiting = second.afterConflict(1, { stream: 'serial', contended: true }).then(() => {
      secondMayRetry = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondMayRetry).toBe(false);
    first.finish();
    await waiting;
    expect(secondMayRetry).toBe(true);
    second.finish();
    expect(turns.waiting).toBe(0);
  });

  it('hot-stream turns: a commit to a stream with turns taken waits for its own, then decides again', async () => {
    const turns = new HotStreamTurns(randomBackoff);
    const holder = turns.start(12);
    const newcomer = turns.start(12);
    await holder.afterConflict(1, { stream: 'permits', contended: true });
    expect(await newcomer.beforeCommit(1, ['serial'])).toBeUndefined();
    let waitedFor: string | undefined;
    const waiting = newcomer.beforeCommit(1, ['serial', 'permits']).then((stream) => {
      waitedFor = stream;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(waitedFor).toBeUndefined();
    // a command on its last attempt commits without waiting
    const last = turns.start(3);
    expect(await last.beforeCommit(3, ['permits'])).toBeUndefined();
    last.finish();
    holder.finish();
    await waiting;
    expect(waitedFor).toBe('permits');
    // its turn held, it commits at once
    expect(await newcomer.beforeCommit(2, ['permits'])).toBeUndefined();
    newcomer.finish();
    expect(turns.waiting).toBe(0);
  });

  it('hot-stream turns: 32 writers of one contended stream at once, slow commits: all commit within 2 attempts', async () => {
    const store = new InMemoryEventStore();
    // every commit takes a while, so the losers' retries would meet each other again without their turns
    store.beforeCommit = () => new Promise((resolve) => setTimeout(resolve, 5));
    const writer = new LedgerWriter(store, { ...CORE_ONLY, hotStreamTurns: true, maxAttempts: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        writer.execute(context(`race-${i}`), transfer(`s-${i}`, 'permits', 1, true)),
      ),
    );
    // the first attempts collided once; then each loser committed in its turn, after the one before it
    expect(outcomes.map((o) => o.result.to).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    expect(await store.readStream('permits')).toHaveLength(32);
    await store.close();
  });

  it("hot-stream turns: a turn's holder that keeps losing to other api processes may try twice as often", async () => {
    const race = async (options: WriteOptimisations, losses: number) => {
      const store = new InMemoryEventStore();
      // another api process commits to the stream right before each of this command's first `losses` commits
      store.beforeCommit = async (_writes, commitOptions) => {
        if (commitOptions?.idempotency?.[0].key !== 'mine' || losses === 0) return;
        losses -= 1;
        await new LedgerWriter(store, CORE_ONLY).execute(
          context(`other-${losses}`),
          transfer('o', 'permits', 1),
        );
      };
      const writer = new LedgerWriter(store, { ...options, maxAttempts: 3 });
      const outcome = await writer.execute(context('mine'), transfer('a', 'permits', 1, true)).then(
        () => 'committed',
        (error: Error) => error.constructor.name,
      );
      await store.close();
      return outcome;
    };
    const turns = { ...CORE_ONLY, hotStreamTurns: true };
    expect(await race(turns, 5)).toBe('committed'); // at its 6th attempt
    expect(await race(turns, 6)).toBe('ConcurrencyExhausted');
    expect(await race(CORE_ONLY, 2)).toBe('committed');
    expect(await race(CORE_ONLY, 3)).toBe('ConcurrencyExhausted');
  });

  it('change the cost, never an answer: the same commands give the same log and answers with or without them', async () => {
    const script = async (options: WriteOptimisations) => {
      const store = new InMemoryEventStore();
      const writer = new LedgerWriter(store, options);
      // the first commit of three of the commands meets a concurrent writer on the hot stream
      const noisy = new Set(['k-2', 'k-5', 'k-8']);
      store.beforeCommit = async (_writes, commitOptions) => {
        const key = commitOptions?.idempotency?.[0].key ?? '';
        if (!noisy.delete(key)) return;
        await new LedgerWriter(store, CORE_ONLY).execute(
          context(`noise-${key}`),
          transfer('noise', 'hot', 1),
        );
      };
      const answers: unknown[] = [];
      for (let i = 0; i < 12; i++) {
        const key = `k-${i % 9}`; // the last three repeat earlier keys: replays
        const outcome = await writer.execute(context(key), transfer(`s-${i % 4}`, 'hot', i % 9, true));
        answers.push([outcome.result, outcome.replayed, outcome.streams.map((s) => [s.stream, s.revision])]);
      }
      const log = (await store.readAll()).map((e) => [e.stream, e.revision, e.id, e.data, e.metadata]);
      await store.close();
      return { answers, log };
    };
    expect(await script({})).toEqual(await script(CORE_ONLY));
  });
});
