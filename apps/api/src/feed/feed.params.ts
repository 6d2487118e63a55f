import { isDomainEventType, type DomainEventType } from '@wasteflow/domain';
import { parsePosition } from '@wasteflow/event-store';
import { type FeedRequest } from '@wasteflow/integration';
import { InvalidRequest } from '../problems/invalid-request.exception';

export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 500;
/** A long poll holds a connection: bounded below the edge's request timeout's default (20 s). */
export const MAX_FEED_WAIT_SECONDS = 20;

/** A query parameter given once (a repeated one arrives as an array: its values are joined by commas). */
function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

/** `after`: a decimal global position (0 or absent: from the beginning). */
export function parseCursor(value: unknown, field = 'after'): bigint {
  const text = single(value);
  if (text === undefined || text === '') return 0n;
  try {
    return parsePosition(text);
  } catch {
    throw InvalidRequest.field(field, 'isPosition', `${field} must be a decimal global position (a cursor)`);
  }
}

function wholeNumber(value: unknown, field: string, min: number, max: number, fallback: number): number {
  const text = single(value);
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,6}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw InvalidRequest.field(field, 'isInt', `${field} must be a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

/** `types`: event types of the catalogue, comma-separated (or repeated). */
export function parseEventTypes(value: unknown, field = 'types'): DomainEventType[] | undefined {
  const text = single(value);
  if (text === undefined || text.trim() === '') return undefined;
  const types = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (types.length > 100)
    throw InvalidRequest.field(field, 'arrayMaxSize', `${field} names at most 100 types`);
  const unknown = types.find((t) => !isDomainEventType(t));
  if (unknown !== undefined) {
    throw InvalidRequest.field(
      field,
      'isEventType',
      `${field}: ${JSON.stringify(unknown.slice(0, 60))} is not an event type of the catalogue`,
    );
  }
  return [...new Set(types)] as DomainEventType[];
}

export function feedRequestOf(query: Record<string, unknown>): { request: FeedRequest; waitMs: number } {
  const request: FeedRequest = {
    after: parseCursor(query.after),
    limit: wholeNumber(query.limit, 'limit', 1, MAX_FEED_LIMIT, DEFAULT_FEED_LIMIT),
    types: parseEventTypes(query.types),
  };
  const waitMs = wholeNumber(query.wait, 'wait', 0, MAX_FEED_WAIT_SECONDS, 0) * 1000;
  return { request, waitMs };
}
