import type {
  ActualRevision,
  EventStore,
  JsonObject,
  RecordedEvent,
  StreamWrite,
} from '@wasteflow/event-store';
import { IdempotencyKeyReused } from './ledger-errors';
import {
  idempotencyStream,
  isConflict,
  STALE_READ,
  type Decision,
  type LedgerWriter,
  type PreparedCommit,
  type WriteContext,
  type WriteOutcome,
} from './ledger-writer';
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

export interface GroupItem<R extends JsonObject = JsonObject> {
  readonly context: WriteContext;
  readonly decide: (unitOfWork: UnitOfWork) => Promise<Decision<R>>;
}

export type GroupResult<R extends JsonObject = JsonObject> =
  { readonly ok: true; readonly outcome: WriteOutcome<R> } | { readonly ok: false; readonly error: unknown };

export interface WriteGroupOptions {
  /** Appends per commit before the group is flushed (each item adds its streams and its record). */
  readonly maxWritesPerCommit?: number;
}

interface Pending {
  readonly index: number;
  readonly item: GroupItem;
  /** Undefined for an item that repeats the key of an earlier pending item (a replay of it). */
  readonly prepared?: PreparedCommit;
  readonly replayOf?: number;
}

/**
 * Bulk writing (POST /v1/commands) with the semantics of one request per item and the cost of one commit
 * per group:
 *
 *  - items are decided in order, each against an overlay: the store's streams plus what the earlier items
 *    of the group decided (a later item may depend on an earlier one);
 *  - each item is exactly what `LedgerWriter.execute` would write (same ids, metadata, hash chains,
 *    idempotency record), so the group commit is the concatenation of the items' commits, with expected
 *    revisions that chain through the overlay;
 *  - a refused item (4xx) adds nothing to the overlay: it fails alone;
 *  - the group is committed in one `appendToStreams` (flushed every `maxWritesPerCommit` appends); if that
 *    commit hits a concurrency conflict (another writer touched one of the streams), nothing of it was
 *    written, and its items are run again one by one through `LedgerWriter.execute`, in order, each with
 *    its own retries: the answers are those of item-by-item requests.
 *
 * Where the store cannot commit several streams atomically (EventStoreDB) every item is its own request.
 */
