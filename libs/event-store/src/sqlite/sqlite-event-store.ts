// Longer than our ~400 lines on purpose: the store's reads, its three commit paths (at once, group commit
// on this connection, the writer thread) and their shared pending queue are one state machine; the
// commit itself is in sqlite-writer.ts, bookkeeping in sqlite-bookkeeping.ts.
import { fileWriteReadiness } from '../availability/file-readiness';
import Database from 'better-sqlite3';
import { InvalidArgument, StreamNotFound } from '../errors';
import { preparePrivateFile } from '../files/private-files';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
  WriteReadiness,
} from '../event-store.port';
import { validateIdempotency, validateWrites } from '../internal/append-validation';
import { PurgeSchedule, retentionMs } from '../internal/bookkeeping-policy';
import { StoreBase } from '../internal/store-base';
import { normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { numberToRevision } from '../internal/expected-revision';
import { WakeSignal } from '../internal/wake-signal';
import { GroupCommitMode } from './group-commit-mode';
import { BOOKKEEPING_DDL, SqliteBookkeeping } from './sqlite-bookkeeping';
import { PERSONAL_DATA_DDL, SqlitePersonalData } from './sqlite-personal-data';
import {
  COLUMNS,
  deserializeError,
  encodeAppend,
  toRecorded,
  SqliteWriter,
  TABLE,
  type EncodedAppend,
  type EventRow,
  type WriteOutcome,
} from './sqlite-writer';
import { SqliteWriterThread } from './sqlite-writer-thread';

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
  /**
   * With group commit: commit in a worker thread of the store, on a connection of its own, so that the
   * inserts, the WAL writes, the fsync and the checkpoints of a commit run beside the event loop instead of
   * stopping it. Same transactions, same order, same durability: an append is answered once its commit
   * (fsync included) is done. While a group is being committed, the appends that arrive wait and go
   * together as the next group. Default false: on a machine with few cores the round trip through the
   * thread (two wake-ups) costs the store more of its append rate than it gains over HTTP (the figures:
   * docs/performance.md, "The writer thread is off by default").
   */
  readonly writerThread?: boolean;
  /**
   * Days an idempotency record is kept (default 30): records older than that are purged once soon after
   * the store opens and then every hour.
   */
  readonly idempotencyRetentionDays?: number;
}

/** An append waiting for the group commit. */
interface PendingAppend {
  readonly append: EncodedAppend;
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_REVISION = (1n << 63n) - 1n;

/**
 * The embedded store: one SQLite file through better-sqlite3, WAL journal. Positions are the table's
 * AUTOINCREMENT key; appends take the write lock up front (BEGIN IMMEDIATE), so positions are handed out
 * in commit order and a reader can never see a later position before an earlier one.
 */
export class SqliteEventStore extends StoreBase implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly capabilities = { atomicMultiStreamAppend: true, purgesIdempotencyRecords: true } as const;
  readonly bookkeeping: SqliteBookkeeping;
  readonly personalData: SqlitePersonalData;

  private readonly db: Database.Database;
  private readonly signal = new WakeSignal();
  private readonly pollIntervalMs: number;
  private readonly idleTimeoutMs: number;
  private readonly pageSize: number;
  private poller: NodeJS.Timeout | undefined;
  private lastDataVersion: bigint | undefined;
  private readonly groupCommit: boolean;
  private readonly groupMode = new GroupCommitMode();
  private pending: PendingAppend[] = [];
  /** The writer thread (option `writerThread`), or undefined: commits on this connection. */
  private readonly thread: SqliteWriterThread | undefined;
  /** On this connection: every commit without a writer thread, and none with one. */
  private readonly writer: SqliteWriter;
  /** Groups sent to the writer thread and not answered yet, and the last one's settling. */
  private inFlight = 0;
  private lastGroup: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private readonly purges: PurgeSchedule;

