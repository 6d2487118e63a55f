// Longer than our ~400 lines on purpose: the three append paths (alone, as a group commit, in a caller's
// transaction) and their mapping of the server's outcomes to the port's errors are one piece of reasoning
// and are read together; the SQL is in postgres-schema.ts, bookkeeping in postgres-bookkeeping.ts,
// notifications in postgres-notification-listener.ts.
import { DatabaseError, Pool, type ClientBase, type QueryResultRow } from 'pg';
import { IdempotencyRecordExists, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  IdempotencyRecordWrite,
  JsonObject,
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
import { normalizeFilter } from '../internal/event-filter';
import { numberToRevision } from '../internal/expected-revision';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { WakeSignal } from '../internal/wake-signal';
import { PostgresBookkeeping } from './postgres-bookkeeping';
import { PostgresPersonalData } from './postgres-personal-data';
import { PostgresNotificationListener } from './postgres-notification-listener';
import { GroupCommitMode } from '../sqlite/group-commit-mode';
import { MAX_EVENTS_PER_COMMIT } from './postgres-position';
import { appendResult } from '../internal/append-result';
import {
  APPEND_BUSY,
  APPEND_IDS_EXIST,
  APPEND_OK,
  APPEND_RECORD_EXISTS,
  APPEND_WRONG_EXPECTED_REVISION,
  assertSchemaName,
  notificationChannel,
  schemaDdl,
} from './postgres-schema';

/**
 * A database that hangs (a stopped server, a dead link that still looks open, a failover in progress)
 * must not hang a request: every wait has a bound, after which the caller gets an error it can answer
 * 503 (see availability/store-failure.ts).
 */
export interface PostgresTimeouts {
  /** Opening a connection (node-postgres connectionTimeoutMillis). */
  readonly connectMs: number;
  /** Server side: a statement running longer is cancelled and rolled back (statement_timeout). */
  readonly statementMs: number;
  /** Client side: an answer that does not come (the server is stopped) fails the query (query_timeout). */
  readonly queryMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
  connectMs: 5_000,
  statementMs: 15_000,
  queryMs: 20_000,
};

/** node-postgres Pool/Client settings for `timeouts`; keepAlive notices a peer that vanished. */
export function poolTimeouts(timeouts: PostgresTimeouts): {
  connectionTimeoutMillis: number;
  statement_timeout: number;
  query_timeout: number;
  keepAlive: boolean;
  keepAliveInitialDelayMillis: number;
} {
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the events table and append function; created when missing. Default `event_store`. */
  readonly schema?: string;
  /** Pooled connections for appends and reads (LISTEN uses one more, of its own). Default 10. */
  readonly poolSize?: number;
  /**
   * Longest a subscription waits before reading again without a notification. Notifications from this
   * process are immediate, from others they come by LISTEN/NOTIFY; polling covers a lost one. Default 250.
   */
  readonly pollIntervalMs?: number;
  /** Events per read while a subscription catches up. Default 500. */
  readonly pageSize?: number;
  /**
   * Least time between two NOTIFYs to other processes. Each NOTIFY is a transaction of its own that
   * serialises with every other notifying commit, so one per append would halve append throughput;
   * appends within the interval share one. Default 10 ms.
   */
  readonly notifyIntervalMs?: number;
  /**
   * Group commit (default true): appends called in the same turn of the event loop (concurrent requests,
   * concurrent appenders) go to the server together, as one call of append_event_groups(): one round
   * trip, one transaction, one WAL flush, each append decided as it would be alone (a refused one writes
   * nothing and does not affect the others). Appends sharing a stream or an event id go in separate
   * groups. A lone appender's appends soon go at once (see GroupCommitMode). False sends each append
   * on its own; exposed to measure the difference.
   */
  readonly groupCommit?: boolean;
  /** Days an idempotency record is kept (default 30); older ones are purged at start and every hour. */
  readonly idempotencyRetentionDays?: number;
  /** Time bounds on every connection and statement (see PostgresTimeouts); defaults in DEFAULT_POSTGRES_TIMEOUTS. */
  readonly timeouts?: Partial<PostgresTimeouts>;
}

interface EventRow extends QueryResultRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  schema_version: number;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
}

