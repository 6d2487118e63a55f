import type { EventStore } from '@wasteflow/event-store';
import { LeaseLost, ProjectionSwapped, type Fence } from '../database/backend';
import { isDataError, type BatchApplier, type CommitOutcome, type OpenBatch } from './batch-applier';
import { CarriedRows } from './carried-rows';

/**
 * Events per read while replaying (at most the batch size): a page is applied and dropped between two
 * young-generation GCs (docs/performance.md, "Rebuild: profile and fixes").
 */
export const REPLAY_PAGE_SIZE = 1000;

/**
 * Times a replay batch is sent when its transaction ended before it committed. A batch's transaction is
 * bounded (PostgreSQL's `idleInTransactionMs`, 5 s, so that a stalled holder cannot keep the lease's row
 * lock): on a loaded host the process can go longer than that between two of its statements (a full GC of
 * a large replay's heap, other work of the process, the scheduler), and the server ends the session. Nothing
 * of the batch committed then (one transaction), so it is sent again, whole, under the lease's current fence.
 */
export const REPLAY_COMMIT_ATTEMPTS = 4;

export interface ReplayProgress {
  /** Position reached. */
  readonly processed: bigint;
  /** Where the replay ends (the head when it started). */
  readonly total: bigint;
  /** Events read so far. */
  readonly events: number;
}

export interface ReplayOptions {
  readonly store: EventStore;
  readonly applier: BatchApplier;
  readonly fence: () => Fence;
  readonly after: bigint;
  readonly until: bigint;
  readonly batchSize: number;
  /** Carry committed rows between batches: only when nobody else writes these tables. */
  readonly carry: boolean;
  /** At most this many carried rows (CarriedRows' default when undefined). */
  readonly carriedRowsLimit?: number;
  readonly onCommit?: (outcome: CommitOutcome, batch: OpenBatch) => void;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** A batch's commit failed before it committed and is sent again (`attempt` is the one that failed). */
  readonly onResend?: (batch: OpenBatch, error: unknown, attempt: number) => void;
}

/** Not worth sending again: the lease went to another holder, a swap overtook the batch, rows were refused. */
function isFinal(error: unknown): boolean {
  return error instanceof LeaseLost || error instanceof ProjectionSwapped || isDataError(error);
}

/**
 * Commits a replay batch; when the commit fails and none of it reached the database (every checkpoint it
 * moves is where it was), sends it again, up to REPLAY_COMMIT_ATTEMPTS. A commit whose outcome is unknown
 * (the connection lost while COMMIT travelled, and it did commit) is never sent twice: its checkpoints moved.
 */
async function commitResending(
  options: ReplayOptions,
  batch: OpenBatch,
  carried: CarriedRows | undefined,
): Promise<CommitOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.applier.commit(batch, options.fence, { carried });
    } catch (error) {
      if (attempt >= REPLAY_COMMIT_ATTEMPTS || isFinal(error)) throw error;
      const uncommitted = await options.applier.uncommitted(batch).catch(() => false);
      if (!uncommitted) throw error;
      options.onResend?.(batch, error, attempt);
    }
  }
}

/**
 * Replays the log from `after` to `until` into the applier's projections: read in small pages (the next
 * one fetched while this one is applied), committed every `batchSize` events. Returns the position reached
 * and the events read.
 */
export async function replay(options: ReplayOptions): Promise<{ position: bigint; events: number }> {
  const { store, applier, until, batchSize } = options;
  const carried = options.carry ? new CarriedRows(options.carriedRowsLimit) : undefined;
  let position = options.after;
  let events = 0;
  options.onProgress?.({ processed: position, total: until, events });
  const commit = async (batch: OpenBatch): Promise<void> => {
    const outcome = await commitResending(options, batch, carried);
    options.onCommit?.(outcome, batch);
    position = batch.to;
    events += batch.events;
    options.onProgress?.({ processed: position, total: until, events });
  };
  try {
    const pageSize = Math.min(batchSize, REPLAY_PAGE_SIZE);
    let next = position < until ? store.readAll({ after: position, limit: pageSize }) : undefined;
    let batch: OpenBatch | undefined;
    while (next) {
      const page = await next;
      if (page.length === 0) break;
      const last = page[page.length - 1].position;
      next = last < until ? store.readAll({ after: last, limit: pageSize }) : undefined;
      // A failing batch must not leave the read-ahead's rejection unhandled.
      next?.catch(() => undefined);
      batch ??= applier.open(page[0].position, carried);
      await applier.evolve(batch, page);
      if (batch.events < batchSize && next) continue;
      // The read ahead (issued before this page's evolve, long done as a rule) lands before the commit: its
      // answer decoded on the event loop while the transaction is open would be idle time in the transaction.
      if (next) await next;
      await commit(batch);
      batch = undefined;
    }
    if (batch) await commit(batch);
  } finally {
    carried?.clear();
  }
  return { position, events };
}
