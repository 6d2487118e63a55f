import type Database from 'better-sqlite3';
import {
  DuplicateEventId,
  EventStoreError,
  IdempotencyRecordExists,
  InvalidArgument,
  WrongExpectedRevision,
} from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  StreamWrite,
} from '../event-store.port';
import { numberToRevision, satisfiesExpected } from '../internal/expected-revision';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { appendResult } from '../internal/append-result';

/**
 * The write side of the SQLite adapter: appends, each in a transaction of its own or several in one
 * (group commit, each in a SAVEPOINT). Synchronous, on one connection: the store runs it on its own
 * connection, or in a worker thread on the worker's (sqlite-writer.worker.ts), so that the commit — the
 * inserts, the WAL writes, the fsync of synchronous=FULL, the checkpoints — does not stop the event loop.
 * Events arrive encoded (data and metadata as JSON text), so they cross to a worker as plain strings.
 */

export const TABLE = 'event_log';
export const COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, recorded_at';
/** Bookkeeping beside the log (docs/adr/0008): answers kept under clients' idempotency keys. */
export const IDEMPOTENCY_TABLE = 'idempotency_records';

export interface EventRow {
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

export interface EncodedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
}

export interface EncodedWrite {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly EncodedEvent[];
}

export interface EncodedRecord {
  readonly scope: string;
  readonly key: string;
  readonly record: string;
}

/** One appendToStreams call: its writes and the idempotency records committed with them. */
export interface EncodedAppend {
  readonly writes: readonly EncodedWrite[];
  readonly records: readonly EncodedRecord[];
}

export type WriteOutcome = { readonly results: AppendResult[] } | { readonly error: unknown };

/** Throws what JSON.stringify throws (a bigint, a cycle): the append fails before it is sent. */
export function encodeAppend(writes: readonly StreamWrite[], options: AppendOptions = {}): EncodedAppend {
  return {
    writes: writes.map((write) => ({
      stream: write.stream,
      expected: write.expected,
      events: write.events.map(encodeEvent),
    })),
    records: (options.idempotency ?? []).map((record) => ({
      scope: record.scope,
      key: record.key,
      record: JSON.stringify(record.record),
    })),
  };
}

function encodeEvent(event: EventToAppend): EncodedEvent {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  };
}

