import type { EventStore } from '@wasteflow/event-store';
import type { Fence } from '../database/backend';
import type { BatchApplier, CommitOutcome, OpenBatch } from './batch-applier';
import { CarriedRows } from './carried-rows';

/**
 * Events per read while replaying (at most the batch size): a page is applied and dropped between two
 * young-generation GCs (docs/performance.md, "Rebuild: profile and fixes").
 */
export const REPLAY_PAGE_SIZE = 1000;

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
    const outcome = await applier.commit(batch, options.fence, { carried });
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
      await commit(batch);
      batch = undefined;
    }
    if (batch) await commit(batch);
  } finally {
    carried?.clear();
  }
  return { position, events };
}
