import type { EventFilter } from '../event-store.port';

/** A filter in the one shape every adapter evaluates: undefined lists mean "no constraint". */
export interface NormalizedFilter {
  readonly eventTypes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export function normalizeFilter(filter: EventFilter | undefined): NormalizedFilter {
  return {
    eventTypes: filter?.eventTypes ? [...new Set(filter.eventTypes)] : undefined,
    streamPrefixes: filter?.streamPrefixes ? [...new Set(filter.streamPrefixes)] : undefined,
  };
}

/**
 * Every stream is an ordinary stream, whatever its name (bookkeeping lives beside the log, not in `$`
 * streams: docs/adr/0008).
 */
export function matchesFilter(filter: NormalizedFilter, stream: string, type: string): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  if (filter.streamPrefixes) return filter.streamPrefixes.some((prefix) => stream.startsWith(prefix));
  return true;
}
