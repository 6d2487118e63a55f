import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AppendExpectedRevision,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import { v5 as uuidv5 } from 'uuid';
import { InvalidArgument } from '../errors';
import type { EventToAppend, ExpectedRevision, JsonObject } from '../event-store.port';
import type { NormalizedFilter } from '../internal/event-filter';

/**
 * Pure translation between the port and EventStoreDB, kept apart from the I/O so it can be unit tested
 * without a server.
 */

/** Reserved metadata keys: what EventStoreDB has no field for travels inside the metadata JSON. */
export const SCHEMA_VERSION_KEY = '$schemaVersion';
export const EVENT_ID_KEY = '$eventId';

const ESCAPE = '~';

/**
 * EventStoreDB reserves names starting with `$` (system streams and event types need admin rights and are
 * hidden from ordinary readers). Our own `$` streams must stay ordinary, so names starting with `$` or
 * the escape character get one more escape character in front: a bijection, and no stored name of ours
 * ever starts with `$`.
 */
export function toEsdbName(name: string): string {
  return name.startsWith('$') || name.startsWith(ESCAPE) ? ESCAPE + name : name;
}

export function fromEsdbName(name: string): string {
  return name.startsWith(ESCAPE) ? name.slice(1) : name;
}

/**
 * The adapter's own bookkeeping streams (idempotency records, checkpoints): `~` followed by neither `~`
 * nor `$` is a name toEsdbName never produces, so no stream of the port can collide with them.
 */
export const BOOKKEEPING_STREAM_PREFIX = '~wf-';

/**
 * Not an event of the port: a system record of EventStoreDB itself (statistics, metadata, links,
 * projections) or the adapter's bookkeeping.
 */
export function isEsdbSystemRecord(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$') || streamId.startsWith(BOOKKEEPING_STREAM_PREFIX);
}

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Namespace for deriving EventStoreDB's UUID event ids from ids that are not canonical UUIDs. */
const EVENT_ID_NAMESPACE = '6f1c2e0a-4b7d-5c3e-9a1f-2d8e4b6c7a90';

/**
 * EventStoreDB event ids are UUIDs and come back lower-case. A canonical id is used as is; any other id is
 * mapped to a name-based UUID (so a retry maps to the same UUID and is deduplicated) and the original is
 * kept in the metadata.
 */
export function toEsdbEventId(id: string): { esdbId: string; keepOriginal: boolean } {
  if (CANONICAL_UUID.test(id)) return { esdbId: id, keepOriginal: false };
  return { esdbId: uuidv5(id, EVENT_ID_NAMESPACE), keepOriginal: true };
}

export function wrapMetadata(event: EventToAppend, keepOriginalId: boolean): JsonObject {
  if (SCHEMA_VERSION_KEY in event.metadata || EVENT_ID_KEY in event.metadata) {
    throw new InvalidArgument(
      `Event ${event.id}: metadata keys ${SCHEMA_VERSION_KEY} and ${EVENT_ID_KEY} are reserved by the EventStoreDB adapter`,
    );
  }
  return {
    ...event.metadata,
    [SCHEMA_VERSION_KEY]: event.schemaVersion,
    ...(keepOriginalId ? { [EVENT_ID_KEY]: event.id } : {}),
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** Strips what wrapMetadata added, so metadata round-trips unchanged. */
export function unwrapMetadata(
  stored: unknown,
  esdbId: string,
): { metadata: JsonObject; schemaVersion: number; id: string } {
  if (!isJsonObject(stored)) return { metadata: {}, schemaVersion: 0, id: esdbId };
  const { [SCHEMA_VERSION_KEY]: schemaVersion, [EVENT_ID_KEY]: originalId, ...metadata } = stored;
  return {
    metadata,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 0,
    id: typeof originalId === 'string' ? originalId : esdbId,
  };
}

/**
 * Positions are commit positions. Every event written by an ordinary (implicit-transaction) append is its
 * own commit record in the log, so commit positions are unique per event and ordered like $all; the
 * prepare position of such an event equals its commit position, which is how a position is turned back
 * into a read position.
 */
export function toPosition(position: Position): bigint {
  return position.commit;
}

export function toReadPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The server-side part of a filter: it narrows what travels over the wire; the full filter (both lists,
 * decoded names) is applied again on the client. EventStoreDB filters on either the type or
 * the stream name, not both, so types win when both are given.
 */
export function toServerFilter(filter: NormalizedFilter): Filter {
  if (filter.eventTypes && filter.eventTypes.length > 0) {
    const alternatives = filter.eventTypes.map((type) => escapeRegex(toEsdbName(type))).join('|');
    return eventTypeFilter({ regex: `^(?:${alternatives})$` });
  }
  if (filter.streamPrefixes && filter.streamPrefixes.length > 0 && !filter.streamPrefixes.includes('')) {
    return streamNameFilter({ prefixes: filter.streamPrefixes.map(toEsdbName) });
  }
  return excludeSystemEvents();
}
