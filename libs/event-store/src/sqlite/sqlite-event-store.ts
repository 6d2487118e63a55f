import Database from 'better-sqlite3';
import {
  DuplicateEventId,
  EventStoreClosed,
  EventStoreError,
  InvalidArgument,
  StreamNotFound,
  WrongExpectedRevision,
} from '../errors';
import type {
  ActualRevision,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { validateWrites } from '../internal/append-validation';
import { CatchUpSubscription, SubscriptionSet } from '../internal/catch-up-subscription';
import { normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { numberToRevision, satisfiesExpected } from '../internal/expected-revision';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { WakeSignal } from '../internal/wake-signal';
import { GroupCommitMode } from './group-commit-mode';

export interface SqliteEventStoreOptions {
  /** Database file; created with its schema when missing. */
  readonly file: string;
  /**
   * How often to look for commits by other connections (other processes, other store instances on the same
   * file) while a subscription runs. In-process appends wake subscribers at once. Default 50 ms.
   */
  readonly pollIntervalMs?: number;
  /** Longest a subscription waits without any wake-up before reading again. Default 1000 ms. */
  readonly idleTimeoutMs?: number;
  /** Events per read while a subscription catches up. Default 500. */
  readonly pageSize?: number;
  /**
   * Position of the first event of a new, empty store (default 1). Lets tests and migrations start above
   * 2^53; ignored once the store holds events.
   */
  readonly initialPosition?: bigint;
  /**
   * FULL (default) fsyncs the WAL on every commit, so an acknowledged append survives a power loss; NORMAL
   * survives a process crash only. Exposed for benchmarks.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long an append waits for another connection's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * Group commit (default true): appends called in the same turn of the event loop (concurrent requests,
   * concurrent appenders) commit together, in one transaction and one fsync, each inside a SAVEPOINT of its
   * own so that one's failure (WrongExpectedRevision, DuplicateEventId) rolls back that append only. The
   * outcome of each append is the one it would have had committed alone, in call order. Waiting for the
   * end of the turn costs a lone appender a little, so after a run of groups of one the store commits
   * appends at once for a while, then looks again (see GroupCommitMode). False commits every append in
   * its own transaction when it is called; exposed to measure the difference.
   */
  readonly groupCommit?: boolean;
}

interface EventRow {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
  recorded_at: bigint;
}

interface EncodedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
}

/** Thrown inside the transaction to roll it back and retry with the slower, id-first path. */
class RetryLookingUpIds extends Error {}

/** An append waiting for the group commit. */
interface PendingAppend {
  readonly writes: readonly StreamWrite[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

type AppendOutcome = { readonly results: AppendResult[] } | { readonly error: unknown };

const TABLE = 'event_log';
const COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, recorded_at';
const MAX_REVISION = (1n << 63n) - 1n;
const NOT_SYSTEM_STREAM = "substr(stream, 1, 1) <> '$'";

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: new Date(Number(row.recorded_at)),
  };
}

function encode(event: EventToAppend): EncodedEvent {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  };
}

/**
 * By code, not by `instanceof Database.SqliteError`: the native addon keeps the SqliteError class of the
 * first copy of better-sqlite3 that initialised it, so where modules are loaded more than once per process
 * (Jest: a module registry and globals per test file, one addon per worker) a later copy's errors are not
 * instances of its own class, nor of its realm's Error.
 */
