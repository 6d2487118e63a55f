// Longer than our ~400 lines on purpose: the one contract every EventStore adapter is tested against, read as
// one specification (each adapter's int spec runs it).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DuplicateEventId, EventStoreError, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  ActualRevision,
  AppendResult,
  EventStore,
  ExpectedRevision,
  RecordedEvent,
  StreamWrite,
  Subscription,
  SubscriptionOptions,
} from '../event-store.port';
import { formatPosition, parsePosition } from '../position';
import { describeBookkeepingContract } from './bookkeeping.contract';
import { failure } from './outcomes';
import { RICH_DATA, RICH_METADATA, TestEvents } from './test-events';

/** One store for one test, with what the contract needs to get rid of it afterwards. */
export interface EventStoreFixture {
  readonly store: EventStore;
  cleanup(): Promise<void>;
  /**
   * Prefix for every stream and event id of the test. Stores shared between tests (KurrentDB keeps all
   * history) need a unique one per test; fresh stores may leave it out.
   */
  readonly namespace?: string;
  /** Another store instance on the same data, as another process would open it; closed by cleanup(). */
  openSecondStore?(): Promise<EventStore>;
}

export interface EventStoreContractOptions {
  /** Guarantees an adapter cannot give, with the reason documented in the adapter. Default: all true. */
  readonly guarantees?: {
    /** An id stored in one stream is refused in every other place. */
    readonly uniqueIdsAcrossStreams?: boolean;
    /** A retry with expected revision `any` is recognised as a retry. */
    readonly dedupesAnyRetries?: boolean;
  };
  /** A fresh store whose positions start above 2^53, to prove they survive without loss. */
  readonly largePositions?: () => Promise<EventStoreFixture>;
}

const TWO_TO_53 = 2n ** 53n;

async function expectWrongRevision(
  promise: Promise<unknown>,
  stream: string,
  expected: ExpectedRevision,
  actual: ActualRevision,
): Promise<void> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  expect(error).toBeInstanceOf(EventStoreError);
  const wrong = error as WrongExpectedRevision;
  expect(wrong.code).toBe('wrong_expected_revision');
  expect({ stream: wrong.stream, expected: wrong.expected, actual: wrong.actual }).toEqual({
    stream,
    expected,
    actual,
  });
}

