import { Inject, Injectable } from '@nestjs/common';
import { decodeEvent, DOMAIN_EVENT_TYPES, type DomainEventType } from '@wasteflow/domain';
import {
  EVENT_STORE,
  formatPosition,
  type EventStore,
  type JsonValue,
  type RecordedEvent,
} from '@wasteflow/event-store';
import type { Principal } from '@wasteflow/ledger';
import { MANIFESTS_PROJECTION, ProjectionRunner, TRACE_PROJECTION } from '@wasteflow/projections';
import { FeedScopes } from './feed-scope';

/** One event as the feed (and a webhook delivery) shows it (DESIGN.md §4 bodies). */
export interface FeedEvent {
  /** The event id: a webhook delivery's `webhook-id`, the same on every redelivery. */
  readonly id: string;
  /** Global position (decimal string): the cursor to resume after this event. */
  readonly position: string;
  readonly stream: string;
  readonly type: string;
  /** The version of `data`: always the catalogue's current one (older data is upcast). */
  readonly schemaVersion: number;
  /** Business time (the command's occurredAt). */
  readonly occurredAt: string;
  /** When the ledger recorded it. */
  readonly recordedAt: string;
  readonly data: JsonValue;
}

export interface FeedPage {
  readonly events: readonly FeedEvent[];
  /**
   * The cursor for the next call: everything up to it that the caller may read is in this page or an
   * earlier one. Moves on past events the caller may not read, so it can be ahead of the last event.
   */
  readonly next: string;
}

export interface FeedRequest {
  /** Exclusive: events after this position. */
  readonly after: bigint;
  readonly limit: number;
  /** Only these types (undefined: every domain event type). */
  readonly types?: readonly DomainEventType[];
}

/** The largest scan step; a request makes at most MAX_SCANS of them. */
export const FEED_SCAN_SIZE = 500;
/** Bounds one request's work when the caller may read little of a long stretch of log (next moves on). */
export const MAX_SCANS = 20;

/**
 * The scoped feed: the domain events the caller may read, in global order, after a cursor. Only the
 * domain's events (parties, batches, manifests); the ledger's own streams (tokens, counters, `$…`) are
 * not history a consumer follows. Served up to the read models' checkpoint (FeedScopes.ceiling).
 */
@Injectable()
export class FeedReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly scopes: FeedScopes,
    private readonly runner: ProjectionRunner,
  ) {}

  async page(principal: Principal, request: FeedRequest): Promise<FeedPage> {
    const ceiling = await this.scopes.ceiling();
    const eventTypes = request.types ?? DOMAIN_EVENT_TYPES;
    const events: FeedEvent[] = [];
    let scanned = request.after;
    // Start small (a delivery asks for one event and should not judge five hundred), grow while the
    // caller may read little of what is scanned.
    let size = Math.min(FEED_SCAN_SIZE, request.limit * 2 + 14);
    for (let scan = 0; scan < MAX_SCANS && events.length < request.limit && scanned < ceiling; scan++) {
      const read = await this.store.readAll({ after: scanned, limit: size, filter: { eventTypes } });
      const below = read.filter((event) => event.position <= ceiling);
      const readable = new Set(await this.scopes.readable(principal, below));
      for (const event of below) {
        scanned = event.position;
        if (readable.has(event)) events.push(feedEventOf(event));
        if (events.length === request.limit) break;
      }
      // Fewer than asked for, or some beyond the ceiling: nothing else of these types up to the ceiling.
      if (events.length < request.limit && (read.length < size || below.length < read.length)) {
        scanned = ceiling;
      }
      size = Math.min(FEED_SCAN_SIZE, size * 2);
    }
    return { events, next: formatPosition(scanned) };
  }

  /**
   * `page`, and when it has no event, waits up to `waitMs` for one (a long poll): woken whenever the read
   * models move on, it looks again from where the last look ended.
   */
  async poll(principal: Principal, request: FeedRequest, waitMs: number): Promise<FeedPage> {
    const deadline = Date.now() + waitMs;
    let page = await this.page(principal, request);
    while (page.events.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const after = BigInt(page.next);
      // The feed is judged by the trace and manifest read models alone (FeedScopes): another's stop does not end the poll.
      if (!(await this.runner.waitForPosition(after + 1n, left, [TRACE_PROJECTION, MANIFESTS_PROJECTION]))) break;
      page = await this.page(principal, { ...request, after });
    }
    return page;
  }
}

export function feedEventOf(event: RecordedEvent): FeedEvent {
  const decoded = decodeEvent(event);
  const data = decoded.data as unknown as { occurredAt?: unknown };
  return {
    id: event.id,
    position: formatPosition(event.position),
    stream: event.stream,
    type: event.type,
    schemaVersion: decoded.schemaVersion,
    occurredAt: typeof data.occurredAt === 'string' ? data.occurredAt : event.recordedAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    data: decoded.data as unknown as JsonValue,
  };
}
