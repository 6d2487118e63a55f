import {
  DuplicateEventId,
  IdempotencyRecordExists,
  InvalidArgument,
  StoreServerRefused,
  StreamDeleted,
  WrongExpectedRevision,
} from '../errors';
import type { RecordedEvent } from '../event-store.port';
import { storeFailureOf } from '../availability/store-failure';
import { createEventStore } from '../create-event-store';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { FakeKurrentDbClient, type FakeKurrentDbOptions } from '../testing/fake-kurrentdb-client';
import { TestEvents } from '../testing/test-events';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The adapter's own logic against the stand-in written from the server's behaviours (the table in
 * testing/fake-kurrentdb-client.ts); the real server runs the same contract in
 * kurrentdb-event-store.int.spec.ts (`npm run test:kurrentdb`, KURRENTDB_URL).
 */
describeEventStoreContract(
  'kurrentdb adapter on the stand-in of KurrentDB 25.1',
  async () => {
    const server = new FakeKurrentDbClient();
    const store = new KurrentDbEventStore({ client: server.asClient(), pageSize: 7 });
    const others: KurrentDbEventStore[] = [];
    return {
      store,
      openSecondStore: async () => {
        const other = new KurrentDbEventStore({ client: server.asClient(), pageSize: 7 });
        others.push(other);
        return other;
      },
      cleanup: async () => {
        await Promise.all([store, ...others].map((instance) => instance.close()));
        await server.dispose();
      },
    };
  },
  { guarantees: { uniqueIdsAcrossStreams: false, dedupesAnyRetries: false } },
);

