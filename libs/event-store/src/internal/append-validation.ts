import { DuplicateEventId, InvalidArgument } from '../errors';
import type { AppendOptions, EventToAppend, ExpectedRevision, StreamWrite } from '../event-store.port';

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateExpected(expected: ExpectedRevision): void {
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new InvalidArgument(`Expected revision must be >= 0, got ${expected}`);
    return;
  }
  if (expected !== 'any' && expected !== 'no_stream' && expected !== 'stream_exists') {
    throw new InvalidArgument(`Unknown expected revision ${String(expected)}`);
  }
}

function validateEvent(event: EventToAppend): void {
  if (typeof event.id !== 'string' || event.id.length === 0)
    throw new InvalidArgument('Event id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new InvalidArgument(`Event ${event.id}: type must be a non-empty string`);
  }
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 0) {
    throw new InvalidArgument(`Event ${event.id}: schemaVersion must be a non-negative integer`);
  }
  if (!isPlainObject(event.data)) throw new InvalidArgument(`Event ${event.id}: data must be a JSON object`);
  if (!isPlainObject(event.metadata))
    throw new InvalidArgument(`Event ${event.id}: metadata must be a JSON object`);
}

/**
 * Checks what can be checked without the store, before anything is written. An id repeated inside one
 * commit can never be stored twice, so it is refused here as a duplicate.
 */
export function validateWrites(writes: readonly StreamWrite[], maxEvents = Number.MAX_SAFE_INTEGER): void {
  const total = writes.reduce(
    (sum, write) => sum + (Array.isArray(write.events) ? write.events.length : 0),
    0,
  );
  if (total > maxEvents) {
    throw new InvalidArgument(`A commit holds at most ${maxEvents} events, got ${total}`);
  }
  const seen = new Set<string>();
  for (const write of writes) {
    if (typeof write.stream !== 'string' || write.stream.length === 0) {
      throw new InvalidArgument('Stream name must be a non-empty string');
    }
    validateExpected(write.expected);
    if (!Array.isArray(write.events) || write.events.length === 0) {
      throw new InvalidArgument(`Append to "${write.stream}" has no events`);
    }
    for (const event of write.events) {
      validateEvent(event);
      if (seen.has(event.id)) throw new DuplicateEventId(event.id, 'appears twice in one commit');
      seen.add(event.id);
    }
  }
}

/**
 * The idempotency records of one commit: scope and key non-empty strings, a JSON object, each (scope,
 * key) once (two answers under one key in one commit cannot both be the first).
 */
export function validateIdempotency(options: AppendOptions | undefined): void {
  const records = options?.idempotency;
  if (records === undefined) return;
  if (!Array.isArray(records)) throw new InvalidArgument('idempotency must be a list of records');
  const seen = new Set<string>();
  for (const record of records) {
    if (typeof record.scope !== 'string' || record.scope.length === 0)
      throw new InvalidArgument('An idempotency record needs a non-empty scope');
    if (typeof record.key !== 'string' || record.key.length === 0)
      throw new InvalidArgument('An idempotency record needs a non-empty key');
    if (!isPlainObject(record.record))
      throw new InvalidArgument(
        `The idempotency record of ${JSON.stringify(record.key)} must be a JSON object`,
      );
    const id = `${record.scope}\n${record.key}`;
    if (seen.has(id)) {
      throw new InvalidArgument(`Idempotency key ${JSON.stringify(record.key)} appears twice in one commit`);
    }
    seen.add(id);
  }
}
