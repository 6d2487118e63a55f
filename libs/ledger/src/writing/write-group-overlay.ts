import type { ActualRevision, EventStore, RecordedEvent } from '@wasteflow/event-store';
import type { StreamModel } from './stream-model';
import {
  anyChanged,
  hashOf,
  lastEventOf,
  readAllOf,
  type LoadedStream,
  type StreamVersion,
  type UnitOfWork,
} from './unit-of-work';
import { idempotencyScope } from './idempotency-records';
import type { PreparedCommit, WriteContext } from './write-types';

/** Identity of an idempotency record: two items of one group under one key are one request. */
export function recordIdOf(context: WriteContext): string {
  return `${idempotencyScope(context.principal)}\n${context.idempotencyKey}`;
}

interface CachedStream {
  /** Every event, stored then pending; undefined when only the head was read. */
  events: RecordedEvent[] | undefined;
  revision: ActualRevision;
  lastHash: string | null;
  last: RecordedEvent | undefined;
  /** Written by the group and not committed yet. */
  pending: RecordedEvent[];
  /** The revision the store had when it was read (or when the group last committed). */
  storedRevision: ActualRevision;
  /** Folded states per model, with the number of events folded in. */
  readonly states: Map<StreamModel<unknown, unknown>, { state: unknown; folded: number }>;
}

/**
 * A stream as the store holds it, nothing pending: its `events` (undefined when only its head was read) and
 * its `last` event (undefined: the stream does not exist).
 */
function asStored(events: RecordedEvent[] | undefined, last: RecordedEvent | undefined): CachedStream {
  const revision = last ? last.revision : 'no_stream';
  return {
    events,
    revision,
    lastHash: last ? hashOf(last) : null,
    last,
    pending: [],
    storedRevision: revision,
    states: new Map(),
  };
}

/** The store as the next item of a group sees it: stored events plus the group's pending ones. */
export class Overlay {
  private readonly streams = new Map<string, CachedStream>();
  private readonly records = new Map<string, { index: number; requestHash: string }>();

  constructor(private readonly store: EventStore) {}

  unitOfWork(): UnitOfWork {
    return new OverlayUnitOfWork(this);
  }

  pendingRecord(context: WriteContext): { index: number; requestHash: string } | undefined {
    return this.records.get(recordIdOf(context));
  }

  async stream(
    name: string,
    full: boolean,
    probably: 'existing' | 'absent' = 'existing',
  ): Promise<CachedStream> {
    let cached = this.streams.get(name);
    if (!cached) {
      if (probably === 'absent') {
        // A stream an item creates is taken as absent without a read, as LedgerWriter's first attempt
        // does: the commit expects `no_stream`, so were it to exist (a collision of random bits), the
        // group's commit is refused as a whole and its items run again one by one, each reading what it needs.
        cached = asStored([], undefined);
      } else if (full) {
        const events = await readAllOf(this.store, name);
        cached = asStored(events, events.at(-1));
      } else {
        cached = asStored(undefined, await lastEventOf(this.store, name));
      }
      this.streams.set(name, cached);
    } else if (full && cached.events === undefined) {
      // Only its head was read so far: read it whole, then add what the group wrote to it since.
      cached.events = [...(await readAllOf(this.store, name)), ...cached.pending];
    }
    return cached;
  }

  known(name: string): CachedStream | undefined {
    return this.streams.get(name);
  }

  /** Whether the store moved on under any of these streams since the overlay read them. */
  changedInStore(streams: Iterable<string>): Promise<boolean> {
    const versions: [string, ActualRevision][] = [];
    for (const stream of streams) {
      const cached = this.streams.get(stream);
      if (cached) versions.push([stream, cached.storedRevision]);
    }
    return anyChanged(this.store, versions);
  }

  /** Adds an item's sealed appends: the next items see them. */
  apply(prepared: PreparedCommit, index: number, context: WriteContext): void {
    const recordedAt = context.recordedAt;
    for (const write of prepared.commit) {
      let cached = this.streams.get(write.stream);
      if (!cached) {
        // a stream the group creates (expected new, never read)
        cached = asStored([], undefined);
        this.streams.set(write.stream, cached);
      }
      let revision = cached.revision === 'no_stream' ? -1n : cached.revision;
      for (const event of write.events) {
        revision += 1n;
        const recorded: RecordedEvent = {
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          stream: write.stream,
          revision,
          position: 0n,
          recordedAt,
        };
        cached.events?.push(recorded);
        cached.pending.push(recorded);
        cached.last = recorded;
        cached.lastHash = hashOf(recorded);
      }
      cached.revision = revision;
    }
    this.records.set(recordIdOf(context), { index, requestHash: context.requestHash });
  }

  /** The pending writes are now stored as they are: keep the cache, forget the pending records. */
  committed(): void {
    this.records.clear();
    for (const cached of this.streams.values()) {
      cached.pending = [];
      cached.storedRevision = cached.revision;
    }
  }
}

class OverlayUnitOfWork implements UnitOfWork {
  private readonly versions = new Map<string, StreamVersion>();

  constructor(private readonly overlay: Overlay) {}

  load<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    return this.fold(stream, model, 'existing');
  }

  loadCreated<S, E>(stream: string, model: StreamModel<S, E>): Promise<LoadedStream<S>> {
    return this.fold(stream, model, 'absent');
  }

  private async fold<S, E>(
    stream: string,
    model: StreamModel<S, E>,
    probably: 'existing' | 'absent',
  ): Promise<LoadedStream<S>> {
    const cached = await this.overlay.stream(stream, true, probably);
    const events = cached.events as RecordedEvent[];
    const key = model as StreamModel<unknown, unknown>;
    let entry = cached.states.get(key);
    if (!entry) {
      entry = { state: model.initial, folded: 0 };
      cached.states.set(key, entry);
    }
    let state = entry.state as S;
    for (let i = entry.folded; i < events.length; i++) state = model.evolve(state, model.decode(events[i]));
    entry.state = state;
    entry.folded = events.length;
    this.versions.set(stream, { revision: cached.revision, lastHash: cached.lastHash });
    return { stream, state, revision: cached.revision };
  }

  async loadHead(stream: string): Promise<StreamVersion & { readonly last?: RecordedEvent }> {
    const cached = await this.overlay.stream(stream, false);
    const version = { revision: cached.revision, lastHash: cached.lastHash };
    this.versions.set(stream, version);
    return cached.last ? { ...version, last: cached.last } : version;
  }

  expectNew(stream: string): void {
    if (this.versions.has(stream)) return;
    const cached = this.overlay.known(stream);
    this.versions.set(
      stream,
      cached
        ? { revision: cached.revision, lastHash: cached.lastHash }
        : { revision: 'no_stream', lastHash: null },
    );
  }

  versionOf(stream: string): StreamVersion {
    const version = this.versions.get(stream);
    if (!version) throw new Error(`stream ${stream} is written without having been loaded first`);
    return version;
  }

  changedSinceRead(): Promise<boolean> {
    return this.overlay.changedInStore(this.versions.keys());
  }
}
