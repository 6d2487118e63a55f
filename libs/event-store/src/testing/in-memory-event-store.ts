import { IdempotencyRecordExists, InvalidArgument, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  Bookkeeping,
  CheckpointLease,
  EventStore,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoredIdempotencyRecord,
  StreamWrite,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { validateIdempotency, validateWrites } from '../internal/append-validation';
import { acquiredLease } from '../internal/bookkeeping-policy';
import { StoreBase } from '../internal/store-base';
import { matchesFilter, normalizeFilter } from '../internal/event-filter';
import { numberToRevision, satisfiesExpected } from '../internal/expected-revision';
import { resolveStoredCommit } from '../internal/idempotent-retry';
import { WakeSignal } from '../internal/wake-signal';
import { appendResult } from '../internal/append-result';
import { InMemoryPersonalData } from '../personal-data/in-memory-personal-data';

/** A copy that the caller cannot change under the store (and the store not under the caller). */
function copy<T extends JsonObject>(value: T): T {
  return structuredClone(value);
}

/**
 * The port in memory, for tests that want the store's semantics without its I/O (the write path's core,
 * process managers): atomic multi-stream commits, ids unique across streams, identical retries replayed,
 * idempotency records committed with their events, checkpoint leases. Proves the same contract as the
 * real adapters (in-memory-event-store.unit.spec.ts). Not for production: nothing survives the process.
 *
 * `beforeCommit` runs right before a commit is applied (after its arguments were validated), so a test
 * can let a "concurrent" writer in at exactly that point.
 */
export class InMemoryEventStore extends StoreBase implements EventStore {
  readonly kind = 'memory' as const;
  readonly capabilities = { atomicMultiStreamAppend: true, purgesIdempotencyRecords: true } as const;
  readonly bookkeeping: Bookkeeping;
  readonly personalData = new InMemoryPersonalData();
  beforeCommit: ((writes: readonly StreamWrite[], options?: AppendOptions) => Promise<void>) | undefined;

  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly records = new Map<string, StoredIdempotencyRecord>();
  private readonly checkpoints = new Map<string, CheckpointLease>();
  private readonly signal = new WakeSignal();

  /** How many commits wrote something (what tests count). */
  commits = 0;

  constructor() {
    super();
    this.bookkeeping = this.createBookkeeping();
  }

  async appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    validateWrites(writes);
    validateIdempotency(options);
    await this.beforeCommit?.(writes, options);
    this.assertOpen();
    // Synchronous from here on: nothing can come in between, as with one database transaction.
    for (const record of options?.idempotency ?? []) {
      if (this.records.has(recordId(record.scope, record.key))) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
    const stored = new Map(
      writes.flatMap((write) =>
        write.events.flatMap((event) => {
          const found = this.byId.get(event.id);
          return found ? [[found.id, found] as const] : [];
        }),
      ),
    );
    if (stored.size > 0) return resolveStoredCommit(writes, stored);
    const after = new Map<string, bigint>();
    for (const write of writes) {
      const current = after.get(write.stream) ?? this.revisionOf(write.stream);
      if (!satisfiesExpected(write.expected, numberToRevision(current))) {
        throw new WrongExpectedRevision(write.stream, write.expected, numberToRevision(current));
      }
      after.set(write.stream, current + BigInt(write.events.length));
    }
    const recordedAt = new Date();
    const results = writes.map((write): AppendResult => {
      const events = this.streams.get(write.stream) ?? [];
      this.streams.set(write.stream, events);
      for (const event of write.events) {
        const recorded: RecordedEvent = {
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: copy(event.data),
          metadata: copy(event.metadata),
          stream: write.stream,
          revision: BigInt(events.length),
          position: BigInt(this.log.length + 1),
          recordedAt,
        };
        events.push(recorded);
        this.log.push(recorded);
        this.byId.set(recorded.id, recorded);
      }
      return appendResult(write, events[events.length - 1], false);
    });
    for (const record of options?.idempotency ?? []) {
      this.records.set(recordId(record.scope, record.key), {
        ...record,
        record: copy(record.record),
        recordedAt,
      });
    }
    this.commits += 1;
    this.signal.notify();
    return results;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const events = this.streams.get(stream);
    if (!events) throw new StreamNotFound(stream);
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? [...events].reverse() : events;
    const from = options.fromRevision;
    const selected = ordered.filter(
      (event) => from === undefined || (backwards ? event.revision <= from : event.revision >= from),
    );
    return (options.limit === undefined ? selected : selected.slice(0, options.limit)).map(clone);
  }

  async streamRevision(stream: string): Promise<ActualRevision> {
    this.assertOpen();
    return numberToRevision(this.revisionOf(stream));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const after = options.after ?? 0n;
    const selected: RecordedEvent[] = [];
    for (const event of this.log) {
      if (options.limit !== undefined && selected.length >= options.limit) break;
      if (event.position > after && matchesFilter(filter, event.stream, event.type))
        selected.push(clone(event));
    }
    return selected;
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    return this.catchUp(handler, options, this.signal, {
      pageSize: 100,
      idleTimeoutMs: 1000,
      visibilityLag: false,
    });
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return BigInt(this.log.length);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
  }

  private revisionOf(stream: string): bigint {
    return BigInt((this.streams.get(stream)?.length ?? 0) - 1);
  }

  private createBookkeeping(): Bookkeeping {
    const records = this.records;
    const checkpoints = this.checkpoints;
    const open = (): void => this.assertOpen();
    return {
      async readIdempotencyRecord(scope, key) {
        open();
        const found = records.get(recordId(scope, key));
        return found ? { ...found, record: copy(found.record) } : undefined;
      },
      async importIdempotencyRecords(imported) {
        open();
        let inserted = 0;
        for (const record of imported) {
          const id = recordId(record.scope, record.key);
          if (records.has(id)) continue;
          records.set(id, { ...record, record: copy(record.record) });
          inserted += 1;
        }
        return inserted;
      },
      async purgeIdempotencyRecords(before) {
        open();
        if (Number.isNaN(before.getTime())) throw new InvalidArgument('purge needs a valid date');
        let deleted = 0;
        for (const [id, record] of records) {
          if (record.recordedAt.getTime() < before.getTime()) {
            records.delete(id);
            deleted += 1;
          }
        }
        return deleted;
      },
      async readCheckpoint(name) {
        open();
        return checkpoints.get(name);
      },
      async acquireCheckpoint(name, owner, now, expiresAt) {
        open();
        const lease = acquiredLease(checkpoints.get(name), name, owner, now, expiresAt);
        if (lease) checkpoints.set(name, lease);
        return lease;
      },
      async saveCheckpoint(name, token, position, expiresAt) {
        open();
        const current = checkpoints.get(name);
        if (!current || current.token !== token) return false;
        checkpoints.set(name, { ...current, position, expiresAt });
        return true;
      },
      async releaseCheckpoint(name, token) {
        open();
        const current = checkpoints.get(name);
        if (current && current.token === token) checkpoints.set(name, { ...current, expiresAt: 0 });
      },
    };
  }
}

function recordId(scope: string, key: string): string {
  return `${scope}\n${key}`;
}

function clone(event: RecordedEvent): RecordedEvent {
  return { ...event, data: copy(event.data), metadata: copy(event.metadata) };
}