  private readonly statements: {
    currentRevision: Database.Statement<[string], bigint | null>;
    readForwards: Database.Statement<[string, bigint], EventRow>;
    readForwardsLimit: Database.Statement<[string, bigint, number], EventRow>;
    readBackwards: Database.Statement<[string, bigint], EventRow>;
    readBackwardsLimit: Database.Statement<[string, bigint, number], EventRow>;
    readBackwardsOne: Database.Statement<[string, bigint], EventRow>;
    streamExists: Database.Statement<[string], bigint>;
    head: Database.Statement<[], bigint | null>;
    dataVersion: Database.Statement<[], bigint>;
  };
  private readonly file: string;
  private readonly readAllStatements = new Map<string, Database.Statement<unknown[], EventRow>>();

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 1000;
    this.pageSize = options.pageSize ?? 500;
    this.groupCommit = options.groupCommit ?? true;
    const initialPosition = options.initialPosition ?? 1n;
    const retention = retentionMs(options.idempotencyRetentionDays);
    if (initialPosition < 1n || initialPosition > MAX_REVISION) {
      throw new InvalidArgument(`initialPosition must be between 1 and 2^63 - 1, got ${initialPosition}`);
    }

    this.file = options.file;
    preparePrivateFile(options.file);
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
      // A bound LIMIT makes SQLite prepare the statement again on every run (the planner takes the value
      // into account), which doubles the cost of a short read: the usual reads (whole stream, last event)
      // have statements of their own without one.
      readForwards: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision >= ? ORDER BY revision`,
      ),
      readForwardsLimit: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      readBackwards: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision <= ? ORDER BY revision DESC`,
      ),
      readBackwardsLimit: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      readBackwardsOne: db.prepare(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT 1`,
      ),
      streamExists: db.prepare<[string], bigint>(`SELECT 1 FROM ${TABLE} WHERE stream = ? LIMIT 1`).pluck(),
      head: db.prepare<[], bigint | null>(`SELECT max(position) FROM ${TABLE}`).pluck(),
      dataVersion: db.prepare<[], bigint>('PRAGMA data_version').pluck(),
    };
    this.writer = new SqliteWriter(db);
    this.bookkeeping = new SqliteBookkeeping(db, () => this.assertOpen());
    this.personalData = new SqlitePersonalData(db, () => this.assertOpen());
    this.purges = new PurgeSchedule(() =>
      this.bookkeeping.purgeIdempotencyRecords(new Date(Date.now() - retention)),
    );
    this.thread =
      this.groupCommit && (options.writerThread ?? false)
        ? new SqliteWriterThread({
            file: options.file,
            synchronous: options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
            busyTimeoutMs: options.busyTimeoutMs ?? 5000,
          })
        : undefined;
  }

  async appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    validateWrites(writes);
    validateIdempotency(options);
    // Encoded now: what was validated is what gets written, whatever the caller does with its objects.
    const encoded = encodeAppend(writes, options);
    if (!this.groupCommit || (!this.thread && this.pending.length === 0 && this.groupMode.goAtOnce())) {
      const results = this.writer.commit(encoded);
      if (!results[0].replayed) this.signal.notify();
      return results;
    }
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ append: encoded, resolve, reject });
      if (!this.thread) {
        // Committed when this turn of the event loop is over, with every other append made during it.
        if (this.pending.length === 1) setImmediate(this.commitPending);
        return;
      }
      if (this.pending.length === 1 && this.groupMode.goAtOnce(this.inFlight > 0)) {
        this.sendPending();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flushPending);
      }
    });
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows =
      options.direction === 'backwards'
        ? this.readBackwards(stream, options.fromRevision ?? MAX_REVISION, options.limit)
        : this.readForwards(stream, options.fromRevision ?? 0n, options.limit);
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
    const { statement, parameters } = this.readAllQuery(filter, options.limit);
    return statement.all(options.after ?? 0n, ...parameters).map(toRecorded);
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    const subscription = this.catchUp(
      handler,
      options,
      this.signal,
      { pageSize: this.pageSize, idleTimeoutMs: this.idleTimeoutMs, visibilityLag: false },
      async () => this.statements.head.get() ?? 0n,
    );
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

  /** A full disk or a read-only directory fails every commit while reads go on: readiness says so. */
  async checkWritable(): Promise<WriteReadiness> {
    this.assertOpen();
    return fileWriteReadiness([this.file]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Subscriptions are told to stop now, before anything below yields: one woken meanwhile must find
    // itself stopped, not the store closed under it.
    const subscriptionsStopped = this.subscriptions.stopAll();
    // Appends accepted before close() are committed, not dropped.
    if (this.thread) {
      this.sendPending();
      await this.lastGroup;
      await this.thread.close();
    } else {
      this.commitPending();
    }
    await subscriptionsStopped;
    await this.purges.stop();
    this.stopPolling();
    this.db.close();
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
        ${BOOKKEEPING_DDL}
        ${PERSONAL_DATA_DDL}
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

  /** The group commit on this connection: every append waiting, in call order, in one transaction. */
  private readonly commitPending = (): void => {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    this.groupMode.grouped(group.length);
    this.settle(group, this.writer.commitGroup(group.map((pending) => pending.append)));
  };

  private readonly flushPending = (): void => {
    this.flushScheduled = false;
    this.sendPending();
  };

  /**
   * Sends the appends made during this turn to the writer thread as one group. It commits groups in the
   * order they were sent (call order is commit order), and those that arrive while it commits go
   * together in its next transaction: sending does not wait for the answer to the group before.
   */
  private sendPending(): void {
    const thread = this.thread;
    const group = this.pending;
    if (!thread || group.length === 0) return;
    this.pending = [];
    this.groupMode.grouped(group.length);
    this.inFlight += 1;
    this.lastGroup = thread.commit(group.map((pending) => pending.append)).then(
      (outcomes) => {
        this.inFlight -= 1;
        this.settle(
          group,
          outcomes.map((outcome) =>
            'results' in outcome ? outcome : { error: deserializeError(outcome.error) },
          ),
        );
      },
      (error: unknown) => {
        this.inFlight -= 1;
        group.forEach((append) => append.reject(error));
      },
    );
  }

  private settle(group: readonly PendingAppend[], outcomes: readonly WriteOutcome[]): void {
    if (outcomes.some((outcome) => 'results' in outcome && !outcome.results[0].replayed))
      this.signal.notify();
    outcomes.forEach((outcome, index) => {
      if ('results' in outcome) group[index].resolve(outcome.results);
      else group[index].reject(outcome.error);
    });
  }

  private readForwards(stream: string, from: bigint, limit: number | undefined): EventRow[] {
    return limit === undefined
      ? this.statements.readForwards.all(stream, from)
      : this.statements.readForwardsLimit.all(stream, from, limit);
  }

  private readBackwards(stream: string, from: bigint, limit: number | undefined): EventRow[] {
    if (limit === undefined) return this.statements.readBackwards.all(stream, from);
    return limit === 1
      ? this.statements.readBackwardsOne.all(stream, from)
      : this.statements.readBackwardsLimit.all(stream, from, limit);
  }

  private currentRevision(stream: string): bigint {
    return this.statements.currentRevision.get(stream) ?? -1n;
  }

  /**
   * The statement of a readAll: prepared once per filter shape and limit. The limit is written into the
   * SQL, not bound: a bound LIMIT makes SQLite prepare the statement again on every run (see readStream),
   * and a subscription reads page after page with the same one.
   */
  private readAllQuery(
    filter: NormalizedFilter,
    limit: number | undefined,
  ): {
    statement: Database.Statement<unknown[], EventRow>;
    parameters: (string | number)[];
  } {
    const types = filter.eventTypes ?? [];
    const prefixes = filter.streamPrefixes ?? [];
    const literal = limit === undefined || (Number.isSafeInteger(limit) && limit < 1_000_000_000);
    const limitKey = limit === undefined || limit < 0 ? 'all' : literal ? String(limit) : '?';
    const key = `${filter.eventTypes ? types.length : '-'}:${filter.streamPrefixes ? prefixes.length : '-'}:${limitKey}`;
    let statement = this.readAllStatements.get(key);
    if (!statement) {
      const conditions = ['position > ?'];
      if (filter.streamPrefixes) {
        const one = '(substr(stream, 1, length(?)) = ?)';
        conditions.push(prefixes.length === 0 ? '0' : `(${prefixes.map(() => one).join(' OR ')})`);
      }
      if (filter.eventTypes) {
        conditions.push(types.length === 0 ? '0' : `type IN (${types.map(() => '?').join(', ')})`);
      }
      const limitClause = limitKey === 'all' ? '' : ` LIMIT ${limitKey}`;
      statement = this.db.prepare<unknown[], EventRow>(
        `SELECT ${COLUMNS} FROM ${TABLE} WHERE ${conditions.join(' AND ')} ORDER BY position${limitClause}`,
      );
      this.readAllStatements.set(key, statement);
    }
    const parameters: (string | number)[] = [...prefixes.flatMap((prefix) => [prefix, prefix]), ...types];
    if (limitKey === '?') parameters.push(limit as number);
    return { statement, parameters };
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
