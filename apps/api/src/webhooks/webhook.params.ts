import { parsePosition } from '@wasteflow/event-store';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { parseEventTypes } from '../feed/feed.params';

export const MAX_URL_LENGTH = 2_000;

function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw InvalidRequest.field('body', 'isObject', 'the body must be a JSON object');
  }
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw InvalidRequest.field(
      unknown.slice(0, 60),
      'whitelistValidation',
      `property ${unknown.slice(0, 60)} should not exist`,
    );
  }
  return body as Record<string, unknown>;
}

function url(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_LENGTH) {
    throw InvalidRequest.field('url', 'isUrl', `url must be a URL of 1–${MAX_URL_LENGTH} characters`);
  }
  return value;
}

/** eventTypes: an array of catalogue event types; empty or absent: every type. */
function eventTypes(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) {
    throw InvalidRequest.field('eventTypes', 'isArray', 'eventTypes must be an array of event type names');
  }
  return parseEventTypes(value.join(','), 'eventTypes');
}

function position(value: unknown, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  try {
    return parsePosition(value as string);
  } catch {
    throw InvalidRequest.field(field, 'isPosition', `${field} must be a decimal global position string`);
  }
}

export interface CreateWebhook {
  readonly url: string;
  readonly eventTypes?: readonly string[];
  /** Deliver the events after this cursor (default: the log's head now — only what happens from now on). */
  readonly after?: bigint;
}

export function createWebhookOf(body: unknown): CreateWebhook {
  const b = objectBody(body, ['url', 'eventTypes', 'after']);
  return { url: url(b.url), eventTypes: eventTypes(b.eventTypes), after: position(b.after, 'after') };
}

export interface UpdateWebhook {
  readonly url?: string;
  /** null: every type again. */
  readonly eventTypes?: readonly string[] | null;
  /** `active`: resume a paused subscription where it stopped; `paused`: stop delivering. */
  readonly status?: 'active' | 'paused';
}

export function updateWebhookOf(body: unknown): UpdateWebhook {
  const b = objectBody(body, ['url', 'eventTypes', 'status']);
  if (b.status !== undefined && b.status !== 'active' && b.status !== 'paused') {
    throw InvalidRequest.field('status', 'isIn', 'status must be active or paused');
  }
  return {
    ...(b.url !== undefined ? { url: url(b.url) } : {}),
    ...(b.eventTypes !== undefined
      ? { eventTypes: b.eventTypes === null ? null : (eventTypes(b.eventTypes) ?? null) }
      : {}),
    ...(b.status !== undefined ? { status: b.status as 'active' | 'paused' } : {}),
  };
}

export type Redelivery = { readonly eventId: string } | { readonly fromPosition: bigint };

/** `{ eventId }` (one event again, now) or `{ fromPosition }` (the ordered delivery restarts after it). */
export function redeliveryOf(body: unknown): Redelivery {
  const b = objectBody(body, ['eventId', 'fromPosition']);
  if ((b.eventId === undefined) === (b.fromPosition === undefined)) {
    throw InvalidRequest.field('eventId', 'redelivery', 'give exactly one of eventId and fromPosition');
  }
  if (b.eventId !== undefined) {
    if (typeof b.eventId !== 'string' || b.eventId.length === 0 || b.eventId.length > 100) {
      throw InvalidRequest.field('eventId', 'isString', 'eventId must be an event id');
    }
    return { eventId: b.eventId };
  }
  return { fromPosition: position(b.fromPosition, 'fromPosition') as bigint };
}
