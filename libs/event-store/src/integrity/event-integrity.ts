import { hash } from 'node:crypto';
import type { EventToAppend, JsonObject, RecordedEvent } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/**
 * The integrity chain an auditor can recompute without our code (README "Integrity"):
 *
 *   hash = lowercase hex SHA-256 of the UTF-8 bytes of the RFC 8785 (JCS) canonical JSON of
 *          { "type": <type>, "data": <data>, "metadata": <metadata without "hash"> }
 *
 * where metadata carries `prevHash`: the `hash` of the previous event in the same stream, or null for a
 * stream's first event. Editing, removing, inserting or reordering an event breaks the chain at that point.
 */
export interface IntegrityMetadata {
  readonly prevHash: string | null;
  readonly hash: string;
}

type Hashable = Pick<EventToAppend, 'type' | 'data' | 'metadata'>;

export function canonicalEncoding(event: Hashable): string {
  const { hash: _omitted, ...metadata } = event.metadata;
  const text = canonicalJson({ type: event.type, data: event.data, metadata });
  if (text === undefined) {
    throw new TypeError(`event ${event.type} cannot be encoded canonically`);
  }
  return text;
}

export function eventHash(event: Hashable): string {
  // one-shot hash: cheaper than createHash().update().digest() for inputs this size (docs/performance.md)
  return hash('sha256', canonicalEncoding(event), 'hex');
}

/**
 * Seals a run of events about to be appended to one stream: each gets `prevHash` (linking to
 * `previousHash`, the last stored event's hash, then to each other) and its own `hash`.
 */
export function sealEvents<E extends EventToAppend>(events: readonly E[], previousHash: string | null): E[] {
  let prevHash = previousHash;
  return events.map((event) => {
    const metadata: JsonObject = { ...event.metadata, prevHash };
    delete metadata.hash;
    const hash = eventHash({ type: event.type, data: event.data, metadata });
    prevHash = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

export type IntegrityBreak =
  | {
      readonly revision: string;
      readonly reason: 'hash-mismatch';
      readonly expected: string;
      readonly found: unknown;
    }
  | {
      readonly revision: string;
      readonly reason: 'chain-broken';
      readonly expected: string | null;
      readonly found: unknown;
    }
  | {
      readonly revision: string;
      readonly reason: 'revision-gap';
      readonly expected: string;
      readonly found: string;
    };

export interface IntegrityReport {
  readonly verified: boolean;
  readonly eventsChecked: number;
  /** Hash of the last event checked: an auditor can pin it and compare later. */
  readonly headHash: string | null;
  readonly firstBreak: IntegrityBreak | null;
}

/** Verifies a stream read forwards from revision 0 (or a prefix of it, for `asOf` views). */
export function verifyStreamIntegrity(events: readonly RecordedEvent[]): IntegrityReport {
  let prevHash: string | null = null;
  let expectedRevision = 0n;
  for (const event of events) {
    const revision = event.revision.toString();
    if (event.revision !== expectedRevision) {
      return broken(expectedRevision, prevHash, {
        revision,
        reason: 'revision-gap',
        expected: expectedRevision.toString(),
        found: revision,
      });
    }
    if (event.metadata.prevHash !== prevHash) {
      return broken(expectedRevision, prevHash, {
        revision,
        reason: 'chain-broken',
        expected: prevHash,
        found: event.metadata.prevHash ?? null,
      });
    }
    const recomputed = eventHash(event);
    if (event.metadata.hash !== recomputed) {
      return broken(expectedRevision, prevHash, {
        revision,
        reason: 'hash-mismatch',
        expected: recomputed,
        found: event.metadata.hash ?? null,
      });
    }
    prevHash = recomputed;
    expectedRevision += 1n;
  }
  return { verified: true, eventsChecked: events.length, headHash: prevHash, firstBreak: null };
}

function broken(checked: bigint, headHash: string | null, firstBreak: IntegrityBreak): IntegrityReport {
  return { verified: false, eventsChecked: Number(checked), headHash, firstBreak };
}
