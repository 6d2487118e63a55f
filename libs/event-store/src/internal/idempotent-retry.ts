import { DuplicateEventId } from '../errors';
import type { AppendResult, JsonObject, StreamWrite } from '../event-store.port';
import { appendResult } from './append-result';
import { jsonEqual } from './json-equal';

/** What an adapter knows about an already stored event with one of the ids of a commit. */
export interface StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

function sameContent(stored: StoredEvent, event: StreamWrite['events'][number]): boolean {
  return (
    stored.type === event.type &&
    stored.schemaVersion === event.schemaVersion &&
    jsonEqual(stored.data, event.data) &&
    jsonEqual(stored.metadata, event.metadata)
  );
}

/** Would the original append, made with this expectation, have put its first event at `firstRevision`? */
function placementAgrees(write: StreamWrite, firstRevision: bigint): boolean {
  switch (write.expected) {
    case 'any':
      return true;
    case 'no_stream':
      return firstRevision === 0n;
    case 'stream_exists':
      return firstRevision > 0n;
    default:
      return firstRevision === write.expected + 1n;
  }
}

/**
 * Decides what a commit whose ids are (partly) stored already is. Only an identical retry of the whole
 * commit is idempotent: every event stored, in the same stream, contiguous and in the same order, with
 * the same content, where the commit's expected revisions put it. Then the first result comes back with
 * `replayed: true`, whatever happened to the streams since. Anything else reuses an id: DuplicateEventId,
 * also for identical events the given expected revision would put elsewhere (that append cannot be a
 * retry of the stored one, and reporting "wrong expected revision" would contradict the actual one).
 * Pure, so every adapter decides the same way.
 */
export function resolveStoredCommit(
  writes: readonly StreamWrite[],
  stored: ReadonlyMap<string, StoredEvent>,
): AppendResult[] {
  const firstStoredId = writes.flatMap((write) => write.events).find((event) => stored.has(event.id))?.id;
  if (firstStoredId === undefined) {
    throw new Error('resolveStoredCommit called for a commit none of whose ids is stored');
  }
  const placements: { write: StreamWrite; events: StoredEvent[] }[] = [];
  for (const write of writes) {
    const events: StoredEvent[] = [];
    for (const [index, event] of write.events.entries()) {
      const found = stored.get(event.id);
      if (!found) throw new DuplicateEventId(firstStoredId, 'is already stored by another commit');
      const contiguous = index === 0 || found.revision === events[0].revision + BigInt(index);
      if (found.stream !== write.stream || !contiguous) {
        throw new DuplicateEventId(
          event.id,
          `is already stored in another place (${found.stream}@${found.revision})`,
        );
      }
      if (!sameContent(found, event))
        throw new DuplicateEventId(event.id, 'is already stored with other content');
      events.push(found);
    }
    placements.push({ write, events });
  }
  for (const { write, events } of placements) {
    if (!placementAgrees(write, events[0].revision)) {
      throw new DuplicateEventId(
        write.events[0].id,
        `is already stored at revision ${events[0].revision}, not where expected revision ${String(write.expected)} puts it`,
      );
    }
  }
  return placements.map(({ write, events }) => appendResult(write, events[events.length - 1], true));
}
