import type { EventStore, IdempotencyRecordWrite, JsonObject, StreamWrite } from '@wasteflow/event-store';
import { actorOf, type Principal } from '../access/principal';
import { IdempotencyKeyReused } from './ledger-errors';
import { maxPosition, type WriteContext, type WriteOutcome, type WrittenStream } from './write-types';

/**
 * What is kept under (actor, Idempotency-Key) beside the log (docs/adr/0008): the request's hash, the
 * answer and the revisions and event ids written. The same JSON the `IdempotentWriteRecorded` events of
 * older versions held as their data, so old records are copied over unchanged (legacy-bookkeeping.ts).
 */
export interface IdempotencyRecord extends JsonObject {
  requestHash: string;
  result: JsonObject;
  writes: { stream: string; revision: string; eventIds: string[] }[];
}

/**
 * Whose key it is: the actor (`party:<USCC>` for party tokens, so two tokens of one party share their
 * keys; `<kind>:<tokenId>` otherwise).
 */
export function idempotencyScope(principal: Principal): string {
  return actorOf(principal);
}

/** The record of a sealed decision, committed with its events. */
export function recordOf(
  context: WriteContext,
  result: JsonObject,
  writes: readonly StreamWrite[],
): IdempotencyRecordWrite {
  const record: IdempotencyRecord = {
    requestHash: context.requestHash,
    result,
    writes: writes.map((write) => ({
      stream: write.stream,
      revision: lastRevision(write).toString(),
      eventIds: write.events.map((event) => event.id),
    })),
  };
  return { scope: idempotencyScope(context.principal), key: context.idempotencyKey, record };
}

/**
 * The answer already given to this (actor, key), when one is kept: the same request gets it again
 * (positions re-read from the recorded revisions); another request under the same key is refused (422).
 */
export async function findEarlier<R extends JsonObject>(
  store: EventStore,
  context: WriteContext,
): Promise<WriteOutcome<R> | undefined> {
  const kept = await store.bookkeeping.readIdempotencyRecord(
    idempotencyScope(context.principal),
    context.idempotencyKey,
  );
  if (!kept) return undefined;
  const record = kept.record as IdempotencyRecord;
  if (record.requestHash !== context.requestHash) throw new IdempotencyKeyReused(context.idempotencyKey);
  const streams = await Promise.all(
    record.writes.map(async (write): Promise<WrittenStream> => {
      const revision = BigInt(write.revision);
      const [last] = await store.readStream(write.stream, { fromRevision: revision, limit: 1 });
      return { stream: write.stream, revision, position: last?.position ?? 0n, eventIds: write.eventIds };
    }),
  );
  return { result: record.result as R, streams, position: maxPosition(streams), replayed: true };
}

function lastRevision(write: StreamWrite): bigint {
  if (typeof write.expected !== 'bigint' && write.expected !== 'no_stream') {
    throw new Error(`a ledger write expects an exact revision, not ${write.expected}`);
  }
  const base = write.expected === 'no_stream' ? -1n : write.expected;
  return base + BigInt(write.events.length);
}
