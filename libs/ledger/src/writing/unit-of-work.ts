import {
  StreamNotFound,
  type ActualRevision,
  type EventStore,
  type RecordedEvent,
} from '@wasteflow/event-store';
import type { StreamModel } from './stream-model';
import type { StreamStateCache } from './stream-state-cache';

export interface LoadedStream<S> {
  readonly stream: string;
  readonly state: S;
  readonly revision: ActualRevision;
}

/** What a write to a stream must expect (its revision) and continue (its last hash). */
export interface StreamVersion {
  readonly revision: ActualRevision;
  readonly lastHash: string | null;
}

/**
 * The streams a decision depends on. Every stream a decision writes must have been read through it
 * (`load`, `loadHead` or `expectNew`), so the append expects exactly the revision the decision saw and
 * continues each stream's hash chain.
 */
export interface UnitOfWork {
  /** Folds the whole stream into a state. */
  load<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>>;
  /**
   * Like `load`, for a stream the decision is about to create (a new trace code): usually absent, so its
   * revision is asked first and nothing is read when it has no events (a first attempt of LedgerWriter
   * does not even ask: the commit's `no_stream` does).
   */
  loadCreated<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>>;
  /** Only the stream's revision and last event (a counter stream: no need to read its history). */
  loadHead(stream: string): Promise<StreamVersion & { readonly last?: RecordedEvent }>;
  /**
   * A stream the decision creates and that cannot exist yet (a child code derived from its parent's next
   * index): the write expects `no_stream` without a read; were it to exist, the append fails and retries.
   */
  expectNew(stream: string): void;
  /** The version a write to `stream` must expect; the stream must have been read by this unit of work. */
  versionOf(stream: string): StreamVersion;
  /**
   * Whether a stream it read has changed in the store since (reads of several streams are not one
   * snapshot): a refusal decided on such reads may be an artifact of a concurrent write, not an answer.
   */
  changedSinceRead(): Promise<boolean>;
}

/** Whether any of `versions` differs from the store's current revision of its stream. */
export async function anyChanged(
  store: EventStore,
  versions: Iterable<readonly [string, ActualRevision]>,
): Promise<boolean> {
  for (const [stream, revision] of versions) {
    if ((await store.streamRevision(stream)) !== revision) return true;
  }
  return false;
}

interface Remembered {
  readonly model?: StreamModel<unknown, unknown>;
  readonly state?: unknown;
  readonly version: StreamVersion;
  readonly last?: RecordedEvent;
}

/**
 * A unit of work over the store itself: one per attempt of a command. A retry after a conflict may start
 * from the previous attempt (`retryOf`): every stream it read is reused as read, except the one that
 * conflicted, which is read again. That is safe because the commit checks the expected revision of every
 * stream: a reused stream that changed too fails the next commit and is read again then. It keeps the
 * retries of a contended stream (a city's manifest serial counter) cheap.
 */
export class StoreUnitOfWork implements UnitOfWork {
  private readonly versions = new Map<string, StreamVersion>();
  private readonly remembered = new Map<string, Remembered>();
  private readonly reusable: ReadonlyMap<string, Remembered>;

  /**
   * `cache`: folded states of this process by revision (see StreamStateCache); `load` then asks the store
   * for the current revision and reads only the events after the cached one.
   * `assumeCreatedAbsent`: `loadCreated` takes the stream as absent without asking the store (see there).
   */
  constructor(
    private readonly store: EventStore,
    retryOf?: { readonly previous: StoreUnitOfWork; readonly conflicting: string },
    private readonly cache?: StreamStateCache,
    private readonly assumeCreatedAbsent = false,
  ) {
    const reusable = new Map(retryOf?.previous.remembered ?? []);
    if (retryOf) reusable.delete(retryOf.conflicting);
    this.reusable = reusable;
  }