async function expectDuplicate(promise: Promise<unknown>, eventId?: string): Promise<void> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(DuplicateEventId);
  expect((error as DuplicateEventId).code).toBe('duplicate_event_id');
  if (eventId !== undefined) expect((error as DuplicateEventId).eventId).toBe(eventId);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function ids(events: readonly { id: string }[]): string[] {
  return events.map((event) => event.id);
}

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  for (let i = 1; i < positions.length; i += 1) {
    if (positions[i] <= positions[i - 1]) {
      throw new Error(`positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}

/** The guarantees of DESIGN.md section 5, proved the same way for every adapter. */
/**
 * A contract test that holds only where the adapter has the capability: elsewhere it is reported as
 * skipped with the reason in its name and printed once, never silently.
 */
function capability(held: boolean, reasonWhenMissing: string) {
  if (held) return it;
  return (name: string, ..._rest: unknown[]) => {
    console.warn(`contract test not run: "${name}": ${reasonWhenMissing}`);
    it.skip(`${name} (not run: ${reasonWhenMissing})`, () => undefined);
  };
}

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreFixture>,
  options: EventStoreContractOptions = {},
): void {
  const uniqueIdsAcrossStreams = options.guarantees?.uniqueIdsAcrossStreams ?? true;
  const dedupesAnyRetries = options.guarantees?.dedupesAnyRetries ?? true;

  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    let data: TestEvents;
    /** Head before the test: a shared store may hold older events, which the assertions must ignore. */
    let baseline: bigint;

    let secondStore: EventStore | undefined;
    /** The fixture's second instance when it has one (appends through it exercise cross-instance paths). */
    const other = async (): Promise<EventStore> => {
      secondStore ??= fixture.openSecondStore ? await fixture.openSecondStore() : store;
      return secondStore;
    };

    beforeEach(async () => {
      secondStore = undefined;
      fixture = await factory();
      store = fixture.store;
      data = new TestEvents(fixture.namespace ?? 't');
      baseline = await store.headPosition();
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    const mine = (events: readonly RecordedEvent[]): RecordedEvent[] =>
      events.filter((event) => event.stream.includes(data.namespace));

    const readMine = async (filter?: SubscriptionOptions['filter']): Promise<RecordedEvent[]> =>
      mine(await store.readAll({ after: baseline, filter }));

    function collect(subscriptionOptions: SubscriptionOptions = {}): {
      received: RecordedEvent[];
      subscription: Subscription;
    } {
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(
        {
          onEvent: async (event) => {
            if (event.stream.includes(data.namespace)) received.push(event);
          },
        },
        { after: baseline, ...subscriptionOptions },
      );
      return { received, subscription };
    }

    describe('bookkeeping', () => {
      describeBookkeepingContract({ store: () => store, data: () => data, readMine: () => readMine() });
    });

    describe('expected revisions', () => {
      it('no_stream succeeds on a new stream and fails on an existing one', async () => {
        const stream = data.stream('no-stream');
        const first = await store.append(stream, [data.event()], 'no_stream');
        expect(first.revision).toBe(0n);
        expect(first.replayed).toBe(false);
        await expectWrongRevision(store.append(stream, [data.event()], 'no_stream'), stream, 'no_stream', 0n);
      });

      it('stream_exists fails on a new stream and succeeds on an existing one', async () => {
        const stream = data.stream('exists');
        await expectWrongRevision(
          store.append(stream, [data.event()], 'stream_exists'),
          stream,
          'stream_exists',
          'no_stream',
        );
        expect(await store.streamRevision(stream)).toBe('no_stream');
        await store.append(stream, [data.event()], 'any');
        const result = await store.append(stream, [data.event()], 'stream_exists');
        expect(result.revision).toBe(1n);
      });

      it('any succeeds on new and existing streams', async () => {
        const stream = data.stream('any');
        expect((await store.append(stream, data.events(2), 'any')).revision).toBe(1n);
        expect((await store.append(stream, [data.event()], 'any')).revision).toBe(2n);
      });

      it('an exact revision succeeds only when it is the current revision', async () => {
        const stream = data.stream('exact');
        await expectWrongRevision(store.append(stream, [data.event()], 0n), stream, 0n, 'no_stream');
        await store.append(stream, data.events(3), 'no_stream');
        await expectWrongRevision(store.append(stream, [data.event()], 1n), stream, 1n, 2n);
        await expectWrongRevision(store.append(stream, [data.event()], 3n), stream, 3n, 2n);
        const result = await store.append(stream, data.events(2), 2n);
        expect(result.revision).toBe(4n);
        expect(await store.streamRevision(stream)).toBe(4n);
      });

      it('appends get contiguous revisions and increasing positions, as read back', async () => {
        const stream = data.stream('contiguous');
        const first = await store.append(stream, data.events(3), 'no_stream');
        const second = await store.append(stream, data.events(2), 2n);
        expect(first.eventIds).toHaveLength(3);
        expect(second.position).toBeGreaterThan(first.position);
        const events = await store.readStream(stream);
        expect(events.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expectStrictlyIncreasing(events.map((event) => event.position));
        expect(events[2].position).toBe(first.position);
        expect(events[4].position).toBe(second.position);
        expect(ids(events)).toEqual([...first.eventIds, ...second.eventIds]);
      });
    });

    describe('concurrent appends', () => {
      async function race(stream: string, appenders: number, expected: ExpectedRevision): Promise<void> {
        const second = await other();
        const outcomes = await Promise.allSettled(
          Array.from({ length: appenders }, (_, i) =>
            (i % 2 === 0 ? store : second).append(stream, data.events(1 + (i % 3)), expected),
          ),
        );
        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.filter(
          (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
        );
        expect(winners).toHaveLength(1);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedRevision);
          expect((loser.reason as WrongExpectedRevision).stream).toBe(stream);
          expect((loser.reason as WrongExpectedRevision).expected).toBe(expected);
        }
      }

      it('of two appenders at the same expected revision exactly one wins, 50 rounds', async () => {
        const stream = data.stream('race-2');
        for (let round = 0; round < 50; round += 1) {
          const current = await store.streamRevision(stream);
          await race(stream, 2, current === 'no_stream' ? 'no_stream' : current);
        }
        const events = await store.readStream(stream);
        expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => BigInt(i)));
      });

      it('of ten appenders at the same expected revision exactly one wins, 10 rounds', async () => {
        const stream = data.stream('race-10');
        for (let round = 0; round < 10; round += 1) {
          const current = await store.streamRevision(stream);
          await race(stream, 10, current === 'no_stream' ? 'no_stream' : current);
        }
      });
    });

    describe('atomic appends', () => {
      it('a multi-event append failing mid-way on a reused id writes nothing', async () => {
        const taken = await store.append(data.stream('taken'), data.events(2), 'no_stream');
        const stream = data.stream('all-or-nothing');
        const before = await readMine();
        const batch = [data.event(), data.event(), data.event({ id: taken.eventIds[1] })];
        if (uniqueIdsAcrossStreams) {
          await expectDuplicate(store.append(stream, batch, 'no_stream'), taken.eventIds[1]);
          expect(await store.streamRevision(stream)).toBe('no_stream');
          expect(ids(await readMine())).toEqual(ids(before));
        }
        const retry = await store.append(stream, data.events(2), 'no_stream');
        expect(retry.revision).toBe(1n);
      });

      it('an id repeated inside one append is refused and nothing is written', async () => {
        const stream = data.stream('repeated-id');
        const event = data.event();
        await expectDuplicate(
          store.append(stream, [event, data.event(), { ...event }], 'no_stream'),
          event.id,
        );
        expect(await store.streamRevision(stream)).toBe('no_stream');
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
      });

      it('appendToStreams writes all streams or none where the capability says so', async () => {
        const left = data.stream('multi-left');
        const right = data.stream('multi-right');
        await store.append(right, [data.event()], 'no_stream');
        const writes: StreamWrite[] = [data.write(left, 'no_stream', 2), data.write(right, 'no_stream', 1)];
        await expectWrongRevision(store.appendToStreams(writes), right, 'no_stream', 0n);
        if (store.capabilities.atomicMultiStreamAppend) {
          expect(await store.streamRevision(left)).toBe('no_stream');
          expect(await store.streamRevision(right)).toBe(0n);
        } else {
          // Documented: writes go one after another, the failing one and those after it are not written.
          expect(await store.streamRevision(left)).toBe(1n);
        }
      });

      it('appendToStreams applies its writes in order, a stream may appear twice where the store allows it', async () => {
        const a = data.stream('order-a');
        const b = data.stream('order-b');
        if (store.capabilities.streamsOncePerAppend) {
          // Documented (KurrentDB): refused before anything is written, whatever the revisions.
          const error = await failure(
            store.appendToStreams([
              data.write(a, 'no_stream', 2),
              data.write(b, 'no_stream', 1),
              data.write(a, 1n, 1),
            ]),
          );
          expect(error).toBeInstanceOf(EventStoreError);
          expect((error as EventStoreError).code).toBe('invalid_argument');
          expect(await store.streamRevision(a)).toBe('no_stream');
          expect(await store.streamRevision(b)).toBe('no_stream');
          return;
        }
        const results = await store.appendToStreams([
          data.write(a, 'no_stream', 2),
          data.write(b, 'no_stream', 1),
          data.write(a, 1n, 1),
        ]);
        expect(results.map((result) => [result.stream, result.revision])).toEqual([
          [a, 1n],
          [b, 0n],
          [a, 2n],
        ]);
        expectStrictlyIncreasing(results.map((result) => result.position));
        const all = await readMine();
        expect(all.map((event) => [event.stream, event.revision])).toEqual([
          [a, 0n],
          [a, 1n],
          [b, 0n],
          [a, 2n],
        ]);
        expect(all.map((event) => event.position)).toContain(results[1].position);
      });
    });

    describe('idempotent retries', () => {
      async function expectReplay(first: AppendResult, retry: Promise<AppendResult>): Promise<void> {
        const replay = await retry;
        expect(replay).toEqual({ ...first, replayed: true });
      }

      it('an identical retry at an exact revision replays the first result and writes nothing', async () => {
        const stream = data.stream('retry-exact');
        await store.append(stream, [data.event()], 'no_stream');
        const events = data.events(3);
        const first = await store.append(stream, events, 0n);
        const before = await readMine();
        await expectReplay(
          first,
          store.append(
            stream,
            events.map((event) => ({ ...event })),
            0n,
          ),
        );
        expect(ids(await readMine())).toEqual(ids(before));
        expect(await store.streamRevision(stream)).toBe(3n);
      });

      it('an identical retry of the first append (no_stream) replays', async () => {
        const stream = data.stream('retry-new');
        const events = data.events(2);
        const first = await store.append(stream, events, 'no_stream');
        await expectReplay(first, store.append(stream, events, 'no_stream'));
        expect((await store.readStream(stream)).length).toBe(2);
      });

      capability(dedupesAnyRetries, 'the server deduplicates any-revision retries only best-effort')(
        'an identical retry with any replays',
        async () => {
          const stream = data.stream('retry-any');
          const events = data.events(2);
          const first = await store.append(stream, events, 'any');
          await store.append(data.stream('retry-any-other'), [data.event()], 'any');
          await expectReplay(first, store.append(stream, events, 'any'));
          expect((await store.readStream(stream)).length).toBe(2);
        },
      );

      it('a retry with the same ids but other content is refused with DuplicateEventId', async () => {
        const stream = data.stream('retry-changed');
        const events = data.events(2);
        await store.append(stream, events, 'no_stream');
        const changed = [events[0], { ...events[1], data: { ...events[1].data, changed: true } }];
        await expectDuplicate(store.append(stream, changed, 'no_stream'), events[1].id);
        const otherType = [{ ...events[0], type: 'SomethingElse' }, events[1]];
        await expectDuplicate(store.append(stream, otherType, 'no_stream'), events[0].id);
        expect(await store.streamRevision(stream)).toBe(1n);
      });

      capability(uniqueIdsAcrossStreams, 'the server checks event ids per stream position only')(
        'an id reused in another stream or place is refused',
        async () => {
          const events = data.events(2);
          await store.append(data.stream('id-home'), events, 'no_stream');
          const elsewhere = data.stream('id-elsewhere');
          await expectDuplicate(store.append(elsewhere, [events[0]], 'no_stream'), events[0].id);
          await expectDuplicate(store.append(elsewhere, [data.event(), events[1]], 'any'), events[1].id);
          // Same stream, same content, but one event of the batch is new: not a retry of anything.
          await expectDuplicate(store.append(data.stream('id-home'), [events[1], data.event()], 1n));
          expect(await store.streamRevision(elsewhere)).toBe('no_stream');
        },
      );

      capability(uniqueIdsAcrossStreams, 'the server checks event ids per stream position only')(
        'identical events at an expected revision that puts them elsewhere are refused',
        async () => {
          const stream = data.stream('retry-stale');
          const events = data.events(1);
          await store.append(stream, events, 'no_stream');
          await store.append(stream, [data.event()], 0n);
          await expectDuplicate(store.append(stream, events, 1n), events[0].id);
          await expectDuplicate(store.append(stream, events, 'stream_exists'), events[0].id);
          expect(await store.streamRevision(stream)).toBe(1n);
        },
      );

      it('an identical retry of appendToStreams replays every write', async () => {
        const writes = [
          data.write(data.stream('retry-multi-a'), 'no_stream', 2),
          data.write(data.stream('retry-multi-b'), 'no_stream', 1),
        ];
        const first = await store.appendToStreams(writes);
        const replay = await store.appendToStreams(writes);
        expect(replay).toEqual(first.map((result) => ({ ...result, replayed: true })));
        expect((await readMine()).length).toBe(3);
      });
    });

    describe('reading', () => {
      it('readStream reads forwards and backwards from a revision, with a limit', async () => {
        const stream = data.stream('read');
        await store.append(stream, data.events(5), 'no_stream');
        const revisions = async (options: Parameters<EventStore['readStream']>[1]): Promise<bigint[]> =>
          (await store.readStream(stream, options)).map((event) => event.revision);
        expect(await revisions(undefined)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(await revisions({ fromRevision: 2n })).toEqual([2n, 3n, 4n]);
        expect(await revisions({ fromRevision: 1n, limit: 2 })).toEqual([1n, 2n]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3n, limit: 2 })).toEqual([3n, 2n]);
        expect(await revisions({ direction: 'backwards', limit: 1 })).toEqual([4n]);
        expect(await revisions({ fromRevision: 9n })).toEqual([]);
      });

      it('readStream throws StreamNotFound for a stream without events', async () => {
        const stream = data.stream('missing');
        const error = await failure(store.readStream(stream));
        expect(error).toBeInstanceOf(StreamNotFound);
        expect((error as StreamNotFound).stream).toBe(stream);
        expect((error as StreamNotFound).code).toBe('stream_not_found');
        expect(await store.streamRevision(stream)).toBe('no_stream');
      });

      it('readAll reads after a position, with a limit, page by page', async () => {
        const a = data.stream('all-a');
        const b = data.stream('all-b');
        await store.append(a, data.events(3), 'no_stream');
        await store.append(b, data.events(2), 'no_stream');
        await store.append(a, data.events(2), 2n);
        const all = await readMine();
        expect(all).toHaveLength(7);
        expectStrictlyIncreasing(all.map((event) => event.position));
        expect(mine(await store.readAll({ after: all[3].position }))).toEqual(all.slice(4));
        expect(mine(await store.readAll({ after: all[1].position, limit: 2 }))).toEqual(all.slice(2, 4));
        const paged: RecordedEvent[] = [];
        let after = baseline;
        for (;;) {
          const page = await store.readAll({ after, limit: 3 });
          if (page.length === 0) break;
          paged.push(...mine(page));
          after = page[page.length - 1].position;
        }
        expect(paged).toEqual(all);
      });

      it('readAll filters by event type and by stream prefix', async () => {
        const bins = data.stream('bin');
        const trucks = data.stream('truck');
        await store.append(
          `${bins}-1`,
          [data.event({ type: 'BinEmptied' }), data.event({ type: 'BinWeighed' })],
          'no_stream',
        );
        await store.append(
          `${trucks}-1`,
          [data.event({ type: 'TruckLoaded' }), data.event({ type: 'BinEmptied' })],
          'no_stream',
        );
        await store.append(`${bins}-2`, [data.event({ type: 'BinWeighed' })], 'no_stream');
        const types = (events: RecordedEvent[]): string[] =>
          events.map((event) => `${event.stream.slice(data.namespace.length + 1)}:${event.type}`);
        expect(types(await readMine({ eventTypes: ['BinEmptied'] }))).toEqual([
          'bin-1:BinEmptied',
          'truck-1:BinEmptied',
        ]);
        expect(types(await readMine({ streamPrefixes: [bins] }))).toEqual([
          'bin-1:BinEmptied',
          'bin-1:BinWeighed',
          'bin-2:BinWeighed',
        ]);
        expect(types(await readMine({ streamPrefixes: [`${bins}-2`, trucks] }))).toEqual([
          'truck-1:TruckLoaded',
          'truck-1:BinEmptied',
          'bin-2:BinWeighed',
        ]);
        expect(
          types(await readMine({ eventTypes: ['BinWeighed', 'TruckLoaded'], streamPrefixes: [bins] })),
        ).toEqual(['bin-1:BinWeighed', 'bin-2:BinWeighed']);
        expect(await readMine({ eventTypes: ['NoSuchType'] })).toEqual([]);
        const limited = await store.readAll({
          after: baseline,
          filter: { eventTypes: ['BinWeighed'] },
          limit: 1,
        });
        expect(types(limited)).toEqual(['bin-1:BinWeighed']);
      });

      it('every stream is read like any other, whatever its name ($ included)', async () => {
        const counter = data.stream('serial', { system: true });
        const plain = await store.append(data.stream('plain'), [data.event()], 'no_stream');
        const dollar = await store.append(counter, [data.event({ type: 'SerialAllocated' })], 'no_stream');
        expect(dollar.position).toBeGreaterThan(plain.position);
        expect(ids(mine(await store.readAll({ after: baseline })))).toEqual([
          ...plain.eventIds,
          ...dollar.eventIds,
        ]);
        expect(await store.headPosition()).toBe(dollar.position);
        expect(ids(await readMine({ streamPrefixes: [`$${data.namespace}`] }))).toEqual(dollar.eventIds);
        expect(ids(await readMine({ streamPrefixes: [''] }))).toEqual([
          ...plain.eventIds,
          ...dollar.eventIds,
        ]);
        expect(ids(await readMine({ eventTypes: ['SerialAllocated'] }))).toEqual(dollar.eventIds);
        expect((await store.readStream(counter))[0].type).toBe('SerialAllocated');

        const { received, subscription } = collect();
        const after = await store.append(counter, [data.event()], 0n);
        await waitFor(() => received.length === 3, 'the subscription');
        await subscription.stop();
        expect(ids(received)).toEqual([...plain.eventIds, ...dollar.eventIds, ...after.eventIds]);
      });

      it('headPosition is the position of the last visible event', async () => {
        if (fixture.namespace === undefined) expect(baseline).toBe(0n);
        const first = await store.append(data.stream('head'), data.events(2), 'no_stream');
        expect(await store.headPosition()).toBe(first.position);
        const second = await store.appendToStreams([
          data.write(data.stream('head-2'), 'no_stream', 1),
          data.write(data.stream('head'), 1n, 2),
        ]);
        expect(await store.headPosition()).toBe(second[1].position);
      });

      it('data, metadata and every recorded field round-trip unchanged', async () => {
        const stream = data.stream('round-trip');
        const events = [
          data.event({ type: 'WasteGenerated', schemaVersion: 3, data: RICH_DATA, metadata: RICH_METADATA }),
          // A canonical UUID id, which KurrentDB stores natively (other ids are mapped).
          data.event({ id: '4f1f3c2a-9b7e-4d1c-8a2b-0c5d6e7f8091', data: {}, metadata: {} }),
        ];
        const started = Date.now();
        const result = await store.append(stream, events, 'no_stream');
        const [stored] = await store.readStream(stream, { limit: 1 });
        expect(stored).toEqual({
          ...events[0],
          stream,
          revision: 0n,
          position: stored.position,
          recordedAt: stored.recordedAt,
        });
        expect(stored.data).toStrictEqual(RICH_DATA);
        expect(stored.metadata).toStrictEqual(RICH_METADATA);
        expect(stored.recordedAt).toBeInstanceOf(Date);
        // The store's clock, so only roughly ours.
        expect(Math.abs(stored.recordedAt.getTime() - started)).toBeLessThan(60_000);
        const fromAll = mine(await store.readAll({ after: baseline }));
        expect(fromAll).toEqual(await store.readStream(stream));
        expect(fromAll[1].id).toBe(events[1].id);
        expect(fromAll[1].position).toBe(result.position);
      });

      it('positions survive formatting, parsing and use as a checkpoint', async () => {
        const result = await store.append(data.stream('positions'), data.events(2), 'no_stream');
        await expectPositionsExact(store, result, baseline, data);
      });

      capability(
        options.largePositions !== undefined,
        'this adapter cannot place its first position above 2^53 (its own position arithmetic is tested instead)',
      )('positions above 2^53 survive append, read and subscribe exactly', async () => {
        const large = await (options.largePositions as () => Promise<EventStoreFixture>)();
        try {
          const events = new TestEvents(large.namespace ?? 'large');
          const before = await large.store.headPosition();
          const result = await large.store.append(events.stream('large'), events.events(3), 'no_stream');
          expect(result.position).toBeGreaterThan(TWO_TO_53);
          await expectPositionsExact(large.store, result, before, events);
        } finally {
          await large.cleanup();
        }
      });
    });

    describe('global order', () => {
      it('readAll and a live subscription see every event exactly once, consistent with stream order, under concurrent appenders', async () => {
        const streams = ['a', 'b', 'c', 'd'].map((n) => data.stream(`shared-${n}`));
        const second = await other();
        const live = collect();
        const appended = new Set<string>();
        const atomic = store.capabilities.atomicMultiStreamAppend;

        async function worker(w: number): Promise<void> {
          const target = w % 2 === 0 ? store : second;
          for (let i = 0; i < 12; i += 1) {
            const s1 = streams[(w + i) % streams.length];
            const s2 = streams[(w * 3 + i + 1) % streams.length];
            for (let attempt = 0; attempt < 100; attempt += 1) {
              try {
                let written: readonly string[];
                if (atomic && i % 3 === 0 && s1 !== s2) {
                  const [r1, r2] = await Promise.all([target.streamRevision(s1), target.streamRevision(s2)]);
                  const results = await target.appendToStreams([
                    { stream: s1, expected: r1, events: data.events(2) },
                    { stream: s2, expected: r2, events: data.events(1) },
                  ]);
                  written = results.flatMap((result) => result.eventIds);
                } else {
                  const current = await target.streamRevision(s1);
                  written = (await target.append(s1, data.events(1 + (i % 2)), current)).eventIds;
                }
                written.forEach((id) => appended.add(id));
                break;
              } catch (error) {
                if (!(error instanceof WrongExpectedRevision)) throw error;
              }
            }
          }
        }

        await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
        const all = await readMine();
        await waitFor(() => live.received.length >= all.length, 'the live subscription to catch up');
        await sleep(20);
        await live.subscription.stop();

        expect(new Set(ids(all)).size).toBe(all.length);
        expect(new Set(ids(all))).toEqual(appended);
        expectStrictlyIncreasing(all.map((event) => event.position));
        const nextRevision = new Map<string, bigint>();
        for (const event of all) {
          expect(event.revision).toBe(nextRevision.get(event.stream) ?? 0n);
          nextRevision.set(event.stream, event.revision + 1n);
        }
        expect(live.received.map((event) => [event.id, event.position])).toEqual(
          all.map((event) => [event.id, event.position]),
        );
      });
    });

    describe('subscriptions', () => {
      it('delivers history then live events, strictly after the checkpoint, without gaps or repeats', async () => {
        const stream = data.stream('sub');
        const history = await store.append(stream, data.events(6), 'no_stream');
        const all = await readMine();
        const checkpoint = all[2].position;
        const { received, subscription } = collect({ after: checkpoint });
        await waitFor(() => received.length === 3, 'history');
        const live1 = await store.append(stream, data.events(2), 5n);
        const live2 = await store.append(data.stream('sub-other'), data.events(1), 'no_stream');
        await waitFor(() => received.length === 6, 'live events');
        await sleep(30);
        await subscription.stop();
        expect(ids(received)).toEqual([...history.eventIds.slice(3), ...live1.eventIds, ...live2.eventIds]);
        expectStrictlyIncreasing(received.map((event) => event.position));
        await expect(subscription.finished).resolves.toBeUndefined();
      });

      it('resumes exactly after a checkpoint taken from a previous subscription', async () => {
        const stream = data.stream('resume');
        await store.append(stream, data.events(4), 'no_stream');
        const first = collect();
        await waitFor(() => first.received.length === 4, 'first run');
        await first.subscription.stop();
        const checkpoint = first.received[first.received.length - 1].position;
        const more = await store.append(stream, data.events(3), 3n);
        const second = collect({ after: checkpoint });
        await waitFor(() => second.received.length === 3, 'second run');
        await sleep(30);
        await second.subscription.stop();
        expect(ids(second.received)).toEqual(more.eventIds);
      });

      it('onBatch gets batches of at most maxBatchSize, in order, each event once', async () => {
        const stream = data.stream('batches');
        await store.append(stream, data.events(7), 'no_stream');
        const batches: RecordedEvent[][] = [];
        const subscription = store.subscribeToAll(
          {
            onBatch: async (events) => {
              batches.push(mine(events));
            },
          },
          { after: baseline, maxBatchSize: 3 },
        );
        await waitFor(() => batches.flat().length === 7, 'history batches');
        const live = await store.append(stream, data.events(4), 6n);
        await waitFor(() => batches.flat().length === 11, 'live batches');
        await subscription.stop();
        expect(batches.every((batch) => batch.length <= 3)).toBe(true);
        const delivered = batches.flat();
        expect(ids(delivered).slice(7)).toEqual(live.eventIds);
        expect(delivered.map((event) => event.revision)).toEqual(delivered.map((_, i) => BigInt(i)));
      });

      it('never runs two handler calls at once', async () => {
        const stream = data.stream('serial');
        await store.append(stream, data.events(10), 'no_stream');
        let running = 0;
        let maxRunning = 0;
        const seen: string[] = [];
        const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(2);
          seen.push(...ids(mine(events)));
          running -= 1;
        };
        const single = store.subscribeToAll({ onEvent: (event) => handle([event]) }, { after: baseline });
        const batched = store.subscribeToAll({ onBatch: handle }, { after: baseline, maxBatchSize: 4 });
        let revision = 9n;
        for (let i = 0; i < 10; i += 1) {
          await store.append(stream, [data.event()], revision);
          revision += 1n;
          await sleep(1);
        }
        await waitFor(() => seen.length === 40, 'both subscriptions');
        await single.stop();
        await batched.stop();
        // Two subscriptions may overlap each other, never themselves: each adds at most one at a time.
        expect(maxRunning).toBeLessThanOrEqual(2);
        let ownRunning = 0;
        let ownMax = 0;
        const own = store.subscribeToAll(
          {
            onEvent: async () => {
              ownRunning += 1;
              ownMax = Math.max(ownMax, ownRunning);
              await sleep(1);
              ownRunning -= 1;
            },
          },
          { after: baseline },
        );
        await store.append(stream, data.events(5), revision);
        await waitFor(() => ownMax > 0, 'handler calls');
        await sleep(50);
        await own.stop();
        expect(ownMax).toBe(1);
      });

      it('stop() resolves only after the handler call in flight has settled, and no call starts after it', async () => {
        const stream = data.stream('stop');
        await store.append(stream, data.events(3), 'no_stream');
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const calls: string[] = [];
        let settled = 0;
        const subscription = store.subscribeToAll(
          {
            onEvent: async (event) => {
              if (!event.stream.includes(data.namespace)) return;
              calls.push(event.id);
              await gate;
              settled += 1;
            },
          },
          { after: baseline },
        );
        await waitFor(() => calls.length === 1, 'the first call');
        let stopped = false;
        const stopping = subscription.stop().then(() => {
          stopped = true;
        });
        await sleep(40);
        expect(stopped).toBe(false);
        release();
        await stopping;
        expect(settled).toBe(1);
        await store.append(stream, data.events(2), 2n);
        await sleep(60);
        expect(calls).toHaveLength(1);
        await expect(subscription.finished).resolves.toBeUndefined();
      });

      it('a throwing handler stops the subscription and reports the error', async () => {
        const stream = data.stream('boom');
        await store.append(stream, data.events(5), 'no_stream');
        const boom = new Error('handler failed');
        const calls: string[] = [];
        const errors: unknown[] = [];
        const subscription = store.subscribeToAll(
          {
            onEvent: async (event) => {
              if (!event.stream.includes(data.namespace)) return;
              calls.push(event.id);
              if (calls.length === 3) throw boom;
            },
          },
          { after: baseline, onError: (error) => errors.push(error) },
        );
        await expect(subscription.finished).rejects.toBe(boom);
        expect(errors).toEqual([boom]);
        await store.append(stream, data.events(1), 4n);
        await sleep(60);
        expect(calls).toHaveLength(3);
        await subscription.stop();
      });

      it('a filtered subscription delivers matching events only and resumes after its checkpoint', async () => {
        const stream = data.stream('filtered');
        await store.append(
          stream,
          [data.event({ type: 'Kept' }), data.event({ type: 'Dropped' }), data.event({ type: 'Kept' })],
          'no_stream',
        );
        const first = collect({ filter: { eventTypes: ['Kept'] } });
        await waitFor(() => first.received.length === 2, 'filtered history');
        await first.subscription.stop();
        await store.append(stream, data.events(30, { type: 'Dropped' }), 2n);
        const kept = await store.append(stream, [data.event({ type: 'Kept' })], 32n);
        const second = collect({ after: first.received[1].position, filter: { eventTypes: ['Kept'] } });
        await waitFor(() => second.received.length === 1, 'filtered live');
        await store.append(data.stream('filtered-other'), [data.event({ type: 'Kept' })], 'no_stream');
        await waitFor(() => second.received.length === 2, 'filtered live, other stream');
        await second.subscription.stop();
        expect(second.received[0].id).toBe(kept.eventIds[0]);
        expect(second.received.every((event) => event.type === 'Kept')).toBe(true);
      });

      it('a second store on the same data sees appends live', async () => {
        if (!fixture.openSecondStore) return;
        const otherStore = await other();
        const received: RecordedEvent[] = [];
        const subscription = otherStore.subscribeToAll(
          {
            onEvent: async (event) => {
              if (event.stream.includes(data.namespace)) received.push(event);
            },
          },
          { after: baseline },
        );
        const stream = data.stream('cross');
        const first = await store.append(stream, data.events(2), 'no_stream');
        await waitFor(() => received.length === 2, 'the other instance');
        const second = await store.append(stream, data.events(1), 1n);
        await waitFor(() => received.length === 3, 'the other instance, live');
        await subscription.stop();
        expect(ids(received)).toEqual([...first.eventIds, ...second.eventIds]);
      });

      it('close() stops the running subscriptions', async () => {
        await store.append(data.stream('closing'), data.events(2), 'no_stream');
        const { received, subscription } = collect();
        await waitFor(() => received.length === 2, 'delivery');
        await store.close();
        await expect(subscription.finished).resolves.toBeUndefined();
      });
    });
  });
}

/** Append result, readAll, readStream and a subscription all agree on positions, digit for digit. */
async function expectPositionsExact(
  store: EventStore,
  result: AppendResult,
  baseline: bigint,
  data: TestEvents,
): Promise<void> {
  const all = (await store.readAll({ after: baseline })).filter((event) =>
    event.stream.includes(data.namespace),
  );
  const last = all[all.length - 1];
  expect(last.position).toBe(result.position);
  expect(parsePosition(formatPosition(result.position))).toBe(result.position);
  expect(formatPosition(result.position)).toBe(result.position.toString());
  const [exactlyAfter] = await store.readAll({ after: all[all.length - 2].position, limit: 1 });
  expect(exactlyAfter.id).toBe(last.id);
  expect(
    (await store.readAll({ after: result.position })).filter((event) =>
      event.stream.includes(data.namespace),
    ),
  ).toEqual([]);
  const [fromStream] = await store.readStream(last.stream, { direction: 'backwards', limit: 1 });
  expect(fromStream.position).toBe(result.position);
  const received: RecordedEvent[] = [];
  const subscription = store.subscribeToAll(
    {
      onEvent: async (event) => {
        received.push(event);
      },
    },
    { after: parsePosition(formatPosition(all[all.length - 2].position)) },
  );
  await waitFor(() => received.length >= 1, 'the subscription');
  await subscription.stop();
  expect(received[0].position).toBe(result.position);
  expect(received[0].id).toBe(last.id);
}