/** A row as the port's event (also what an idempotent retry compares with). */
export function toRecorded(row: EventRow): RecordedEvent {
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

/** The appends as the idempotent-retry decision reads them (content parsed back). */
function decoded(writes: readonly EncodedWrite[]): StreamWrite[] {
  return writes.map((write) => ({
    stream: write.stream,
    expected: write.expected,
    events: write.events.map((event) => ({
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: JSON.parse(event.data),
      metadata: JSON.parse(event.metadata),
    })),
  }));
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

/** Thrown inside the transaction to roll it back and retry with the slower, id-first path. */
class RetryLookingUpIds extends Error {}

export class SqliteWriter {
  private readonly statements: {
    currentRevision: Database.Statement<[string], bigint | null>;
    insert: Database.Statement<[string, string, bigint, string, number, string, string, number]>;
    byId: Database.Statement<[string], EventRow>;
    recordExists: Database.Statement<[string, string], bigint>;
    insertRecord: Database.Statement<[string, string, string, number]>;
  };
  private readonly appendTransaction: (append: EncodedAppend, lookUpIdsFirst: boolean) => AppendResult[];
  private readonly groupTransaction: (group: readonly EncodedAppend[]) => WriteOutcome[];

  constructor(db: Database.Database) {
    this.statements = {
      currentRevision: db
        .prepare<[string], bigint | null>(`SELECT max(revision) FROM ${TABLE} WHERE stream = ?`)
        .pluck(),
      insert: db.prepare(
        `INSERT INTO ${TABLE} (id, stream, revision, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      byId: db.prepare(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = ?`),
      recordExists: db
        .prepare<[string, string], bigint>(`SELECT 1 FROM ${IDEMPOTENCY_TABLE} WHERE scope = ? AND key = ?`)
        .pluck(),
      insertRecord: db.prepare(
        `INSERT INTO ${IDEMPOTENCY_TABLE} (scope, key, record, recorded_at) VALUES (?, ?, ?, ?)`,
      ),
    };
    this.appendTransaction = db.transaction((append: EncodedAppend, lookUpIdsFirst: boolean) =>
      this.appendInTransaction(append, lookUpIdsFirst),
    ).immediate;
    // Called inside the group's transaction, appendTransaction runs in a SAVEPOINT (better-sqlite3 nests
    // transaction functions that way): a typed failure rolls back to it and the group goes on. Any other
    // error (a driver error: disk full, I/O) rolls back the whole group, which then commits one by one.
    this.groupTransaction = db.transaction((group: readonly EncodedAppend[]) =>
      group.map((append): WriteOutcome => {
        try {
          return { results: this.commit(append) };
        } catch (error) {
          if (error instanceof EventStoreError) return { error };
          throw error;
        }
      }),
    ).immediate;
  }

  /** Commits one append in a transaction of its own; throws its failure. */
  commit(append: EncodedAppend): AppendResult[] {
    try {
      return this.appendTransaction(append, false);
    } catch (error) {
      if (!(error instanceof RetryLookingUpIds)) throw error;
      return this.appendTransaction(append, true);
    }
  }

  /**
   * Commits appends in call order, in one transaction when there are several: each gets the outcome it
   * would have had committed alone. When the group fails as a whole (an error that is not the store's),
   * nothing of it was committed and each append is committed alone.
   */
  commitGroup(group: readonly EncodedAppend[]): WriteOutcome[] {
    if (group.length > 1) {
      try {
        return this.groupTransaction(group);
      } catch {
        // Nothing of the group was committed; each append gets the outcome it has on its own.
      }
    }
    return group.map((append): WriteOutcome => {
      try {
        return { results: this.commit(append) };
      } catch (error) {
        return { error };
      }
    });
  }

  private currentRevision(stream: string): bigint {
    return this.statements.currentRevision.get(stream) ?? -1n;
  }

  /**
   * Runs inside BEGIN IMMEDIATE. A key recorded already refuses the commit first. The fast path trusts the
   * unique index on id to catch a reused id; only when the expectations fail or the index objects does it
   * look the ids up and decide between an idempotent retry and a duplicate (re-running the whole commit,
   * so a half-inserted batch is rolled back). The records are inserted with the events, never for a replay.
   */
  private appendInTransaction(append: EncodedAppend, lookUpIdsFirst: boolean): AppendResult[] {
    for (const record of append.records) {
      if (this.statements.recordExists.get(record.scope, record.key) !== undefined) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
    const results = this.appendEvents(append.writes, lookUpIdsFirst);
    if (append.records.length > 0 && !results[0].replayed) {
      const recordedAt = Date.now();
      for (const record of append.records) {
        this.statements.insertRecord.run(record.scope, record.key, record.record, recordedAt);
      }
    }
    return results;
  }

  private appendEvents(writes: readonly EncodedWrite[], lookUpIdsFirst: boolean): AppendResult[] {
    if (lookUpIdsFirst) {
      const stored = this.lookUpIds(writes);
      if (stored.size > 0) return resolveStoredCommit(decoded(writes), stored);
    }
    const revisionAfter = new Map<string, bigint>();
    const firstRevisions: bigint[] = [];
    for (const write of writes) {
      const current = revisionAfter.get(write.stream) ?? this.currentRevision(write.stream);
      if (!satisfiesExpected(write.expected, numberToRevision(current))) {
        if (!lookUpIdsFirst) {
          const stored = this.lookUpIds(writes);
          if (stored.size > 0) {
            return resolveStoredCommit(decoded(writes), stored);
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
        try {
          position = this.statements.insert.run(
            event.id,
            write.stream,
            first + BigInt(offset),
            event.type,
            event.schemaVersion,
            event.data,
            event.metadata,
            recordedAt,
          ).lastInsertRowid as bigint;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (error.message.includes(`${TABLE}.id`)) {
            if (!lookUpIdsFirst) throw new RetryLookingUpIds();
            throw new DuplicateEventId(event.id, 'is already stored', { cause: error });
          }
          // Unreachable while appends hold the write lock; mapped so no driver error escapes for a conflict.
          throw new WrongExpectedRevision(
            write.stream,
            write.expected,
            numberToRevision(this.currentRevision(write.stream)),
            { cause: error },
          );
        }
      });
      return appendResult(write, { revision: first + BigInt(write.events.length - 1), position }, false);
    });
  }

  private lookUpIds(writes: readonly EncodedWrite[]): Map<string, StoredEvent> {
    const stored = new Map<string, StoredEvent>();
    for (const write of writes) {
      for (const event of write.events) {
        const row = this.statements.byId.get(event.id);
        if (row) stored.set(row.id, toRecorded(row));
      }
    }
    return stored;
  }
}

/** A failure as it crosses from the writer thread: the store's typed errors keep their class and fields. */
export type SerializedError =
  | {
      readonly kind: 'wrong_expected_revision';
      readonly stream: string;
      readonly expected: ExpectedRevision;
      readonly actual: bigint | 'no_stream';
    }
  | { readonly kind: 'duplicate_event_id'; readonly eventId: string; readonly reason: string }
  | { readonly kind: 'idempotency_record_exists'; readonly scope: string; readonly key: string }
  | { readonly kind: 'invalid_argument'; readonly message: string }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly code?: unknown };

export type SerializedOutcome = { readonly results: AppendResult[] } | { readonly error: SerializedError };

export function serializeOutcome(outcome: WriteOutcome): SerializedOutcome {
  if ('results' in outcome) return outcome;
  const error = outcome.error;
  if (error instanceof WrongExpectedRevision) {
    return {
      error: {
        kind: 'wrong_expected_revision',
        stream: error.stream,
        expected: error.expected,
        actual: error.actual,
      },
    };
  }
  if (error instanceof DuplicateEventId) {
    return { error: { kind: 'duplicate_event_id', eventId: error.eventId, reason: error.reason } };
  }
  if (error instanceof IdempotencyRecordExists) {
    return { error: { kind: 'idempotency_record_exists', scope: error.scope, key: error.key } };
  }
  if (error instanceof InvalidArgument)
    return { error: { kind: 'invalid_argument', message: error.message } };
  const { name, message, code } = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return {
    error: {
      kind: 'other',
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : String(error),
      ...(code === undefined ? {} : { code }),
    },
  };
}

export function deserializeError(error: SerializedError): Error {
  switch (error.kind) {
    case 'wrong_expected_revision':
      return new WrongExpectedRevision(error.stream, error.expected, error.actual);
    case 'duplicate_event_id':
      return new DuplicateEventId(error.eventId, error.reason);
    case 'idempotency_record_exists':
      return new IdempotencyRecordExists(error.scope, error.key);
    case 'invalid_argument':
      return new InvalidArgument(error.message);
    default: {
      const restored = new Error(error.message) as Error & { code?: unknown };
      restored.name = error.name;
      if (error.code !== undefined) restored.code = error.code;
      return restored;
    }
  }
}