  async load<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    const reused = this.reuse(stream, model);
    if (reused) return reused;
    const cached = this.cache?.get(stream, model);
    let state = model.initial;
    let version: StreamVersion = { revision: 'no_stream', lastHash: null };
    let events: RecordedEvent[] | undefined;
    if (cached) {
      const current = await this.store.streamRevision(stream);
      // an append-only stream cannot shrink: anything else is another stream under that name, read it all
      if (current !== 'no_stream' && current >= cached.revision) {
        events = current === cached.revision ? [] : await readAllOf(this.store, stream, cached.revision + 1n);
        if (events.length > 0 && events[0].revision !== cached.revision + 1n) events = undefined;
      }
      if (events) {
        state = cached.state as S;
        version = { revision: cached.revision, lastHash: cached.lastHash };
      }
    }
    events ??= await readAllOf(this.store, stream);
    for (const recorded of events) {
      state = model.evolve(state, model.decode(recorded));
    }
    const last = events.at(-1);
    if (last) version = { revision: last.revision, lastHash: hashOf(last) };
    this.remember(stream, version, model, state);
    if (this.cache && version.revision !== 'no_stream') {
      this.cache.set(stream, {
        model: model as StreamModel<unknown, unknown>,
        state,
        revision: version.revision,
        lastHash: version.lastHash,
      });
    }
    return { stream, state, revision: version.revision };
  }

  async loadCreated<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    const reused = this.reuse(stream, model);
    if (reused) return reused;
    // A stream about to be created is absent but for a collision (a code's 40 random bits) or a retried
    // request (whose idempotency record, committed first, is refused before). Taken as absent without a
    // read, it is written with `no_stream`: if it exists after all, the commit is refused, nothing is
    // written, and the next attempt (never optimistic) reads it and the domain refuses as it should.
    if (!this.assumeCreatedAbsent && (await this.store.streamRevision(stream)) !== 'no_stream')
      return this.load(stream, model);
    this.remember(stream, { revision: 'no_stream', lastHash: null }, model, model.initial);
    return { stream, state: model.initial, revision: 'no_stream' };
  }

  async loadHead(stream: string): Promise<StreamVersion & { readonly last?: RecordedEvent }> {
    const previous = this.reusable.get(stream);
    if (previous && previous.model === undefined) {
      this.remembered.set(stream, previous);
      this.versions.set(stream, previous.version);
      return previous.last ? { ...previous.version, last: previous.last } : previous.version;
    }
    const last = await lastEventOf(this.store, stream);
    const version: StreamVersion = last
      ? { revision: last.revision, lastHash: hashOf(last) }
      : { revision: 'no_stream', lastHash: null };
    this.versions.set(stream, version);
    this.remembered.set(stream, { version, ...(last ? { last } : {}) });
    return last ? { ...version, last } : version;
  }

  expectNew(stream: string): void {
    if (!this.versions.has(stream)) this.versions.set(stream, { revision: 'no_stream', lastHash: null });
  }

  versionOf(stream: string): StreamVersion {
    const version = this.versions.get(stream);
    if (!version) {
      throw new Error(`stream ${stream} is written without having been loaded first`);
    }
    return version;
  }

  changedSinceRead(): Promise<boolean> {
    return anyChanged(
      this.store,
      [...this.versions].map(([stream, version]) => [stream, version.revision] as const),
    );
  }

  private reuse<S, E>(stream: string, model: StreamModel<S, E>): LoadedStream<S> | undefined {
    const previous = this.reusable.get(stream);
    if (!previous || previous.model !== model) return undefined;
    this.remembered.set(stream, previous);
    this.versions.set(stream, previous.version);
    return { stream, state: previous.state as S, revision: previous.version.revision };
  }

  private remember<S, E>(stream: string, version: StreamVersion, model: StreamModel<S, E>, state: S): void {
    this.versions.set(stream, version);
    this.remembered.set(stream, { model: model as StreamModel<unknown, unknown>, state, version });
  }
}

export async function readAllOf(
  store: EventStore,
  stream: string,
  fromRevision?: bigint,
): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(stream, fromRevision === undefined ? {} : { fromRevision });
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

export async function lastEventOf(store: EventStore, stream: string): Promise<RecordedEvent | undefined> {
  try {
    const [last] = await store.readStream(stream, { direction: 'backwards', limit: 1 });
    return last;
  } catch (error) {
    if (error instanceof StreamNotFound) return undefined;
    throw error;
  }
}

export function hashOf(event: { readonly metadata: { readonly [key: string]: unknown } }): string | null {
  const hash = event.metadata.hash;
  return typeof hash === 'string' ? hash : null;
}