interface AppendRow extends QueryResultRow {
  out_status: string;
  out_write: number | null;
  out_revision: string | null;
  out_position: string | null;
}

interface GroupRow extends AppendRow {
  out_append: number;
}

/** Where a successful write's last event landed, as the append function returns it. */
function storedAt(row: AppendRow): { revision: bigint; position: bigint } {
  return { revision: BigInt(row.out_revision ?? -1), position: BigInt(row.out_position ?? -1) };
}

/** An append waiting for the group commit. */
interface PendingAppend {
  readonly writes: readonly StreamWrite[];
  readonly records: readonly IdempotencyRecordWrite[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Largest group: short transactions keep stream locks and delivery (visible_bound) waits short. */
const MAX_GROUP_APPENDS = 128;
const MAX_GROUP_EVENTS = 10_000;

/** Conflicts PostgreSQL reports when the server runs stricter isolation or lock timeouts than ours. */
const TRANSIENT_CONFLICTS = new Set(['40001', '40P01', '55P03']);
const UNIQUE_VIOLATION = '23505';
const MAX_APPEND_ATTEMPTS = 5;
const EVENT_COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, recorded_at';

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

function expectedParameter(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}

/** The append function's arguments: per write, then per event, flattened in commit order. */
function appendParameters(writes: readonly StreamWrite[]): unknown[] {
  const events: { write: number; event: EventToAppend }[] = writes.flatMap((write, index) =>
    write.events.map((event) => ({ write: index + 1, event })),
  );
  return [
    writes.map((write) => write.stream),
    writes.map((write) => expectedParameter(write.expected)),
    writes.map((write) => write.events.length),
    events.map((item) => item.write),
    events.map((item) => item.event.id),
    events.map((item) => item.event.type),
    events.map((item) => item.event.schemaVersion),
    events.map((item) => JSON.stringify(item.event.data)),
    events.map((item) => JSON.stringify(item.event.metadata)),
  ];
}

/** The idempotency records' arguments, after the events'. */
function recordParameters(records: readonly IdempotencyRecordWrite[]): unknown[] {
  return [
    records.map((record) => record.scope),
    records.map((record) => record.key),
    records.map((record) => JSON.stringify(record.record)),
  ];
}

/** A record's identity, for keeping two appends under one key out of one group. */
function recordId(record: IdempotencyRecordWrite): string {
  return `${record.scope}\n${record.key}`;
}

/**
 * PostgreSQL through a node-postgres Pool. Global order by transaction ids (see postgres-schema.ts):
 * position = (xid << 20) | ordinal, and readers only see positions below the oldest xid of any append
 * still in flight (never below xmax of their snapshot), so an event whose transaction commits late is
 * delivered late, never skipped, and transactions that do not append never hold delivery back. Appends
 * are one call of a plpgsql function (one round trip), which serialises writers per stream with advisory
 * locks before it assigns the xid.
 */
export class PostgresEventStore extends StoreBase implements EventStore {
  readonly kind = 'postgres' as const;
  readonly capabilities = { atomicMultiStreamAppend: true, purgesIdempotencyRecords: true } as const;
  readonly schema: string;
  readonly bookkeeping: PostgresBookkeeping;
  readonly personalData: PostgresPersonalData;

  private readonly pool: Pool;
  private readonly signal = new WakeSignal();
  private readonly listener: PostgresNotificationListener;
  private readonly channel: string;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly sql: Record<
    | 'append'
    | 'appendGroup'
    | 'readAll'
    | 'readForwards'
    | 'readBackwards'
    | 'streamExists'
    | 'streamRevision'
    | 'head'
    | 'byIds',
    { name: string; text: string }
  >;
  private readonly notifyIntervalMs: number;
  private schemaReady: Promise<void> | undefined;
  private notifying: Promise<void> | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private notifyPending = false;
  private lastNotifyAt = 0;
  private readonly groupCommit: boolean;
  private readonly groupMode = new GroupCommitMode();
  private pending: PendingAppend[] = [];
  /** Appends sent to the server and not answered yet. */
  private appendsInFlight = 0;
  private readonly groupsInFlight = new Set<Promise<void>>();
  private readonly purges: PurgeSchedule;

  constructor(options: PostgresEventStoreOptions) {
    super();
    const schema = options.schema ?? 'event_store';
    assertSchemaName(schema);
    this.schema = schema;
    this.channel = notificationChannel(schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pageSize = options.pageSize ?? 500;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 10;
    this.groupCommit = options.groupCommit ?? true;
    const retention = retentionMs(options.idempotencyRetentionDays);
    // Per session, whatever the server defaults say, sent as startup options so they hold before the first
    // query on a connection (a SET from the pool's 'connect' event would race the pool's own first query).
    // Statements are prepared once per connection, and a generic plan made while the table was small (a
    // seq scan) would stay as it grows; each of ours has an index to use, so seq scans are ruled out. The
    // ordering argument (postgres-schema.ts) needs a fresh snapshot per statement: READ COMMITTED.
    const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...options.timeouts };
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      options: '-c enable_seqscan=off -c default_transaction_isolation=read\\ committed',
      ...poolTimeouts(timeouts),
    });
    // An idle pooled connection that dies emits 'error' on the pool; the pool discards it and the next
    // query opens a new one. Without a listener the process would crash.
    this.pool.on('error', () => undefined);
    this.listener = new PostgresNotificationListener(
      options.connectionString,
      this.channel,
      () => this.signal.notify(),
      timeouts.connectMs,
    );

    const table = `${schema}.events`;
    const statement = (name: string, text: string): { name: string; text: string } => ({
      name: `wfes_${schema}_${name}`,
      text,
    });
    this.sql = {
      append: statement(
        'append',
        `SELECT out_status, out_write, out_revision, out_position
           FROM ${schema}.append_events($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[],
                                        $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
      ),
      appendGroup: statement(
        'append_group',
        `SELECT out_append, out_status, out_write, out_revision, out_position
           FROM ${schema}.append_event_groups($1::int[], $2::text[], $3::text[], $4::int[], $5::int[],
                                              $6::text[], $7::text[], $8::int[], $9::text[], $10::text[],
                                              $11::int[], $12::text[], $13::text[], $14::text[])`,
      ),
      readAll: statement(
        'read_all',
        `SELECT ${EVENT_COLUMNS} FROM ${schema}.read_all($1::bigint, $2::text[], $3::text[], $4::int)`,
      ),
      readForwards: statement(
        'read_forwards',
        `SELECT ${EVENT_COLUMNS} FROM ${table} WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      ),
      readBackwards: statement(
        'read_backwards',
        `SELECT ${EVENT_COLUMNS} FROM ${table} WHERE stream = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`,
      ),
      streamExists: statement('stream_exists', `SELECT 1 FROM ${table} WHERE stream = $1 LIMIT 1`),
      streamRevision: statement(
        'stream_revision',
        `SELECT max(revision) AS revision FROM ${table} WHERE stream = $1`,
      ),
      head: statement('head', `SELECT ${schema}.visible_head() AS position`),
      byIds: statement('by_ids', `SELECT ${EVENT_COLUMNS} FROM ${table} WHERE id = ANY ($1::text[])`),
    };
    this.bookkeeping = new PostgresBookkeeping(this.pool, schema, () => this.ready());
    this.personalData = new PostgresPersonalData(this.pool, schema, () => this.ready());
    this.purges = new PurgeSchedule(() =>
      this.bookkeeping.purgeIdempotencyRecords(new Date(Date.now() - retention)),
    );
  }

