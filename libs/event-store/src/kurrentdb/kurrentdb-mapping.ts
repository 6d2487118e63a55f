import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AppendStreamState,
  type Filter,
  type Position,
} from '@kurrent/kurrentdb-client';
import { v5 as uuidv5 } from 'uuid';
import { InvalidArgument } from '../errors';
import type { EventToAppend, ExpectedRevision, JsonObject, JsonValue } from '../event-store.port';
import type { NormalizedFilter } from '../internal/event-filter';

/**
 * Pure translation between the port and KurrentDB, kept apart from the I/O so it can be unit tested
 * without a server. docs/adr/0017 explains each choice; the server rules cited are KurrentDB 25.1.
 */

/**
 * Our own record properties. Multi-stream append takes metadata as a map of string values only
 * (client: streams/appendToStream/multiStreamAppend.js refuses anything else; server:
 * KurrentDB.Api.V2 Mapping.MapToEvent stores them as a protobuf Struct), and the server reserves keys
 * starting with `$` (streams.proto, AppendRecord.properties; it adds `$schema.name` and `$schema.format`
 * itself when a v1 reader asks for the metadata: Core/Data/EventRecord.SynthesizeMetadataFromProperties).
 * So everything of ours lives under `wf.`, and a metadata key of the port may start with neither.
 */
export const PROPERTY = {
  schemaVersion: 'wf.schemaVersion',
  /** The port's id when it is not a canonical UUID (KurrentDB record ids are UUIDs). */
  eventId: 'wf.eventId',
  /** JSON array of the metadata keys whose values are JSON text (every non-string value). */
  jsonKeys: 'wf.json',
  /** A fresh id per appendToStreams call: tells our own write from an earlier one with the same ids. */
  commit: 'wf.commit',
} as const;

const OWN_PREFIX = 'wf.';
const SERVER_PREFIX = '$';

/** Keys of the metadata the old EventStoreDB adapter wrote inside its JSON metadata. */
const LEGACY_SCHEMA_VERSION_KEY = '$schemaVersion';
const LEGACY_EVENT_ID_KEY = '$eventId';

const ESCAPE = '~';

/**
 * KurrentDB reserves stream names starting with `$` (system streams need admin rights and are hidden from
 * ordinary readers). Our own `$` streams must stay ordinary, so names starting with `$` or the escape
 * character get one more escape character in front: a bijection, and no stored name of ours ever starts
 * with `$`.
 */
export function toKurrentStream(name: string): string {
  return name.startsWith('$') || name.startsWith(ESCAPE) ? ESCAPE + name : name;
}

export function fromKurrentStream(name: string): string {
  return name.startsWith(ESCAPE) ? name.slice(1) : name;
}

/** What a schema name (the event type) may be on KurrentDB 25.1 (Api.V2 SchemaNameValidator). */
const SCHEMA_NAME = /^[a-zA-Z0-9_.$:-]+$/;
const TYPE_ESCAPE = '_';

/**
 * Event types become schema names. A type starting with `$` would be a system event (hidden from
 * readers) and `~` is not allowed in a schema name, so types starting with `$` or `_` get one `_` in
 * front (a bijection); a type with a character the server refuses is refused here, before anything is
 * sent. Types the old adapter escaped with `~` are read back too.
 */
export function toKurrentType(type: string): string {
  const name = type.startsWith('$') || type.startsWith(TYPE_ESCAPE) ? TYPE_ESCAPE + type : type;
  if (!SCHEMA_NAME.test(name)) {
    throw new InvalidArgument(
      `Event type ${JSON.stringify(type)}: KurrentDB takes letters, digits and _ . $ : - only in an event type`,
    );
  }
  return name;
}

export function fromKurrentType(name: string): string {
  return name.startsWith(TYPE_ESCAPE) || name.startsWith(ESCAPE) ? name.slice(1) : name;
}

/**
 * The adapter's own bookkeeping streams (idempotency records, checkpoints): `~` followed by neither `~`
 * nor `$` is a name toKurrentStream never produces, so no stream of the port can collide with them.
 */
export const BOOKKEEPING_STREAM_PREFIX = '~wf-';

/**
 * Not an event of the port: a system record of KurrentDB itself (statistics, stream metadata in `$$`
 * streams, links, projections) or the adapter's bookkeeping.
 */
export function isSystemRecord(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$') || streamId.startsWith(BOOKKEEPING_STREAM_PREFIX);
}

