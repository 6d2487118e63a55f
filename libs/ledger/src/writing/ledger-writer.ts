import type { AppendResult, EventStore, JsonObject } from '@wasteflow/event-store';
import { findEarlier } from './idempotency-records';
import { AbsentCreatedReader } from './optimisations/created-absent';
import { HotStreamTurns } from './optimisations/hot-stream-turns';
import { ReusingReader } from './optimisations/reused-reads';
import { CachedReader, StreamStateCache } from './optimisations/state-cache';
import { randomBackoff } from './retry-pacing';
import { outcomeOf, sealDecision, sealDerived, type DerivedMetadata } from './sealing';
import { StoreReader, type StreamReader, type UnitOfWork } from './unit-of-work';
import { decideChecked, runWrite, type PreviousAttempt, type WriteLoopParts } from './write-loop';
import {
  STALE_READ,
  type Decide,
  type Decision,
  type PreparedCommit,
  type StreamEvents,
  type WriteContext,
  type WriteOutcome,
} from './write-types';

export { WASTEFLOW_ID_NAMESPACE, derivedEventId, eventId, uuidv5 } from './event-ids';
export { idempotencyScope, type IdempotencyRecord } from './idempotency-records';
export { isConflict } from './write-loop';
// the write path's types, all of them: callers import them from here
export * from './write-types';

/**
 * The optional layers over the write path's core (docs/performance.md, "The write path: a small core and
 * named optimisations"). Each is on by default; turning one off changes the cost, never an answer.
 */
export interface WriteOptimisations {
  /** Folded stream states kept by revision between requests (default 10,000 streams; 0: off). */
  readonly stateCacheSize?: number;
  /** A first attempt takes the streams it creates as absent without reading them (atomic stores only). */
  readonly createdStreamsAbsent?: boolean;
  /** A retry after a conflict reads again only the stream that conflicted. */
  readonly reuseReadsOnRetry?: boolean;
  /** Losers of a race on a contended stream retry one after the other (in this process). */
  readonly hotStreamTurns?: boolean;
  /**
   * A first attempt does not look for an earlier answer: the record committed with the events refuses
   * the commit if there is one (atomic stores only; a refusal still looks, see decideChecked).
   */
  readonly firstAttemptSkipsLookup?: boolean;
}

export interface LedgerWriterOptions extends WriteOptimisations {
  readonly maxAttempts?: number;
}

/** Every optimisation off: the core alone (tests of the core, measurements of each layer's gain). */
export const CORE_ONLY: WriteOptimisations = {
  stateCacheSize: 0,
  createdStreamsAbsent: false,
  reuseReadsOnRetry: false,
  hotStreamTurns: false,
  firstAttemptSkipsLookup: false,
};

/**
 * The one way commands reach the log: load → decide → append with the expected revisions, all streams of
 * a decision and its idempotency record in one commit (docs/adr/0001, 0008); see `runWrite` for the core
 * and WriteOptimisations for the layers over it. Event ids are derived from (actor, key, stream, index),
 * so even a retry racing the first attempt, or coming after its record expired, cannot store an event
 * twice. Every event is sealed into its stream's hash chain (docs/adr/0004).
 */
export class LedgerWriter {
  readonly maxAttempts: number;
  private readonly parts: WriteLoopParts;

  constructor(
    private readonly store: EventStore,
    options: LedgerWriterOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 12;
    this.parts = {
      store,
      maxAttempts: this.maxAttempts,
      looksFirst: lookupPolicy(store, options),
      reader: readerPolicy(store, options),
      pacing: options.hotStreamTurns === false ? randomBackoff : new HotStreamTurns(randomBackoff),
    };
  }

  execute<R extends JsonObject>(context: WriteContext, decide: Decide<R>): Promise<WriteOutcome<R>> {
    return runWrite(this.parts, context, decide);
  }

  /** See `decideChecked` in write-loop.ts (WriteGroup decides its items through it). */
  decideChecked<R extends JsonObject>(
    context: WriteContext,
    decide: Decide<R>,
    unitOfWork: UnitOfWork,
  ): Promise<Decision<R> | WriteOutcome<R> | typeof STALE_READ> {
    return decideChecked(this.store, context, decide, unitOfWork);
  }

  /**
   * Seals a decision (ids, metadata, hash chains from the versions the unit of work read, the
   * idempotency record); an answer found instead of a decision passes through.
   */
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R>,
  ): PreparedCommit<R>;
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R> | WriteOutcome<R>,
  ): PreparedCommit<R> | WriteOutcome<R>;
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R> | WriteOutcome<R>,
  ): PreparedCommit<R> | WriteOutcome<R> {
    return 'replayed' in decision ? decision : sealDecision(context, unitOfWork, decision);
  }

  /** The outcome of a prepared commit from the store's results for its `commit`. */
  outcomeOf<R extends JsonObject>(
    prepared: PreparedCommit<R>,
    results: readonly AppendResult[],
  ): WriteOutcome<R> {
    return outcomeOf(prepared, results);
  }

  /**
   * The answer already given to this (actor, key), when its record is kept: the same request gets it
   * again; another request under the same key is refused (422).
   */
  findEarlier<R extends JsonObject>(context: WriteContext): Promise<WriteOutcome<R> | undefined> {
    return findEarlier<R>(this.store, context);
  }

  /**
   * Appends events derived from another event (the process manager): ids come from the cause (its id,
   * the stream, the index) and the metadata copies the cause's times, so running twice writes once and a
   * racing second run is a byte-identical, idempotent retry. Returns nothing when there was nothing to
   * write.
   */
  async appendDerived(
    unitOfWork: UnitOfWork,
    writes: readonly StreamEvents[],
    metadata: DerivedMetadata,
  ): Promise<AppendResult[]> {
    const streamWrites = sealDerived(unitOfWork, writes, metadata);
    if (streamWrites.length === 0) return [];
    return this.store.appendToStreams(streamWrites);
  }
}

function lookupPolicy(store: EventStore, options: WriteOptimisations): (attempt: number) => boolean {
  // Where the record is committed atomically with the events, a first attempt need not look: if the
  // record exists, the commit is refused (nothing written) and the answer is read then.
  const skipFirst = (options.firstAttemptSkipsLookup ?? true) && store.capabilities.atomicMultiStreamAppend;
  return (attempt) => attempt > 1 || !skipFirst;
}

function readerPolicy(
  store: EventStore,
  options: WriteOptimisations,
): (attempt: number, previous: PreviousAttempt | undefined) => StreamReader {
  const cacheSize = options.stateCacheSize ?? 10_000;
  const core = new StoreReader(store);
  const base = cacheSize > 0 ? new CachedReader(core, store, new StreamStateCache(cacheSize)) : core;
  const absentCreated =
    (options.createdStreamsAbsent ?? true) && store.capabilities.atomicMultiStreamAppend
      ? new AbsentCreatedReader(base)
      : undefined;
  const reuse = options.reuseReadsOnRetry ?? true;
  return (attempt, previous) => {
    if (attempt === 1 && absentCreated) return absentCreated;
    if (reuse && previous?.conflicting !== undefined) {
      return new ReusingReader(base, previous.reads, previous.conflicting);
    }
    return base;
  };
}
