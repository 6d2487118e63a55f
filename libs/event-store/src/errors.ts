import type { ActualRevision, ExpectedRevision } from './event-store.port';

/**
 * Every failure the store reports on purpose. Callers branch on `code` (stable, snake_case) or on the
 * class; driver errors for concurrency conflicts never escape an adapter, they are mapped to these.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Renders a revision for messages; bigint has no JSON form and `String(1n)` loses the kind. */
export function describeRevision(revision: ExpectedRevision | ActualRevision): string {
  return typeof revision === 'bigint' ? revision.toString() : revision;
}

export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'wrong_expected_revision' as const;

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
    options?: { cause?: unknown },
  ) {
    super(
      `Wrong expected revision on stream "${stream}": expected ${describeRevision(expected)}, actual ${describeRevision(actual)}`,
      options,
    );
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'stream_not_found' as const;

  constructor(readonly stream: string) {
    super(`Stream "${stream}" has no events`);
  }
}

/** An event id already stored with other content or in another place (stream, revision or commit). */
export class DuplicateEventId extends EventStoreError {
  readonly code = 'duplicate_event_id' as const;

  constructor(
    readonly eventId: string,
    readonly reason: string = 'already stored with other content or in another place',
    options?: { cause?: unknown },
  ) {
    super(`Event id "${eventId}" ${reason}`, options);
  }
}

/**
 * An append carried an idempotency record whose (scope, key) is recorded already: the request was
 * answered before (read the record). Nothing of the commit was written.
 */
export class IdempotencyRecordExists extends EventStoreError {
  readonly code = 'idempotency_record_exists' as const;

  constructor(
    readonly scope: string,
    readonly key: string,
  ) {
    super(`An idempotency record for key ${JSON.stringify(key)} of ${JSON.stringify(scope)} exists already`);
  }
}

export class InvalidPosition extends EventStoreError {
  readonly code = 'invalid_position' as const;

  constructor(readonly input: string) {
    super(`Not a position (a non-negative decimal integer): ${JSON.stringify(input)}`);
  }
}

/** A malformed call (an empty or oversized append, bad event fields, bad options); nothing was written. */
export class InvalidArgument extends EventStoreError {
  readonly code = 'invalid_argument' as const;

  constructor(message: string) {
    super(message);
  }
}

/** The stream was deleted on the server (KurrentDB: tombstoned); nothing was written. */
export class StreamDeleted extends EventStoreError {
  readonly code = 'stream_deleted' as const;

  constructor(readonly stream: string) {
    super(`Stream ${JSON.stringify(stream)} is deleted`);
  }
}

/**
 * The store's server cannot give the guarantees this ledger needs (KurrentDB without multi-stream append,
 * or a user that may not read $all): the process refuses to start, with this one line.
 */
export class StoreServerRefused extends EventStoreError {
  readonly code = 'store_server_refused' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class EventStoreClosed extends EventStoreError {
  readonly code = 'event_store_closed' as const;

  constructor() {
    super('The event store has been closed');
  }
}

export function isEventStoreError(error: unknown): error is EventStoreError {
  return error instanceof EventStoreError;
}