function isUniqueViolation(error: unknown): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    typeof message === 'string' &&
    (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/**
 * The embedded store: one SQLite file through better-sqlite3, WAL journal. Positions are the table's
 * AUTOINCREMENT key; appends take the write lock up front (BEGIN IMMEDIATE), so positions are handed out
 * in commit order and a reader can never see a later position before an earlier one.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly capabilities = { atomicMultiStreamAppend: true } as const;

  private readonly db: Database.Database;
  private readonly signal = new WakeSignal();
  private readonly subscriptions = new SubscriptionSet();
  private readonly pollIntervalMs: number;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  private poller: NodeJS.Timeout | undefined;
  private lastDataVersion: bigint | undefined;
  private closed = false;
  private readonly groupCommit: boolean;
  private readonly groupMode = new GroupCommitMode();
  private pending: PendingAppend[] = [];

  private readonly statements: {
    currentRevision: Database.Statement<[string], bigint | null>;
    insert: Database.Statement<[string, string, bigint, string, number, string, string, number]>;
    byId: Database.Statement<[string], EventRow>;
    readForwards: Database.Statement<[string, bigint, number], EventRow>;
    readBackwards: Database.Statement<[string, bigint, number], EventRow>;
    streamExists: Database.Statement<[string], bigint>;
    head: Database.Statement<[], bigint>;
    visibleHead: Database.Statement<[], bigint | null>;
    dataVersion: Database.Statement<[], bigint>;
  };
  private readonly readAllStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly appendTransaction: (
    writes: readonly StreamWrite[],
    lookUpIdsFirst: boolean,
  ) => AppendResult[];
  private readonly groupTransaction: (group: readonly PendingAppend[]) => AppendOutcome[];

  constructor(options: SqliteEventStoreOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 1000;
    this.pageSize = options.pageSize ?? 500;
    this.groupCommit = options.groupCommit ?? true;
    const initialPosition = options.initialPosition ?? 1n;
    if (initialPosition < 1n || initialPosition > MAX_REVISION) {
      throw new InvalidArgument(`initialPosition must be between 1 and 2^63 - 1, got ${initialPosition}`);
    }

    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      // Positions may exceed 2^53: every integer comes back as bigint, and is converted where it is small.
      this.db.defaultSafeIntegers(true);
      this.createSchema(initialPosition);
    } catch (error) {
      this.db.close();
      throw error;
    }

    const db = this.db;
    this.statements = {
      currentRevision: db
        .prepare<[string], bigint | null>(`SELECT max(revision) FROM ${TABLE} WHERE stream = ?`)
        .pluck(),
      insert: db.prepare(
        `INSERT INTO ${TABLE} (id, stream, revision, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      byId: db.prepare(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = ?`),
      readForwards: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      readBackwards: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      streamExists: db.prepare<[string], bigint>(`SELECT 1 FROM ${TABLE} WHERE stream = ? LIMIT 1`).pluck(),
      head: db
        .prepare<[], bigint>(
          `SELECT position FROM ${TABLE} WHERE ${NOT_SYSTEM_STREAM} ORDER BY position DESC LIMIT 1`,
        )
        .pluck(),
      visibleHead: db.prepare<[], bigint | null>(`SELECT max(position) FROM ${TABLE}`).pluck(),
      dataVersion: db.prepare<[], bigint>('PRAGMA data_version').pluck(),
    };
    this.appendTransaction = db.transaction((writes: readonly StreamWrite[], lookUpIdsFirst: boolean) =>
      this.appendInTransaction(writes, lookUpIdsFirst),
    ).immediate;
    // Called inside the group's transaction, appendTransaction runs in a SAVEPOINT (better-sqlite3 nests
    // transaction functions that way): a typed failure rolls back to it and the group goes on. Any other
    // error (a driver error: disk full, I/O) rolls back the whole group, which then commits one by one.
    this.groupTransaction = db.transaction((group: readonly PendingAppend[]) =>
      group.map((append): AppendOutcome => {
        try {
          return { results: this.commit(append.writes) };
        } catch (error) {
          if (error instanceof EventStoreError) return { error };
          throw error;
        }
      }),
    ).immediate;
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, events, expected }]);
    return result;
  }

  async appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    validateWrites(writes);
    if (!this.groupCommit || (this.pending.length === 0 && this.groupMode.goAtOnce())) {
      const results = this.commit(writes);
      if (!results[0].replayed) this.signal.notify();
      return results;
    }
    // Committed when this turn of the event loop is over, with every other append made during it. The
    // arrays are copied: what was validated is what gets written.
    const snapshot = writes.map((write) => ({ ...write, events: [...write.events] }));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ writes: snapshot, resolve, reject });
      if (this.pending.length === 1) setImmediate(this.commitPending);
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.limit ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(stream, options.fromRevision ?? MAX_REVISION, limit)
        : this.statements.readForwards.all(stream, options.fromRevision ?? 0n, limit);
    if (rows.length === 0 && this.statements.streamExists.get(stream) === undefined) {
      throw new StreamNotFound(stream);
    }
    return rows.map(toRecorded);
  }

  async streamRevision(stream: string): Promise<ActualRevision> {
    this.assertOpen();
    return numberToRevision(this.currentRevision(stream));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const { statement, parameters } = this.readAllQuery(filter);
    return statement.all(options.after ?? 0n, ...parameters, options.limit ?? -1).map(toRecorded);
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      {
        readAll: (readOptions) => this.readAll(readOptions),
        visibleHead: async () => this.statements.visibleHead.get() ?? 0n,
        signal: this.signal,
      },
      handler,
      options,
      { pageSize: this.pageSize, idleTimeoutMs: this.idleTimeoutMs, visibilityLag: false },
    );
    this.subscriptions.add(subscription);
    this.startPolling();
    subscription.finished.then(
      () => this.stopPollingIfIdle(),
      () => this.stopPollingIfIdle(),
    );
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.statements.head.get() ?? 0n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends accepted before close() are committed, not dropped.
    this.commitPending();
    await this.subscriptions.stopAll();
    this.stopPolling();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
  }

  private createSchema(initialPosition: bigint): void {
    // IMMEDIATE: two processes opening a new file at once must not both try to create (and seed) the table.
    this.db
      .transaction(() => {
        this.db.exec(`
        CREATE TABLE IF NOT EXISTS ${TABLE} (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL,
          stream TEXT NOT NULL,
          revision INTEGER NOT NULL,
          type TEXT NOT NULL,
          schema_version INTEGER NOT NULL,
          data TEXT NOT NULL,
          metadata TEXT NOT NULL,
          recorded_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_id ON ${TABLE} (id);
        CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_stream_revision ON ${TABLE} (stream, revision);
      `);
        if (initialPosition === 1n) return;
        const empty = this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${TABLE})`).pluck().get() === 1n;
        const seeded =
          this.db.prepare(`SELECT 1 FROM sqlite_sequence WHERE name = ?`).pluck().get(TABLE) !== undefined;
        // AUTOINCREMENT continues after sqlite_sequence.seq, so seeding it moves the first position.
        if (empty && !seeded) {
          this.db
            .prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`)
            .run(TABLE, initialPosition - 1n);
        }
      })
      .immediate();
  }

  /** One append, in a transaction of its own or (inside the group's) in a savepoint. */
  private commit(writes: readonly StreamWrite[]): AppendResult[] {
    try {
      return this.appendTransaction(writes, false);
    } catch (error) {
      if (!(error instanceof RetryLookingUpIds)) throw error;
      return this.appendTransaction(writes, true);
    }
  }

  /** The group commit: every append waiting, in call order, in one transaction. */
  private readonly commitPending = (): void => {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    this.groupMode.grouped(group.length);
    let outcomes: AppendOutcome[];
    if (group.length === 1) {
      outcomes = [this.commitAlone(group[0])];
    } else {
      try {
        outcomes = this.groupTransaction(group);
      } catch {
        // Nothing of the group was committed; each append gets the outcome it has on its own.
        outcomes = group.map((append) => this.commitAlone(append));
      }
    }
    if (outcomes.some((outcome) => 'results' in outcome && !outcome.results[0].replayed))
      this.signal.notify();
    outcomes.forEach((outcome, index) => {
      if ('results' in outcome) group[index].resolve(outcome.results);
      else group[index].reject(outcome.error);
    });
  };

  private commitAlone(append: PendingAppend): AppendOutcome {
    try {
      return { results: this.commit(append.writes) };
    } catch (error) {
      return { error };
    }
  }

  private currentRevision(stream: string): bigint {
    return this.statements.currentRevision.get(stream) ?? -1n;
  }

  /**
   * Runs inside BEGIN IMMEDIATE. The fast path trusts the unique index on id to catch a reused id; only
   * when the expectations fail or the index objects does it look the ids up and decide between an
   * idempotent retry and a duplicate (re-running the whole commit, so a half-inserted batch is rolled back).
   */
  private appendInTransaction(writes: readonly StreamWrite[], lookUpIdsFirst: boolean): AppendResult[] {
    if (lookUpIdsFirst) {
      const stored = this.lookUpIds(writes);
      if (stored.size > 0) return resolveStoredCommit(writes, stored);
    }
    const revisionAfter = new Map<string, bigint>();
    const firstRevisions: bigint[] = [];
    for (const write of writes) {
      const current = revisionAfter.get(write.stream) ?? this.currentRevision(write.stream);
      if (!satisfiesExpected(write.expected, numberToRevision(current))) {
        if (!lookUpIdsFirst) {
          const stored = this.lookUpIds(writes);
          if (stored.size > 0) {
            return resolveStoredCommit(writes, stored);
          }
        }
        throw new WrongExpectedRevision(write.stream, write.expected, numberToRevision(current));
      }
      firstRevisions.push(current + 1n);
      revisionAfter.set(write.stream, current + BigInt(write.events.length));
    }

    const recordedAt = Date.now();
    return writes.map((write, index) => {
      const first = firstRevisions[index];
      let position = 0n;
      write.events.forEach((event, offset) => {
        const encoded = encode(event);
        try {
          position = this.statements.insert.run(
            encoded.id,
            write.stream,
            first + BigInt(offset),
            encoded.type,
            encoded.schemaVersion,
            encoded.data,
            encoded.metadata,
            recordedAt,
          ).lastInsertRowid as bigint;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (error.message.includes(`${TABLE}.id`)) {
            if (!lookUpIdsFirst) throw new RetryLookingUpIds();
            throw new DuplicateEventId(encoded.id, 'is already stored', { cause: error });
          }
          // Unreachable while appends hold the write lock; mapped so no driver error escapes for a conflict.
          throw new WrongExpectedRevision(
            write.stream,
            write.expected,
            numberToRevision(this.currentRevision(write.stream)),
            {
              cause: error,
            },
          );
        }
      });
      return {
        stream: write.stream,
        revision: first + BigInt(write.events.length - 1),
        position,
        eventIds: write.events.map((event) => event.id),
        replayed: false,
      };
    });
  }

  private lookUpIds(writes: readonly StreamWrite[]): Map<string, StoredEvent> {
    const stored = new Map<string, StoredEvent>();
    for (const write of writes) {
      for (const event of write.events) {
        const row = this.statements.byId.get(event.id);
        if (row) stored.set(row.id, toRecorded(row));
      }
    }
    return stored;
  }

  private readAllQuery(filter: NormalizedFilter): {
    statement: Database.Statement<unknown[], EventRow>;
    parameters: string[];
  } {
    const types = filter.eventTypes ?? [];
    const prefixes = filter.streamPrefixes ?? [];
    const key = `${filter.eventTypes ? types.length : '-'}:${filter.streamPrefixes ? prefixes.length : '-'}`;
    let statement = this.readAllStatements.get(key);
    if (!statement) {
      const conditions = ['position > ?'];
      if (filter.streamPrefixes) {
        // A `$` stream matches only a prefix that itself starts with `$` (an empty prefix does not).
        const one =
          "(substr(stream, 1, length(?)) = ? AND (substr(?, 1, 1) = '$' OR substr(stream, 1, 1) <> '$'))";
        conditions.push(prefixes.length === 0 ? '0' : `(${prefixes.map(() => one).join(' OR ')})`);
      } else {
        conditions.push(NOT_SYSTEM_STREAM);
      }
      if (filter.eventTypes) {
        conditions.push(types.length === 0 ? '0' : `type IN (${types.map(() => '?').join(', ')})`);
      }
      statement = this.db.prepare<unknown[], EventRow>(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`,
      );
      this.readAllStatements.set(key, statement);
    }
    return { statement, parameters: [...prefixes.flatMap((prefix) => [prefix, prefix, prefix]), ...types] };
  }

  /**
   * Another connection's commit does not pass through this object, so while anyone subscribes, a timer
   * compares PRAGMA data_version (which changes exactly when another connection committed) and wakes the
   * subscriptions when it moved.
   */
  private startPolling(): void {
    if (this.poller) return;
    this.lastDataVersion = this.statements.dataVersion.get();
    this.poller = setInterval(() => {
      if (this.closed) return;
      const version = this.statements.dataVersion.get();
      if (version !== this.lastDataVersion) {
        this.lastDataVersion = version;
        this.signal.notify();
      }
    }, this.pollIntervalMs);
    this.poller.unref();
  }

  private stopPollingIfIdle(): void {
    if (this.subscriptions.size === 0) this.stopPolling();
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
  }
}
