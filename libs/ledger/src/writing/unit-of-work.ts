import {
  StreamNotFound,
  type ActualRevision,
  type EventStore,
  type RecordedEvent,
} from '@wasteflow/event-store';
import type { StreamModel } from './stream-model';

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
 * (`load`, `loadCreated`, `loadHead` or `expectNew`), so the append expects exactly the revision the
 * decision saw and continues each stream's hash chain.
 */
export interface UnitOfWork {
  /** Folds the whole stream into a state. */
  load<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>>;
  /**
   * Like `load`, for a stream the decision is about to create (a new trace code): usually absent. (An
   * optional layer of the writer takes it as absent without reading it on a first attempt.)
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

/** What a unit of work learnt about one stream; a retry may start from it (ReusingReader). */
export interface StreamRead {
  /** The model it was folded with; undefined for a head-only read. */
  readonly model?: StreamModel<unknown, unknown>;
  readonly state?: unknown;
  readonly version: StreamVersion;
  readonly last?: RecordedEvent;
}

/** A fold: the state, with the version it was folded to. */
export interface FoldedStream<S> extends StreamRead {
  readonly state: S;
}

/**
 * How a unit of work reads a stream it has not read yet. The core reads the store (StoreReader); each
 * optimisation of the write path is a reader wrapping another (writing/optimisations).
 */
export interface StreamReader {
  fold<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>>;
  /** A stream the decision creates (`loadCreated`). */
  created<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>>;
  head(stream: string): Promise<StreamRead>;
}

const ABSENT: StreamVersion = { revision: 'no_stream', lastHash: null };

/** The core reader: every stream read whole from the store and folded; a created stream like any other. */
export class StoreReader implements StreamReader {
  constructor(private readonly store: EventStore) {}

  async fold<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return foldOnto(model, model.initial, ABSENT, await readAllOf(this.store, stream));
  }

  created<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return this.fold(stream, model);
  }

  async head(stream: string): Promise<StreamRead> {
    const last = await lastEventOf(this.store, stream);
    return last
      ? { version: { revision: last.revision, lastHash: hashOf(last) }, last }
      : { version: ABSENT };
  }
}

/** Folds `events` onto a state at `version` (the version moves to the last event folded). */
export function foldOnto<S, E>(
  model: StreamModel<S, E>,
  from: S,
  version: StreamVersion,
  events: readonly RecordedEvent[],
): FoldedStream<S> {
  let state = from;
  for (const recorded of events) state = model.evolve(state, model.decode(recorded));
  const last = events.at(-1);
  return {
    model: model as StreamModel<unknown, unknown>,
    state,
    version: last ? { revision: last.revision, lastHash: hashOf(last) } : version,
  };
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

/**
 * A unit of work over the store: one per attempt of a command. It remembers what it read (`reads`, the
 * versions the commit expects); how it reads is its reader's business.
 */
export class StoreUnitOfWork implements UnitOfWork {
  private readonly versions = new Map<string, StreamVersion>();
  private readonly read = new Map<string, StreamRead>();

  constructor(
    private readonly store: EventStore,
    private readonly reader: StreamReader = new StoreReader(store),
  ) {}

  /** Every stream it read, with what it learnt (expectNew streams aside). */
  get reads(): ReadonlyMap<string, StreamRead> {
    return this.read;
  }

  async load<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    return this.loaded(stream, await this.reader.fold(stream, model));
  }

  async loadCreated<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    return this.loaded(stream, await this.reader.created(stream, model));
  }

  async loadHead(stream: string): Promise<StreamVersion & { readonly last?: RecordedEvent }> {
    const head = await this.reader.head(stream);
    this.remember(stream, head);
    return head.last ? { ...head.version, last: head.last } : head.version;
  }

  expectNew(stream: string): void {
    if (!this.versions.has(stream)) this.versions.set(stream, ABSENT);
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

  private loaded<S>(stream: string, folded: FoldedStream<S>): LoadedStream<S> {
    this.remember(stream, folded);
    return { stream, state: folded.state, revision: folded.version.revision };
  }

  private remember(stream: string, read: StreamRead): void {
    this.versions.set(stream, read.version);
    this.read.set(stream, read);
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
