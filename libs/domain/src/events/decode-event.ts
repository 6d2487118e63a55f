import { MalformedEvent, UnknownEventType, UnsupportedSchemaVersion, type StoredAt } from './event.errors';
import type { DomainEvent, DomainEventType, EventData, Upcaster } from './domain-event';
import { DOMAIN_EVENT_TYPES, entryOf, EVENT_SCHEMA_VERSIONS, isDomainEventType } from './event-catalogue';
import { describeProblem } from './shape';

/** An event as the store keeps it (a RecordedEvent fits; `stream` and `revision` name it in faults). */
export interface StoredEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly stream?: string;
  readonly revision?: bigint | number | string;
}

/** Per event type, per version v, the upcaster v → v + 1. */
export type UpcasterTable = {
  readonly [T in DomainEventType]?: { readonly [fromVersion: number]: Upcaster };
};

/** The upcasters of stored history, from the catalogue (types without any are left out). */
export const UPCASTERS: UpcasterTable = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((type) => [type, entryOf(type).upcasters] as const).filter(
    ([, steps]) => Object.keys(steps).length > 0,
  ),
);

function storedAt(stored: StoredEvent): StoredAt {
  return {
    ...(stored.stream !== undefined ? { stream: stored.stream } : {}),
    ...(stored.revision !== undefined ? { revision: String(stored.revision) } : {}),
  };
}

/** The data of version `schemaVersion` upcast to `current` (the data itself when it is current). */
function upcastData(
  stored: StoredEvent,
  type: DomainEventType,
  current: number,
  steps: { readonly [fromVersion: number]: Upcaster } | undefined,
): EventData {
  const { schemaVersion, data } = stored;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new MalformedEvent(type, 'event data must be an object', storedAt(stored));
  if (!Number.isInteger(schemaVersion) || schemaVersion > current || schemaVersion < 0)
    throw new UnsupportedSchemaVersion(type, schemaVersion, current, storedAt(stored));
  let d = data as EventData;
  for (let v = schemaVersion; v < current; v++) {
    const step = steps?.[v];
    if (step === undefined)
      throw new UnsupportedSchemaVersion(type, schemaVersion, current, storedAt(stored));
    d = step(d);
  }
  return d;
}

/**
 * Reads a stored event into the current DomainEvent: the type must be in the catalogue, the version one
 * the upcasters lead from, and the upcast data of the shape of its type. Once per delivery; what it
 * returns is typed, current and safe to fold. Anything else is a fault of the history (UnknownEventType,
 * UnsupportedSchemaVersion, MalformedEvent), never a refusal.
 */
export function decodeEvent(stored: StoredEvent): DomainEvent {
  const { type } = stored;
  if (!isDomainEventType(type)) throw new UnknownEventType(type, storedAt(stored));
  const entry = entryOf(type);
  const data = upcastData(stored, type, entry.version, entry.upcasters);
  const problem = entry.data.check(data);
  if (problem) throw new MalformedEvent(type, describeProblem(problem), storedAt(stored));
  return { type, schemaVersion: entry.version, data } as unknown as DomainEvent;
}

/**
 * Type check and upcast chain of `decodeEvent` without the shape check, over given tables (a test's
 * synthetic history). Kept for callers that read events one by one; new code decodes with `decodeEvent`.
 */
export function upcast(
  type: string,
  schemaVersion: number,
  data: unknown,
  upcasters: UpcasterTable = UPCASTERS,
  versions: Readonly<Record<DomainEventType, number>> = EVENT_SCHEMA_VERSIONS,
): DomainEvent {
  if (!isDomainEventType(type)) throw new UnknownEventType(type);
  const current = versions[type];
  const d = upcastData({ type, schemaVersion, data }, type, current, upcasters[type]);
  return { type, schemaVersion: current, data: d } as unknown as DomainEvent;
}
