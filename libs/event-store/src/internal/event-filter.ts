import type { EventFilter } from '../event-store.port';

/**
 * Streams whose name starts with `$` belong to the store's users for bookkeeping (checkpoints and the
 * like): readers see them only when a filter asks for a `$` prefix explicitly.
 */
export const SYSTEM_STREAM_PREFIX = '$';

export function isSystemStream(stream: string): boolean {
  return stream.startsWith(SYSTEM_STREAM_PREFIX);
}

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

function prefixMatches(prefix: string, stream: string): boolean {
  // Only a prefix that itself starts with `$` can reach a `$` stream (an empty prefix cannot).
  return stream.startsWith(prefix) && (!isSystemStream(stream) || prefix.startsWith(SYSTEM_STREAM_PREFIX));
}

export function matchesFilter(filter: NormalizedFilter, stream: string, type: string): boolean {
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  if (filter.streamPrefixes) return filter.streamPrefixes.some((prefix) => prefixMatches(prefix, stream));
  return !isSystemStream(stream);
}
