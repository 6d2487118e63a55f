import { domainError } from '../domain-error';

/**
 * Faults of the recorded history (kind `fault`, never a refusal): the log holds something the code cannot
 * read or that does not fit. Raised when stored events are decoded (decodeEvent), by the ledger's stream
 * models (a hash that does not match, an event of another aggregate) and by the process manager's
 * custody step. The client is answered 500 `internal-error`; the operator gets the details in the log.
 */

/** Where a stored event sits, when the reader knows it (the details of a fault name it for the operator). */
export interface StoredAt {
  readonly stream?: string;
  readonly revision?: string;
}

export class UnknownEventType extends domainError(
  'fault',
  'unknown-event-type',
  (type: string, at: StoredAt = {}) => [`unknown event type ${type}`, { type, ...at }],
) {}

export class UnsupportedSchemaVersion extends domainError(
  'fault',
  'unsupported-schema-version',
  (type: string, schemaVersion: number, current: number, at: StoredAt = {}) => [
    `${type} v${schemaVersion} cannot be upcast to v${current}`,
    { type, schemaVersion, current, ...at },
  ],
) {}

/** Stored data that is not the shape of its type and version (a field missing, of the wrong type, out of range). */
export class MalformedEvent extends domainError(
  'fault',
  'malformed-event',
  (type: string, reason: string, at: StoredAt = {}) => [`${type}: ${reason}`, { type, reason, ...at }],
) {}

/** An event that cannot apply where it is recorded: a corrupt or misrouted stream. */
export class EventNotApplicable extends domainError(
  'fault',
  'event-not-applicable',
  (type: string, reason: string, at: StoredAt = {}) => [`${type}: ${reason}`, { type, reason, ...at }],
) {}

/** A stored event whose hash is not the hash of its content: edited after it was written. */
export class EventHashMismatch extends domainError(
  'fault',
  'event-hash-mismatch',
  (stream: string, revision: string, type: string) => [
    `${stream} revision ${revision} (${type}): the stored hash is not the hash of the event`,
    { stream, revision, type },
  ],
) {}
