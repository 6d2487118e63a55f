import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEventStore,
  sealEvents,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@wasteflow/event-store';
import type { StreamModel } from '../stream-model';
import { StoreReader, StoreUnitOfWork } from '../unit-of-work';
import { CachedReader, StreamStateCache } from './state-cache';

/** A state that is the list of the values of the events folded, so a wrong fold shows. */
const model: StreamModel<readonly number[], number> = {
  initial: [],
  decode: (event: RecordedEvent) => (event.data as { n: number }).n,
  evolve: (state, n) => [...state, n],
};
const otherModel: StreamModel<number, number> = {
  initial: 0,
  decode: (event: RecordedEvent) => (event.data as { n: number }).n,
  evolve: (state, n) => state + n,
};

let ids = 0;
const events = (...values: number[]) =>
  values.map((n) => ({
    id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    type: 'N',
    schemaVersion: 1,
    data: { n },
    metadata: {},
  }));

describe('StreamStateCache in the unit of work (SQLite)', () => {
  let directory: string;
  let store: EventStore;
  let reads: ReadStreamOptions[];
  let counted: EventStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-state-cache-'));
    store = await createEventStore({ kind: 'sqlite', file: join(directory, 'events.sqlite') });
    reads = [];
    counted = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'readStream') {
          return (stream: string, options: ReadStreamOptions = {}) => {
            reads.push(options);
            return target.readStream(stream, options);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const cachedUnitOfWork = (cache: StreamStateCache) =>
    new StoreUnitOfWork(counted, new CachedReader(new StoreReader(counted), counted, cache));

  const append = async (stream: string, values: number[]) => {
    const current = await store.streamRevision(stream);
    const last =
      current === 'no_stream' ? undefined : (await store.readStream(stream, { fromRevision: current }))[0];
    await store.append(
      stream,
      sealEvents(events(...values), (last?.metadata.hash as string | undefined) ?? null),
      current,
    );
  };

  it('reads a stream once, then only what was appended after the cached revision, by anyone', async () => {
    const cache = new StreamStateCache();
    await append('s-1', [1, 2]);
    const first = await cachedUnitOfWork(cache).load('s-1', model);
    expect(first).toMatchObject({ state: [1, 2], revision: 1n });
    expect(reads).toEqual([{}]);

    // unchanged: no read at all, same state, same version (revision and hash chain)
    const unitOfWork = cachedUnitOfWork(cache);
    const again = await unitOfWork.load('s-1', model);
    expect(again).toMatchObject({ state: [1, 2], revision: 1n });
    expect(reads).toHaveLength(1);
    const [stored] = await store.readStream('s-1', { direction: 'backwards', limit: 1 });
    expect(unitOfWork.versionOf('s-1')).toEqual({ revision: 1n, lastHash: stored.metadata.hash });

    // appended by another writer: only the new events are read and folded onto the cached state
    await append('s-1', [3]);
    const later = cachedUnitOfWork(cache);
    expect(await later.load('s-1', model)).toMatchObject({ state: [1, 2, 3], revision: 2n });
    expect(reads.at(-1)).toEqual({ fromRevision: 2n });
    const [newest] = await store.readStream('s-1', { direction: 'backwards', limit: 1 });
    expect(later.versionOf('s-1')).toEqual({ revision: 2n, lastHash: newest.metadata.hash });
  });

  it('keeps states per model, and a missing stream out of the cache', async () => {
    const cache = new StreamStateCache();
    await append('s-2', [5, 6]);
    await cachedUnitOfWork(cache).load('s-2', model);
    expect(await cachedUnitOfWork(cache).load('s-2', otherModel)).toMatchObject({
      state: 11,
      revision: 1n,
    });
    expect(reads).toEqual([{}, {}]);
    expect(await cachedUnitOfWork(cache).load('s-none', model)).toMatchObject({
      state: [],
      revision: 'no_stream',
    });
    await append('s-none', [7]);
    expect(await cachedUnitOfWork(cache).load('s-none', model)).toMatchObject({
      state: [7],
      revision: 0n,
    });
  });

  it('forgets the least recently used stream beyond its capacity', async () => {
    const cache = new StreamStateCache(2);
    for (const stream of ['a', 'b', 'c']) await append(stream, [1]);
    const load = (stream: string) => cachedUnitOfWork(cache).load(stream, model);
    await load('a');
    await load('b');
    await load('a');
    await load('c'); // evicts b, the least recently used
    expect(cache.size).toBe(2);
    reads = [];
    await load('a');
    await load('c');
    expect(reads).toEqual([]);
    await load('b');
    expect(reads).toEqual([{}]);
  });
});
