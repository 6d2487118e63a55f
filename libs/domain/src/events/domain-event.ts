import { InvalidValue, UnknownEventType, UnsupportedSchemaVersion } from '../errors';
import { BATCH_EVENT_TYPES, type BatchEvent } from '../batch/batch.events';
import { MANIFEST_EVENT_TYPES, type ManifestEvent } from '../manifest/manifest.events';
import { PARTY_EVENT_TYPES, type PartyEvent } from '../party/party.events';

export type DomainEvent = PartyEvent | BatchEvent | ManifestEvent;
export type DomainEventType = DomainEvent['type'];

export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = [
  ...PARTY_EVENT_TYPES,
  ...BATCH_EVENT_TYPES,
  ...MANIFEST_EVENT_TYPES,
];

/** The current schema version of every event type. Bump one (and add an upcaster) when its data changes shape. */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<DomainEventType, number>> = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((t) => [t, 1]),
) as Record<DomainEventType, number>;

export function isDomainEventType(type: string): type is DomainEventType {
  return (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);
}

export type EventData = { readonly [key: string]: unknown };

/** Turns the data of version v into the data of version v + 1. */
export type Upcaster = (data: EventData) => EventData;

/** Per event type, per version v, the upcaster v → v + 1. */
export type UpcasterTable = {
  readonly [T in DomainEventType]?: { readonly [fromVersion: number]: Upcaster };
};

/**
 * The upcasters of stored history. Empty today: every event type is at version 1. When an event's data
 * changes shape, bump its version in EVENT_SCHEMA_VERSIONS and register here the step from the old version,
 * e.g. `{ PermitRevoked: { 1: (d) => ({ ...d, revokedBy: 'unknown' }) } }`. Stored events are never
 * rewritten: they are upcast on read.
 */
export const UPCASTERS: UpcasterTable = {};

/**
 * Reads a stored event into the current DomainEvent shape: checks the type, applies the upcasters from
 * `schemaVersion` up to the current version (identity for current events). Refuses unknown types, versions
 * newer than the code, and gaps in the upcaster chain.
 */
export function upcast(
  type: string,
  schemaVersion: number,
  data: unknown,
  upcasters: UpcasterTable = UPCASTERS,
  versions: Readonly<Record<DomainEventType, number>> = EVENT_SCHEMA_VERSIONS,
): DomainEvent {
  if (!isDomainEventType(type)) throw new UnknownEventType(type);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InvalidValue('data', null, `${type}: event data must be an object`);
  const current = versions[type];
  if (!Number.isInteger(schemaVersion) || schemaVersion > current || schemaVersion < 0)
    throw new UnsupportedSchemaVersion(type, schemaVersion, current);
  let d = data as EventData;
  for (let v = schemaVersion; v < current; v++) {
    const step = upcasters[type]?.[v];
    if (step === undefined) throw new UnsupportedSchemaVersion(type, schemaVersion, current);
    d = step(d);
  }
  return { type, schemaVersion: current, data: d } as unknown as DomainEvent;
}
