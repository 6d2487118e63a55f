import {
  DuplicateEventId,
  IdempotencyRecordExists,
  WrongExpectedRevision,
  type EventStore,
  type JsonObject,
} from '@wasteflow/event-store';
import { findEarlier } from './idempotency-records';
import { ConcurrencyExhausted, IdempotencyRecordExpired } from './ledger-errors';
import type { RetryPacing } from './retry-pacing';
import { outcomeOf, sealDecision } from './sealing';
import { StoreUnitOfWork, type StreamRead, type StreamReader, type UnitOfWork } from './unit-of-work';
import { STALE_READ, type Decide, type Decision, type WriteContext, type WriteOutcome } from './write-types';

/** A concurrent write got there first: reload and decide again (or find the record of a duplicate). */
export function isConflict(error: unknown): boolean {
  return (
    error instanceof WrongExpectedRevision ||
    error instanceof DuplicateEventId ||
    error instanceof IdempotencyRecordExists
  );
}

/** The previous attempt, as the next one may start from it. */
export interface PreviousAttempt {
  readonly reads: ReadonlyMap<string, StreamRead>;
  /** The stream whose expected revision failed (undefined after a duplicate id or a taken key). */
  readonly conflicting?: string;
}

/** The parts of the write loop: the core's, or the core's wrapped by the optimisations. */
export interface WriteLoopParts {
  readonly store: EventStore;
  readonly maxAttempts: number;
  /** Whether attempt `attempt` looks for the record of an earlier answer before it decides. */
  readonly looksFirst: (attempt: number) => boolean;
  /** How attempt `attempt` reads its streams. */
  readonly reader: (attempt: number, previous: PreviousAttempt | undefined) => StreamReader;
  readonly pacing: RetryPacing;
}

/**
 * The write path's core: load → decide → commit with the expected revisions → on a conflict, back off and
 * do it all again → an earlier answer under the same key is given again instead.
 *
 *  - The decision's events and its idempotency record are one commit (docs/adr/0008): a retried request
 *    finds the record and gets the first answer; another request under the key is refused (422).
 *  - A conflict (another writer moved a stream, took an id or the key) makes it start over, a bounded
 *    number of times (`maxAttempts`, and what the pacing grants beyond), then 409 (ConcurrencyExhausted).
 *  - The pacing says how long to wait after a conflict, and may hold a commit back until the command's
 *    turn on a hot stream (an optimisation, HotStreamTurns); then it decides again first.
 *  - A refusal stands only if it was decided on current reads (`decideChecked`).
 *  - Where commits are atomic, event ids already stored with no record under the key mean the key was
 *    used by a request whose record has expired: decided once more on full reads (the domain may refuse
 *    on its own terms), then 409 IdempotencyRecordExpired; nothing is appended twice.
 */
export async function runWrite<R extends JsonObject>(
  parts: WriteLoopParts,
  context: WriteContext,
  decide: Decide<R>,
): Promise<WriteOutcome<R>> {
  const { store, maxAttempts } = parts;
  const atomic = store.capabilities.atomicMultiStreamAppend;
  const pacing = parts.pacing.start(maxAttempts);
  let touched: readonly string[] = [];
  let previous: PreviousAttempt | undefined;
  /** Ids of this key's events were found stored, with no record under the key (see below). */
  let storedWithoutRecord = false;
  try {
    for (let attempt = 1; attempt <= maxAttempts + pacing.extraAttempts(); attempt++) {
      if (parts.looksFirst(attempt)) {
        const earlier = await findEarlier<R>(store, context);
        if (earlier) return earlier;
      }
      const unitOfWork = new StoreUnitOfWork(store, parts.reader(attempt, previous));
      const decision = await decideChecked(store, context, decide, unitOfWork);
      if (decision === STALE_READ) {
        // refused on reads a concurrent write has overtaken: decide again on a full, fresh read
        previous = undefined;
        continue;
      }
      if ('replayed' in decision) return decision;
      const waited = await pacing.beforeCommit(attempt, contendedStreams(decision));
      if (waited !== undefined) {
        // it waited for its turn on a hot stream, which the writers before it have moved: decide again
        previous = { reads: unitOfWork.reads, conflicting: waited };
        continue;
      }
      const prepared = sealDecision(context, unitOfWork, decision);
      touched = prepared.writes.map((write) => write.stream);
      let stored: boolean;
      try {
        const results = await store.appendToStreams(prepared.commit, { idempotency: [prepared.record] });
        // An identical retry of stored events commits nothing, its record neither: handled as stored ids.
        stored = atomic && results.length > 0 && results.every((result) => result.replayed);
        if (!stored) return outcomeOf(prepared, results);
      } catch (error) {
        if (!isConflict(error)) throw error;
        stored = atomic && error instanceof DuplicateEventId;
        if (error instanceof IdempotencyRecordExists || stored) {
          const earlier = await findEarlier<R>(store, context);
          if (earlier) return earlier;
        }
        if (!stored) {
          const stream = error instanceof WrongExpectedRevision ? error.stream : undefined;
          previous = { reads: unitOfWork.reads, conflicting: stream };
          await pacing.afterConflict(attempt, { stream, contended: isContended(decision, stream) });
          continue;
        }
      }
      // Where commits are atomic, this key's event ids stored without its record mean the record expired
      // (it was committed with them). Decide once more on full reads — the domain may refuse on its own
      // terms ("batch already exists") — and if the same ids come back, refuse: never applied twice.
      if (storedWithoutRecord) throw new IdempotencyRecordExpired(context.idempotencyKey);
      storedWithoutRecord = true;
      previous = undefined;
    }
  } finally {
    pacing.finish();
  }
  throw new ConcurrencyExhausted(maxAttempts + pacing.extraAttempts(), touched);
}

/**
 * The decision; or, when the domain refuses it:
 *  - the answer of a duplicate of this request that committed meanwhile (two concurrent requests under
 *    one key: the second sees the first's batch or manifest and must answer like the first, not "already
 *    exists");
 *  - STALE_READ when a stream it was decided on has changed since it was read (reads of several streams
 *    are not one snapshot: a manifest read before a cancellation and its batch read after it): the
 *    caller decides again;
 *  - else the refusal stands: it was decided on a consistent, current state.
 */
export async function decideChecked<R extends JsonObject>(
  store: EventStore,
  context: WriteContext,
  decide: Decide<R>,
  unitOfWork: UnitOfWork,
): Promise<Decision<R> | WriteOutcome<R> | typeof STALE_READ> {
  try {
    return await decide(unitOfWork);
  } catch (error) {
    const earlier = await findEarlier<R>(store, context);
    if (earlier) return earlier;
    if (await unitOfWork.changedSinceRead()) return STALE_READ;
    throw error;
  }
}

/** The streams the decision writes that many requests write (marked `contended`). */
function contendedStreams(decision: Decision<JsonObject>): string[] {
  return decision.writes.filter((write) => write.contended && write.events.length > 0).map((w) => w.stream);
}

function isContended(decision: Decision<JsonObject>, stream: string | undefined): boolean {
  return stream !== undefined && contendedStreams(decision).includes(stream);
}
