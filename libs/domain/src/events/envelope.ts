import { flag, text, type Fields } from './shape';

/**
 * Every domain event is `{ type, schemaVersion, data }`: `type` is the stable stored name (past tense),
 * `schemaVersion` the version of `data`'s shape, `data` plain JSON-safe facts (strings, numbers, booleans,
 * arrays, objects; absent optional fields are absent, never undefined). This maps one to one onto the
 * event store's `EventToAppend` (type, schemaVersion, data) — metadata (ids, actor, hashes) is the ledger's.
 */
export interface DomainEventOf<T extends string, D, V extends number = 1> {
  readonly type: T;
  readonly schemaVersion: V;
  readonly data: D;
}

/** Facts every event carries. */
export interface EventTime {
  /** Business time as given by the client (ISO 8601 with offset). */
  readonly occurredAt: string;
  /** occurredAt was more than the late threshold (default 72 h) before recordedAt. */
  readonly late: boolean;
}

/** The shapes of the facts every event carries (spread into each event's shape). */
export const eventTime: Fields<EventTime> = { occurredAt: text, late: flag };