describe('KurrentDB adapter: what the stand-in of the server shows', () => {
  let server: FakeKurrentDbClient;
  let store: KurrentDbEventStore;
  const data = new TestEvents('k');

  function open(options: FakeKurrentDbOptions = {}): KurrentDbEventStore {
    server = new FakeKurrentDbClient(options);
    store = new KurrentDbEventStore({ client: server.asClient(), pageSize: 5 });
    return store;
  }

  afterEach(async () => {
    await store.close();
    await server.dispose();
  });

  it('refuses a server without multi-stream append at start, in one line, and writes nothing', async () => {
    const fake = new FakeKurrentDbClient({ version: '24.10.6' });
    server = fake;
    store = new KurrentDbEventStore({ client: fake.asClient() });
    const refusal = store.ready();
    await expect(refusal).rejects.toBeInstanceOf(StoreServerRefused);
    await expect(refusal).rejects.toThrow(
      /^KurrentDB 24\.10\.6 has no multi-stream append \(KurrentDB 25\.1 or later is needed\)/,
    );
    const line = await refusal.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(line).not.toContain('\n');
    await expect(store.append(data.stream('s'), [data.event()], 'no_stream')).rejects.toBeInstanceOf(
      StoreServerRefused,
    );
    expect(fake.sessions).toBe(0);
  });

  it('createEventStore refuses a user that may not read $all (a secure cluster, not an admin)', async () => {
    open({ allReadDenied: true });
    await expect(store.ready()).rejects.toThrow(/KurrentDB denied reading \$all: .* \$admins/);
    await expect(createEventStore({ kind: 'kurrentdb', client: server.asClient() })).rejects.toBeInstanceOf(
      StoreServerRefused,
    );
  });

  it('a commit failing on one stream writes none of its streams and none of its records', async () => {
    open();
    const taken = data.stream('atomic-taken');
    await store.append(taken, [data.event()], 'no_stream');
    const fresh = data.stream('atomic-fresh');
    const record = { scope: 'k:actor', key: 'k-atomic', record: { answer: 1 } };
    const error = await store
      .appendToStreams([data.write(fresh, 'no_stream', 2), data.write(taken, 'no_stream', 1)], {
        idempotency: [record],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ stream: taken, expected: 'no_stream', actual: 0n });
    expect(await store.streamRevision(fresh)).toBe('no_stream');
    expect(await store.bookkeeping.readIdempotencyRecord('k:actor', 'k-atomic')).toBeUndefined();
    // and the same commit, corrected, goes through whole
    const results = await store.appendToStreams(
      [data.write(fresh, 'no_stream', 2), data.write(taken, 0n, 1)],
      { idempotency: [record] },
    );
    expect(results.map((result) => result.revision)).toEqual([1n, 1n]);
    expect(await store.bookkeeping.readIdempotencyRecord('k:actor', 'k-atomic')).toMatchObject({
      key: 'k-atomic',
    });
  });

  it('a retry with changed content is refused although the server answers it with a position', async () => {
    open();
    const stream = data.stream('changed');
    const events = data.events(2);
    const first = await store.append(stream, events, 'no_stream');
    // the server's answer to the same ids is a success with a position (row 8): only our check refuses
    const changed = [events[0], { ...events[1], data: { ...events[1].data, tonnes: 9 } }];
    await expect(store.append(stream, changed, 'no_stream')).rejects.toBeInstanceOf(DuplicateEventId);
    const changedMetadata = [
      events[0],
      { ...events[1], metadata: { ...events[1].metadata, hash: 'forged' } },
    ];
    await expect(store.append(stream, changedMetadata, 'no_stream')).rejects.toBeInstanceOf(DuplicateEventId);
    expect(await store.append(stream, events, 'no_stream')).toEqual({ ...first, replayed: true });
    expect(await store.streamRevision(stream)).toBe(1n);
  });

  it('an append whose answer is lost is resolved from what is stored: ours stands, nothing twice', async () => {
    open();
    const record = { scope: 'k:actor', key: 'k-lost', record: { answer: 1 } };
    const writes = [
      data.write(data.stream('lost-a'), 'no_stream', 2),
      data.write(data.stream('lost-b'), 'no_stream', 1),
    ];
    // committed, then the connection dropped: the client cannot tell; our wf.commit on the events can
    server.loseConnectionOnNextAppend('after-commit');
    const results = await store.appendToStreams(writes, { idempotency: [record] });
    expect(results.map((result) => [result.revision, result.replayed])).toEqual([
      [1n, false],
      [0n, false],
    ]);
    expect(await store.bookkeeping.readIdempotencyRecord('k:actor', 'k-lost')).toMatchObject({
      key: 'k-lost',
    });
    // dropped before the commit: the error stands (a store failure, outcome unknown), nothing was written
    server.loseConnectionOnNextAppend('before-commit');
    const other = data.write(data.stream('lost-c'), 'no_stream', 1);
    const error = await store.appendToStreams([other]).catch((caught: unknown) => caught);
    expect(storeFailureOf(error)?.outcome).toBe('unknown');
    expect(await store.streamRevision(data.stream('lost-c'))).toBe('no_stream');
    expect((await store.appendToStreams([other]))[0].replayed).toBe(false);
  });

  it('a recorded key refuses before anything is sent to the server', async () => {
    open();
    const record = { scope: 'k:actor', key: 'k-once', record: { answer: 1 } };
    const write = data.write(data.stream('once'), 'no_stream', 1);
    await store.appendToStreams([write], { idempotency: [record] });
    const sessions = server.sessions;
    await expect(store.appendToStreams([write], { idempotency: [record] })).rejects.toBeInstanceOf(
      IdempotencyRecordExists,
    );
    expect(server.sessions).toBe(sessions);
  });

  it('a stream twice in one commit is refused before sending (the server takes each once)', async () => {
    open();
    const stream = data.stream('twice');
    await expect(
      store.appendToStreams([
        data.write(stream, 'no_stream', 1),
        data.write(stream.toUpperCase(), 'no_stream', 1),
      ]),
    ).rejects.toBeInstanceOf(InvalidArgument);
    expect(server.sessions).toBe(0);
  });

  it('a commit over the server’s size limit per append is refused whole', async () => {
    open({ maxAppendSize: 4_000 });
    const big = { blob: 'x'.repeat(1_500) };
    const writes = [
      { stream: data.stream('big-a'), expected: 'no_stream' as const, events: [data.event({ data: big })] },
      {
        stream: data.stream('big-b'),
        expected: 'no_stream' as const,
        events: [data.event({ data: big }), data.event({ data: big })],
      },
    ];
    await expect(store.appendToStreams(writes)).rejects.toThrow(/at most 4000 bytes per append/);
    expect(await store.streamRevision(data.stream('big-a'))).toBe('no_stream');
  });

  it('reads $all after a position that is not a record boundary', async () => {
    open();
    const result = await store.append(data.stream('boundary'), data.events(3), 'no_stream');
    const all = (await store.readAll()).filter((event) => event.stream === data.stream('boundary'));
    // one below the last record's position is inside the record before it (row 13)
    const [next] = await store.readAll({ after: result.position - 1n, limit: 1 });
    expect(next.id).toBe(all[2].id);
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll(
      { onEvent: async (event) => void received.push(event) },
      { after: all[1].position + 1n },
    );
    await waitFor(() => received.length > 0);
    await subscription.stop();
    expect(received[0].id).toBe(all[2].id);
  });

  it('a deleted stream is reported as deleted, for reads and appends', async () => {
    open();
    const stream = data.stream('deleted');
    await store.append(stream, [data.event()], 'no_stream');
    server.tombstone(stream);
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamDeleted);
    await expect(store.append(stream, [data.event()], 'any')).rejects.toBeInstanceOf(StreamDeleted);
  });

  it('a subscription the server ends is resumed exactly after its last delivered event', async () => {
    open();
    const stream = data.stream('ended');
    await store.append(stream, data.events(3), 'no_stream');
    const received: string[] = [];
    const subscription = store.subscribeToAll({
      onEvent: async (event) => {
        if (event.stream === stream) received.push(event.id);
      },
    });
    await waitFor(() => received.length === 3);
    expect(server.endSubscriptions('connection-lost')).toBe(1);
    const more = await store.append(stream, data.events(2), 2n);
    await waitFor(() => received.length === 5);
    server.endSubscriptions('shutdown');
    const last = await store.append(stream, data.events(1), 4n);
    await waitFor(() => received.length === 6);
    await subscription.stop();
    expect(received.slice(3)).toEqual([...more.eventIds, ...last.eventIds]);
    expect(new Set(received).size).toBe(6);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