  /** Open, with its schema: what every statement waits for. */
  private async ready(): Promise<void> {
    this.assertOpen();
    await this.ensureSchema();
  }

  /** Creates the schema, table and append function when missing (idempotent, safe to race). */
  ensureSchema(): Promise<void> {
    this.schemaReady ??= this.createSchema().catch((error: unknown) => {
      this.schemaReady = undefined;
      throw error;
    });
    return this.schemaReady;
  }

  async appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    validateWrites(writes, MAX_EVENTS_PER_COMMIT);
    validateIdempotency(options);
    const records = [...(options?.idempotency ?? [])];
    await this.ensureSchema();
    const atOnce =
      !this.groupCommit || (this.pending.length === 0 && this.groupMode.goAtOnce(this.appendsInFlight > 0));
    const results = atOnce ? await this.runTracked(writes, records) : await this.enqueue(writes, records);
    if (!results[0].replayed) this.announceAppend();
    return results;
  }

  /**
   * Appends inside a transaction the caller holds open on `client` (BEGIN before, COMMIT or ROLLBACK after).
   * It must be the first write of that transaction, or the function refuses (the xid must be assigned
   * after the stream locks). Subscribers see the events once the caller commits (by polling, or sooner if
   * the caller calls `announceAppend()`). Meant for tests of the ordering guarantees, and for callers
   * that need an append to commit together with their own writes.
   */
  async appendInTransaction(
    client: ClientBase,
    writes: readonly StreamWrite[],
    options?: AppendOptions,
  ): Promise<AppendResult[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    validateWrites(writes, MAX_EVENTS_PER_COMMIT);
    validateIdempotency(options);
    await this.ensureSchema();
    return this.runAppend(writes, options?.idempotency ?? [], client);
  }

  /**
   * Wakes this process's subscriptions now, and tells other processes (NOTIFY, at most one per
   * notifyIntervalMs) that events were committed.
   */
  announceAppend(): void {
    this.signal.notify();
    this.notifyPending = true;
    this.scheduleNotification();
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    await this.ensureSchema();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? (1n << 63n) - 1n : 0n);
    const sql = backwards ? this.sql.readBackwards : this.sql.readForwards;
    const { rows } = await this.pool.query<EventRow>({
      ...sql,
      values: [stream, from.toString(), options.limit ?? null],
    });
    if (rows.length === 0) {
      const exists = await this.pool.query({ ...this.sql.streamExists, values: [stream] });
      if (exists.rowCount === 0) throw new StreamNotFound(stream);
    }
    return rows.map(toRecorded);
  }

  async streamRevision(stream: string): Promise<ActualRevision> {
    this.assertOpen();
    await this.ensureSchema();
    const { rows } = await this.pool.query<{ revision: string | null }>({
      ...this.sql.streamRevision,
      values: [stream],
    });
    return rows[0].revision === null ? 'no_stream' : BigInt(rows[0].revision);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    await this.ensureSchema();
    const filter = normalizeFilter(options.filter);
    const { rows } = await this.pool.query<EventRow>({
      ...this.sql.readAll,
      values: [
        (options.after ?? 0n).toString(),
        filter.eventTypes ?? null,
        filter.streamPrefixes ?? null,
        options.limit ?? null,
      ],
    });
    return rows.map(toRecorded);
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    this.listener.start();
    return this.catchUp(handler, options, this.signal, {
      pageSize: this.pageSize,
      idleTimeoutMs: this.pollIntervalMs,
      visibilityLag: true,
    });
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    await this.ensureSchema();
    const { rows } = await this.pool.query<{ position: string }>(this.sql.head);
    return BigInt(rows[0].position);
  }

  /** A standby (or a primary in recovery) answers reads and refuses every write: readiness says so. */
  async checkWritable(): Promise<WriteReadiness> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ recovery: boolean; read_only: string }>(
      `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only`,
    );
    if (rows[0].recovery)
      return { writable: false, reason: 'the database is a standby in recovery (read-only)' };
    if (rows[0].read_only === 'on') return { writable: false, reason: 'the database is read-only' };
    return { writable: true };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Subscriptions are told to stop now, before anything below yields: one woken meanwhile (its poll
    // timer, a notification) must find itself stopped, not the store closed under it.
    const subscriptionsStopped = this.subscriptions.stopAll();
    // Appends accepted before close() are sent and awaited, not dropped: one turn of the event loop lets
    // those still waiting for ensureSchema() join the queue, which then goes out at once.
    await new Promise((resolve) => setImmediate(resolve));
    this.sendPending();
    await Promise.allSettled([...this.groupsInFlight]);
    await subscriptionsStopped;
    await this.purges.stop();
    await this.listener.stop();
    if (this.notifyTimer) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      if (!this.notifying) this.notifying = this.sendNotification();
    }
    await this.notifying;
    await this.pool.end();
  }

  private async createSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogs; serialise the DDL.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['wasteflow-event-store-ddl']);
      await client.query(schemaDdl(this.schema));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Runs append_events() and maps its outcome. On our own connection (no caller transaction), conflicts
   * that only stricter server settings produce (serialization failure, deadlock, lock timeout, a revision
   * taken under a stale snapshot) are retried; they can only mean "try again", and a retry either
   * succeeds or reports the real WrongExpectedRevision.
   */
  private async runAppend(
    writes: readonly StreamWrite[],
    records: readonly IdempotencyRecordWrite[],
    client: ClientBase | undefined,
  ): Promise<AppendResult[]> {
    const values = [...appendParameters(writes), ...recordParameters(records)];
    for (let attempt = 1; ; attempt += 1) {
      let rows: AppendRow[];
      try {
        rows = (await (client ?? this.pool).query<AppendRow>({ ...this.sql.append, values })).rows;
      } catch (error) {
        if (!(error instanceof DatabaseError)) throw error;
        if (error.code === UNIQUE_VIOLATION && error.constraint === 'idempotency_records_pkey') {
          // Imported meanwhile by a migration (imports do not take the key's lock): recorded all the same.
          throw this.recordExists(records, error);
        }
        const idTaken = error.code === UNIQUE_VIOLATION && error.constraint === 'events_id_uq';
        const transient =
          TRANSIENT_CONFLICTS.has(error.code ?? '') ||
          (error.code === UNIQUE_VIOLATION && error.constraint === 'events_stream_revision_uq');
        if (idTaken) {
          // Another transaction stored one of our ids after our check; decide as if we had seen it.
          const resolved = await this.resolveStored(writes);
          if (resolved) return resolved;
        }
        if ((idTaken || transient) && !client && attempt < MAX_APPEND_ATTEMPTS) continue;
        if (idTaken || transient) {
          const write = writes[0];
          throw new WrongExpectedRevision(
            write.stream,
            write.expected,
            await this.streamRevision(write.stream),
            {
              cause: error,
            },
          );
        }
        throw error;
      }

      const outcome = rows[0];
      if (outcome.out_status === APPEND_OK) {
        return rows
          .sort((a, b) => (a.out_write ?? 0) - (b.out_write ?? 0))
          .map((row, index) => appendResult(writes[index], storedAt(row), false));
      }
      if (outcome.out_status === APPEND_WRONG_EXPECTED_REVISION) {
        const write = writes[(outcome.out_write ?? 1) - 1];
        throw new WrongExpectedRevision(
          write.stream,
          write.expected,
          numberToRevision(BigInt(outcome.out_revision ?? -1)),
        );
      }
      if (outcome.out_status === APPEND_RECORD_EXISTS) {
        const record = records[(outcome.out_write ?? 1) - 1];
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
      if (outcome.out_status === APPEND_IDS_EXIST) {
        const resolved = await this.resolveStored(writes);
        if (resolved) return resolved;
        continue;
      }
      throw new Error(`append_events() returned an unknown status ${outcome.out_status}`);
    }
  }

  private recordExists(records: readonly IdempotencyRecordWrite[], cause: DatabaseError): Error {
    const match = records.find((record) => cause.detail?.includes(record.key)) ?? records[0];
    return match ? new IdempotencyRecordExists(match.scope, match.key) : cause;
  }

  /** Queues an append for the group commit at the end of this turn of the event loop. */
  private enqueue(
    writes: readonly StreamWrite[],
    records: readonly IdempotencyRecordWrite[],
  ): Promise<AppendResult[]> {
    // The arrays are copied: what was validated is what gets written.
    const snapshot = writes.map((write) => ({ ...write, events: [...write.events] }));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ writes: snapshot, records, resolve, reject });
      if (this.pending.length === 1) setImmediate(this.sendPending);
    });
  }

  /**
   * Cuts the waiting appends, in call order, into groups of appends on distinct streams and ids (the next
   * append sharing one starts a new group) and sends every group at once, each on its own connection.
   */
  private readonly sendPending = (): void => {
    const queued = this.pending;
    if (queued.length === 0) return;
    this.pending = [];
    this.groupMode.grouped(queued.length);
    let group: PendingAppend[] = [];
    let streams = new Set<string>();
    let ids = new Set<string>();
    let keys = new Set<string>();
    let events = 0;
    const send = (): void => {
      if (group.length === 0) return;
      const members = group;
      // Whatever goes wrong, no append is left waiting (settling a settled promise does nothing).
      const sent = this.commitGroup(members).catch((error: unknown) => {
        for (const append of members) append.reject(error);
      });
      this.groupsInFlight.add(sent);
      void sent.finally(() => this.groupsInFlight.delete(sent));
    };
    for (const append of queued) {
      const count = append.writes.reduce((sum, write) => sum + write.events.length, 0);
      const overlaps =
        append.writes.some((write) => streams.has(write.stream)) ||
        append.writes.some((write) => write.events.some((event) => ids.has(event.id))) ||
        append.records.some((record) => keys.has(recordId(record)));
      if (overlaps || group.length === MAX_GROUP_APPENDS || events + count > MAX_GROUP_EVENTS) {
        send();
        group = [];
        streams = new Set();
        ids = new Set();
        keys = new Set();
        events = 0;
      }
      group.push(append);
      events += count;
      for (const write of append.writes) {
        streams.add(write.stream);
        for (const event of write.events) ids.add(event.id);
      }
      for (const record of append.records) keys.add(recordId(record));
    }
    send();
  };

  /** runAppend() on a pooled connection, counted in appendsInFlight while it runs. */
  private async runTracked(
    writes: readonly StreamWrite[],
    records: readonly IdempotencyRecordWrite[],
  ): Promise<AppendResult[]> {
    this.appendsInFlight += 1;
    try {
      return await this.runAppend(writes, records, undefined);
    } finally {
      this.appendsInFlight -= 1;
    }
  }

  /** One group: a single append takes the usual path; more go to append_event_groups() together. */
  private async commitGroup(group: readonly PendingAppend[]): Promise<void> {
    const alone = (append: PendingAppend): Promise<void> =>
      this.runTracked(append.writes, append.records).then(append.resolve, append.reject);
    if (group.length === 1) return alone(group[0]);
    this.appendsInFlight += group.length;
    try {
      await this.commitGroupTogether(group, alone);
    } finally {
      this.appendsInFlight -= group.length;
    }
  }

  private async commitGroupTogether(
    group: readonly PendingAppend[],
    alone: (append: PendingAppend) => Promise<void>,
  ): Promise<void> {
    const writes = group.flatMap((append) => append.writes);
    const appendOfWrite = group.flatMap((append, index) => append.writes.map(() => index + 1));
    const records = group.flatMap((append) => append.records);
    const appendOfRecord = group.flatMap((append, index) => append.records.map(() => index + 1));
    let rows: GroupRow[];
    try {
      rows = (
        await this.pool.query<GroupRow>({
          ...this.sql.appendGroup,
          values: [appendOfWrite, ...appendParameters(writes), appendOfRecord, ...recordParameters(records)],
        })
      ).rows;
    } catch (error) {
      if (!(error instanceof DatabaseError)) {
        // The connection failed: whether the group committed is unknown, as it would be for one append.
        for (const append of group) append.reject(error);
        return;
      }
      // The server refused the group as a whole and rolled it back (an id or a revision taken by another
      // process between check and insert, a transient conflict, a value the column refuses): each append
      // goes on its own and gets the outcome it has alone.
      await Promise.all(group.map(alone));
      return;
    }

    let firstWrite = 0;
    const retries: Promise<void>[] = [];
    group.forEach((append, index) => {
      const mine = rows.filter((row) => row.out_append === index + 1);
      const offset = firstWrite;
      firstWrite += append.writes.length;
      const [outcome] = mine;
      if (outcome?.out_status === APPEND_OK) {
        append.resolve(
          mine
            .sort((a, b) => (a.out_write ?? 0) - (b.out_write ?? 0))
            .map((row) => appendResult(writes[(row.out_write ?? 0) - 1], storedAt(row), false)),
        );
      } else if (outcome?.out_status === APPEND_WRONG_EXPECTED_REVISION) {
        const write = writes[(outcome.out_write ?? offset + 1) - 1];
        append.reject(
          new WrongExpectedRevision(
            write.stream,
            write.expected,
            numberToRevision(BigInt(outcome.out_revision ?? -1)),
          ),
        );
      } else if (outcome?.out_status === APPEND_RECORD_EXISTS) {
        const record = records[(outcome.out_write ?? 1) - 1];
        append.reject(new IdempotencyRecordExists(record.scope, record.key));
      } else if (outcome?.out_status === APPEND_IDS_EXIST || outcome?.out_status === APPEND_BUSY) {
        // A replay, a duplicate or a race to decide, or a stream held by another transaction: alone.
        retries.push(alone(append));
      } else {
        append.reject(new Error(`append_event_groups() returned an unknown status ${outcome?.out_status}`));
      }
    });
    await Promise.all(retries);
  }

  /** Stored events never change, so deciding on committed rows outside the append is safe. */
  private async resolveStored(writes: readonly StreamWrite[]): Promise<AppendResult[] | undefined> {
    const ids = writes.flatMap((write) => write.events.map((event) => event.id));
    const stored = await this.pool.query<EventRow>({ ...this.sql.byIds, values: [ids] });
    if (stored.rows.length === 0) return undefined;
    return resolveStoredCommit(
      writes,
      new Map<string, StoredEvent>(stored.rows.map((row) => [row.id, toRecorded(row)])),
    );
  }

  private scheduleNotification(): void {
    if (this.notifying || this.notifyTimer || this.closed) return;
    const wait = Math.max(0, this.lastNotifyAt + this.notifyIntervalMs - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.notifying = this.sendNotification().finally(() => {
        this.notifying = undefined;
        if (this.notifyPending) this.scheduleNotification();
      });
    }, wait);
    this.notifyTimer.unref();
  }

  private async sendNotification(): Promise<void> {
    this.notifyPending = false;
    this.lastNotifyAt = Date.now();
    try {
      // Nothing depends on the notification being durable: skip the WAL flush wait for its commit.
      await this.pool.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`, [
        this.channel,
      ]);
    } catch {
      // A lost notification only delays other processes until their next poll.
    }
  }
}
