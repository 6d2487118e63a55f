import { Inject, Injectable } from '@nestjs/common';
import {
  decodeEvent,
  InvalidValue,
  isFault,
  parseInstant,
  parseStream,
  StreamChecker,
  type StreamConsistency,
  type StreamIssue,
} from '@wasteflow/domain';
import {
  EVENT_STORE,
  formatPosition,
  parsePosition,
  StreamNotFound,
  verifyStreamIntegrity,
  type EventStore,
  type IntegrityReport,
  type JsonObject,
  type JsonValue,
  type RecordedEvent,
} from '@wasteflow/event-store';

/** A stream that does not exist (or has no event up to `asOf`): 404 `stream-not-found`. */
export class AuditStreamNotFound extends Error {
  readonly status = 404;
  readonly rule = 'stream-not-found';
  readonly details: Record<string, unknown>;

  constructor(stream: string, asOf?: string) {
    super(asOf === undefined ? `no stream ${stream}` : `stream ${stream} has no event as of ${asOf}`);
    this.name = 'AuditStreamNotFound';
    this.details = { stream, ...(asOf !== undefined ? { asOf } : {}) };
  }
}

/** Where the history is cut: at a time (recordedAt ≤ it) or at a global position (≤ it). */
export type AsOf =
  | { readonly kind: 'time'; readonly at: string; readonly ms: number }
  | { readonly kind: 'position'; readonly position: bigint };

export interface AuditedEvent {
  readonly id: string;
  readonly revision: string;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the ledger recorded it (`metadata.recordedAt`, covered by the hash), else the store's time. */
  readonly recordedAt: string;
  /** The store's own time of the append. */
  readonly storedAt: string;
  /**
   * The aggregate's state after this event (party, batch, manifest streams: the events decoded and folded
   * by the domain's evolve, which never fails — the state the ledger decides on); null for other streams.
   */
  readonly stateAfter: unknown;
  /** Why this event does not fit the stream (its issues in `consistency`), when it does not. */
  readonly stateError?: string;
}

export interface StreamHistory {
  readonly stream: string;
  /** party | batch | manifest | token | other */
  readonly kind: string;
  readonly asOf: string | null;
  readonly events: readonly AuditedEvent[];
  /** The hash chain verified over exactly the events returned (a prefix of a stream verifies on its own). */
  readonly integrity: IntegrityReport;
  /**
   * Whether the events returned fit together (the domain's checkStream: each of the stream's aggregate,
   * about this stream, applicable to the state before it; undecodable events are issues too); null for
   * streams that are not party, batch or manifest streams.
   */
  readonly consistency: StreamConsistency | null;
  /** The store's head position when the history was read. */
  readonly position: string;
}

const REDACTED = '[redacted]';
/** Secrets that are never shown, wherever they sit in an event (token streams keep the secret's hash). */
const SECRET_FIELDS = new Set(['secretHash']);

/**
 * Parses `asOf`: a decimal position (digits only), or an ISO 8601 instant with an offset. Anything else is
 * 400 (InvalidValue on `asOf`).
 */
export function parseAsOf(value: string | undefined): AsOf | undefined {
  if (value === undefined || value === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    try {
      return { kind: 'position', position: parsePosition(text) };
    } catch {
      throw new InvalidValue('asOf', text.slice(0, 40), 'a position is a decimal integer within 64 bits');
    }
  }
  try {
    return { kind: 'time', at: text, ms: parseInstant(text, 'asOf') };
  } catch {
    throw new InvalidValue(
      'asOf',
      text.slice(0, 40),
      'asOf is a decimal position or an ISO 8601 time with an offset',
    );
  }
}

function recordedAtOf(event: RecordedEvent): string {
  const recorded = event.metadata.recordedAt;
  return typeof recorded === 'string' ? recorded : event.recordedAt.toISOString();
}

function recordedMs(event: RecordedEvent): number {
  const recorded = event.metadata.recordedAt;
  if (typeof recorded === 'string') {
    const ms = Date.parse(recorded);
    if (!Number.isNaN(ms)) return ms;
  }
  return event.recordedAt.getTime();
}

function redact(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, field] of Object.entries(value))
      out[key] = SECRET_FIELDS.has(key) ? REDACTED : redact(field);
    return out;
  }
  return value;
}

/** Folds a domain stream event by event, through the domain's decoder and consistency checker. */
class AuditFold {
  private readonly checker: StreamChecker;

  constructor(stream: string) {
    this.checker = new StreamChecker(stream);
  }

  /** The state after `event`, and why the event does not fit (undefined when it does). */
  next(event: RecordedEvent): { readonly state: unknown; readonly error?: string } {
    let issues: readonly StreamIssue[];
    try {
      issues = this.checker.add(decodeEvent(event));
    } catch (error) {
      if (!isFault(error)) throw error;
      issues = this.checker.unreadable(event.type, error);
    }
    const state = this.checker.state;
    if (issues.length === 0) return { state };
    return {
      state,
      error: `${event.type} at revision ${event.revision}: ${issues.map((i) => i.reason).join('; ')}`,
    };
  }

  consistency(): StreamConsistency {
    return this.checker.result();
  }
}

function kindOf(stream: string): string {
  return parseStream(stream)?.kind ?? (stream.startsWith('token-') ? 'token' : 'other');
}

/**
 * The auditor's history of one stream, read from the event store itself (not a projection): every event
 * with the aggregate state after it, cut at `asOf`, with the integrity chain verified over what is returned.
 */
@Injectable()
export class StreamHistoryQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async history(stream: string, asOf?: AsOf): Promise<StreamHistory> {
    const head = await this.store.headPosition();
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(stream);
    } catch (error) {
      if (error instanceof StreamNotFound) throw new AuditStreamNotFound(stream);
      throw error;
    }
    // Revision order is recording order: the history as of a time or position is a prefix of the stream.
    const included = asOf === undefined ? events : events.slice(0, prefixLength(events, asOf));
    if (asOf !== undefined && included.length === 0)
      throw new AuditStreamNotFound(stream, describeAsOf(asOf));
    const integrity = verifyStreamIntegrity(included);
    const fold = parseStream(stream) ? new AuditFold(stream) : undefined;
    const audited = included.map((event): AuditedEvent => {
      const after = fold?.next(event);
      return {
        id: event.id,
        revision: event.revision.toString(),
        position: formatPosition(event.position),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: redact(event.data) as JsonObject,
        metadata: redact(event.metadata) as JsonObject,
        recordedAt: recordedAtOf(event),
        storedAt: event.recordedAt.toISOString(),
        stateAfter: after ? redact(after.state as JsonValue) : null,
        ...(after?.error !== undefined ? { stateError: after.error } : {}),
      };
    });
    return {
      stream,
      kind: kindOf(stream),
      asOf: asOf === undefined ? null : describeAsOf(asOf),
      events: audited,
      integrity,
      consistency: fold?.consistency() ?? null,
      position: formatPosition(head),
    };
  }
}

function within(event: RecordedEvent, asOf: AsOf): boolean {
  return asOf.kind === 'position' ? event.position <= asOf.position : recordedMs(event) <= asOf.ms;
}

/** Events up to the first one after the cut. */
function prefixLength(events: readonly RecordedEvent[], asOf: AsOf): number {
  const first = events.findIndex((event) => !within(event, asOf));
  return first === -1 ? events.length : first;
}

function describeAsOf(asOf: AsOf): string {
  return asOf.kind === 'position' ? formatPosition(asOf.position) : asOf.at;
}