export class WriteGroup {
  private readonly maxWrites: number;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly store: EventStore,
    options: WriteGroupOptions = {},
  ) {
    this.maxWrites = options.maxWritesPerCommit ?? 500;
  }

  async run(items: readonly GroupItem[]): Promise<GroupResult[]> {
    const results: GroupResult[] = new Array(items.length);
    if (!this.store.capabilities.atomicMultiStreamAppend) {
      for (const [index, item] of items.entries()) results[index] = await this.one(item);
      return results;
    }
    let overlay = new Overlay(this.store);
    let pending: Pending[] = [];
    let writeCount = 0;

    const flush = async (): Promise<void> => {
      const group = pending;
      pending = [];
      writeCount = 0;
      if (group.length === 0) return;
      const commit = group.flatMap((p) => p.prepared?.commit ?? []);
      let appended;
      try {
        appended = commit.length === 0 ? [] : await this.store.appendToStreams(commit);
      } catch (error) {
        if (!isConflict(error)) throw error;
        // Nothing of the group was written: every item runs again on its own, in order.
        overlay = new Overlay(this.store);
        for (const p of group) results[p.index] = await this.one(p.item);
        return;
      }
      let offset = 0;
      for (const p of group) {
        if (p.prepared) {
          const count = p.prepared.commit.length;
          results[p.index] = {
            ok: true,
            outcome: this.writer.outcomeOf(p.prepared, appended.slice(offset, offset + count)),
          };
          offset += count;
        } else {
          const first = results[p.replayOf as number];
          results[p.index] =
            first.ok === true
              ? { ok: true, outcome: withoutSecret({ ...first.outcome, replayed: true }) }
              : first;
        }
      }
      overlay.committed();
    };

    for (const [index, item] of items.entries()) {
      const recordStream = idempotencyStream(item.context.principal, item.context.idempotencyKey);
      const earlierInGroup = overlay.pendingRecord(recordStream);
      if (earlierInGroup) {
        if (earlierInGroup.requestHash === item.context.requestHash) {
          pending.push({ index, item, replayOf: earlierInGroup.index });
        } else {
          results[index] = { ok: false, error: new IdempotencyKeyReused(item.context.idempotencyKey) };
        }
        continue;
      }
      let prepared: PreparedCommit;
      try {
        const earlier = await this.writer.findEarlier(item.context);
        if (earlier) {
          results[index] = { ok: true, outcome: earlier };
          continue;
        }
        const unitOfWork = overlay.unitOfWork();
        const decision = await this.writer.decideChecked(item.context, item.decide, unitOfWork);
        if (decision === STALE_READ) {
          // the overlay is behind the store: commit what the group has, then this item on its own
          await flush();
          overlay = new Overlay(this.store);
          results[index] = await this.one(item);
          continue;
        }
        if ('replayed' in decision) {
          results[index] = { ok: true, outcome: decision };
          continue;
        }
        prepared = this.writer.prepare(item.context, unitOfWork, decision);
      } catch (error) {
        results[index] = { ok: false, error };
        continue;
      }
      overlay.apply(prepared, index, item.context);
      pending.push({ index, item, prepared });
      writeCount += prepared.commit.length;
      if (writeCount >= this.maxWrites) await flush();
    }
    await flush();
    return results;
  }

  private async one(item: GroupItem): Promise<GroupResult> {
    try {
      return { ok: true, outcome: await this.writer.execute(item.context, item.decide) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

function withoutSecret(outcome: WriteOutcome): WriteOutcome {
  const { secret: _secret, ...rest } = outcome;
  return rest;
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

/** The store as the next item of a group sees it: stored events plus the group's pending ones. */
class Overlay {
  private readonly streams = new Map<string, CachedStream>();
  private readonly records = new Map<string, { index: number; requestHash: string }>();

  constructor(private readonly store: EventStore) {}

  unitOfWork(): UnitOfWork {
    return new OverlayUnitOfWork(this);
  }

  pendingRecord(recordStream: string): { index: number; requestHash: string } | undefined {
    return this.records.get(recordStream);
  }

  async stream(
    name: string,
    full: boolean,
    probably: 'existing' | 'absent' = 'existing',
  ): Promise<CachedStream> {
    let cached = this.streams.get(name);
    // A stream an item creates is taken as absent without a read, as LedgerWriter's first attempt does:
    // the commit expects `no_stream`, so were it to exist (a collision of random bits), the group's commit
    // is refused as a whole and its items run again one by one, each reading what it needs.
    if (!cached && probably === 'absent') {
      cached = {
        events: [],
        revision: 'no_stream',
        lastHash: null,
        last: undefined,
        pending: [],
        storedRevision: 'no_stream',
        states: new Map(),
      };
      this.streams.set(name, cached);
    }
    if (!cached) {
      if (full) {
        const events = await readAllOf(this.store, name);
        const last = events.at(-1);
        cached = {
          events,
          revision: last ? last.revision : 'no_stream',
          lastHash: last ? hashOf(last) : null,
          last,
          pending: [],
          storedRevision: last ? last.revision : 'no_stream',
          states: new Map(),
        };
      } else {
        const last = await lastEventOf(this.store, name);
        cached = {
          events: undefined,
          revision: last ? last.revision : 'no_stream',
          lastHash: last ? hashOf(last) : null,
          last,
          pending: [],
          storedRevision: last ? last.revision : 'no_stream',
          states: new Map(),
        };
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
        cached = {
          events: [],
          revision: 'no_stream',
          lastHash: null,
          last: undefined,
          pending: [],
          storedRevision: 'no_stream',
          states: new Map(),
        };
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
    this.records.set(prepared.recordStream, { index, requestHash: context.requestHash });
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

export type { StreamWrite };