export function toExpectedState(expected: ExpectedRevision): AppendStreamState {
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
/** Namespace for deriving record ids from ids that are not canonical UUIDs (kept from the old adapter). */
const EVENT_ID_NAMESPACE = '6f1c2e0a-4b7d-5c3e-9a1f-2d8e4b6c7a90';

/**
 * Record ids are UUIDs (Api.V2 RecordIdValidator) and come back lower-case. A canonical id is used as is;
 * any other id is mapped to a name-based UUID (so a retry maps to the same UUID and the server
 * deduplicates it) and the original is kept in a property.
 */
export function toRecordId(id: string): { recordId: string; keepOriginal: boolean } {
  if (CANONICAL_UUID.test(id)) return { recordId: id, keepOriginal: false };
  return { recordId: uuidv5(id, EVENT_ID_NAMESPACE), keepOriginal: true };
}

/**
 * The port's metadata (any JSON object: the hash chain's `prevHash` is null on a stream's first event,
 * the actor may be an object) as string-valued properties: a string stays itself (readable in the
 * server's UI and usable by its indexes), anything else is its JSON text and its key is listed in
 * `wf.json`. fromProperties inverts it exactly, so the canonical encoding the hashes are computed over
 * is unchanged (docs/adr/0004, 0017).
 */
export function toProperties(
  event: EventToAppend,
  keepOriginalId: boolean,
  commit: string,
): Record<string, string> {
  const properties: Record<string, string> = {};
  const jsonKeys: string[] = [];
  for (const [key, value] of Object.entries(event.metadata)) {
    if (key.startsWith(SERVER_PREFIX) || key.startsWith(OWN_PREFIX)) {
      throw new InvalidArgument(
        `Event ${event.id}: metadata keys starting with "${SERVER_PREFIX}" or "${OWN_PREFIX}" are reserved on KurrentDB (${key})`,
      );
    }
    if (typeof value === 'string') {
      properties[key] = value;
    } else {
      properties[key] = JSON.stringify(value);
      jsonKeys.push(key);
    }
  }
  properties[PROPERTY.schemaVersion] = String(event.schemaVersion);
  if (jsonKeys.length > 0) properties[PROPERTY.jsonKeys] = JSON.stringify(jsonKeys.sort());
  if (keepOriginalId) properties[PROPERTY.eventId] = event.id;
  properties[PROPERTY.commit] = commit;
  return properties;
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

export interface DecodedMetadata {
  readonly metadata: JsonObject;
  readonly schemaVersion: number;
  readonly id: string;
  /** The appendToStreams call that wrote the record (undefined for records of the old adapter). */
  readonly commit?: string;
}

/**
 * The stored metadata back to the port's: the properties of a multi-stream append (as the server hands
 * them to a v1 reader: a JSON object with `$schema.*` added), or the JSON metadata the old EventStoreDB
 * adapter wrote (`$schemaVersion`, `$eventId` inside it), so logs written before the move still replay.
 */
export function fromStoredMetadata(stored: unknown, recordId: string): DecodedMetadata {
  if (!isJsonObject(stored)) return { metadata: {}, schemaVersion: 0, id: recordId };
  if (typeof stored[PROPERTY.schemaVersion] === 'string') return fromProperties(stored, recordId);
  const {
    [LEGACY_SCHEMA_VERSION_KEY]: schemaVersion,
    [LEGACY_EVENT_ID_KEY]: originalId,
    ...metadata
  } = stored;
  return {
    metadata,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 0,
    id: typeof originalId === 'string' ? originalId : recordId,
  };
}

function fromProperties(stored: JsonObject, recordId: string): DecodedMetadata {
  const listed = stored[PROPERTY.jsonKeys];
  const jsonKeys = new Set<string>(typeof listed === 'string' ? (JSON.parse(listed) as string[]) : []);
  const metadata: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (key.startsWith(SERVER_PREFIX) || key.startsWith(OWN_PREFIX)) continue;
    metadata[key] = jsonKeys.has(key) && typeof value === 'string' ? (JSON.parse(value) as JsonValue) : value;
  }
  const originalId = stored[PROPERTY.eventId];
  const commit = stored[PROPERTY.commit];
  return {
    metadata,
    schemaVersion: Number(stored[PROPERTY.schemaVersion]),
    id: typeof originalId === 'string' ? originalId : recordId,
    commit: typeof commit === 'string' ? commit : undefined,
  };
}

/**
 * Positions are commit positions. Every event of an append (a multi-stream one too) is a self-committed
 * prepare record whose commit position is its own log position (Core StorageWriterService.WritePrepares
 * writes PrepareFlags.IsCommitted on each; AllReader reports prepare.LogPosition as the commit position),
 * so positions are unique per event and ordered like $all, and a position turns back into a read
 * position with prepare = commit. Such a position is a record boundary; any other number is not, and the
 * server refuses to read from it (see KurrentDbEventStore.readablePosition).
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
 * decoded names) is applied again on the client. KurrentDB filters on either the type or the stream
 * name, not both, so types win when both are given.
 */
export function toServerFilter(filter: NormalizedFilter): Filter {
  if (filter.eventTypes && filter.eventTypes.length > 0) {
    // A type the server could not hold matches nothing stored; the client-side filter handles it.
    const names = filter.eventTypes.map((type) =>
      SCHEMA_NAME.test(type) ? escapeRegex(toKurrentType(type)) : undefined,
    );
    if (names.every((name) => name !== undefined)) {
      return eventTypeFilter({ regex: `^(?:${names.join('|')})$` });
    }
  }
  if (filter.streamPrefixes && filter.streamPrefixes.length > 0 && !filter.streamPrefixes.includes('')) {
    return streamNameFilter({ prefixes: filter.streamPrefixes.map(toKurrentStream) });
  }
  return excludeSystemEvents();
}
