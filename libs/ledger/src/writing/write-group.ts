import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EventStore, JsonObject } from '@wasteflow/event-store';
import { IdempotencyKeyReused } from './ledger-errors';
import type { LedgerWriter } from './ledger-writer';
import type { UnitOfWork } from './unit-of-work';
import { Overlay } from './write-group-overlay';
import { isConflict } from './write-loop';
import {
  STALE_READ,
  type Decision,
  type PreparedCommit,
  type WriteContext,
  type WriteOutcome,
} from './write-types';

export interface GroupItem<R extends JsonObject = JsonObject> {
  readonly context: WriteContext;
  readonly decide: (unitOfWork: UnitOfWork) => Promise<Decision<R>>;
  /** The people records its plan stored (ADR 14): removed by the runner when the item is refused. */
  readonly stored?: Set<string>;
}

export type GroupResult<R extends JsonObject = JsonObject> =
  { readonly ok: true; readonly outcome: WriteOutcome<R> } | { readonly ok: false; readonly error: unknown };

export interface WriteGroupOptions {
  /** Rows per commit before the group is flushed (each item adds its streams and its record). */
  readonly maxWritesPerCommit?: number;
  /**
   * Longest run of items decided without letting the event loop in (default 10 ms): a bulk request of
   * 1,000 items must not hold every other request (and /health) until it is done. 0 never yields.
   */
  readonly yieldAfterMs?: number;
}

interface Pending {
  readonly index: number;
  readonly item: GroupItem;
  /** Undefined for an item that repeats the key of an earlier pending item (a replay of it). */
  readonly prepared?: PreparedCommit;
  readonly replayOf?: number;
}

/**
 * Bulk writing (POST /v1/commands) with the semantics of one request per item and the cost of one commit
 * per group:
 *
 *  - items are decided in order, each against an overlay: the store's streams plus what the earlier items
 *    of the group decided (a later item may depend on an earlier one);
 *  - each item is exactly what `LedgerWriter.execute` would write (same ids, metadata, hash chains,
 *    idempotency record), so the group commit is the concatenation of the items' commits, with expected
 *    revisions that chain through the overlay;
 *  - a refused item (4xx) adds nothing to the overlay: it fails alone;
 *  - the group is committed in one `appendToStreams` (flushed every `maxWritesPerCommit` appends); if that
 *    commit hits a concurrency conflict (another writer touched one of the streams), nothing of it was
 *    written, and its items are run again one by one through `LedgerWriter.execute`, in order, each with
 *    its own retries: the answers are those of item-by-item requests.
 *
 * Where the store cannot commit several streams atomically every item is its own request; where it names
 * each stream once per commit (KurrentDB), an item repeating a stream of the group starts the next commit.
 * Between items it lets the event loop in now and then (`yieldAfterMs`), so that other requests are
 * served while a long bulk request is decided.
 */
export class WriteGroup {
  private readonly maxWrites: number;
  private readonly yieldAfterMs: number;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly store: EventStore,
    options: WriteGroupOptions = {},
  ) {
    this.maxWrites = options.maxWritesPerCommit ?? 500;
    this.yieldAfterMs = options.yieldAfterMs ?? 10;
  }

  async run(items: readonly GroupItem[]): Promise<GroupResult[]> {
    const results: GroupResult[] = new Array(items.length);
    const pause = this.pauses();
    if (!this.store.capabilities.atomicMultiStreamAppend) {
      for (const [index, item] of items.entries()) {
        results[index] = await this.one(item);
        await pause();
      }
      return results;
    }
    let overlay = new Overlay(this.store);
    let pending: Pending[] = [];
    let writeCount = 0;
    // Where a commit names each stream once (KurrentDB), an item touching a stream already in the group
    // goes into the next commit: the group is flushed before it (keys compared without case, as there).
    const oncePerCommit = this.store.capabilities.streamsOncePerAppend === true;
    let pendingStreams = new Set<string>();

    const flush = async (): Promise<void> => {
      const group = pending;
      pending = [];
      writeCount = 0;
      pendingStreams = new Set<string>();
      if (group.length === 0) return;
      const commit = group.flatMap((p) => p.prepared?.commit ?? []);
      const records = group.flatMap((p) => (p.prepared ? [p.prepared.record] : []));
      let appended;
      try {
        appended =
          commit.length === 0 ? [] : await this.store.appendToStreams(commit, { idempotency: records });
      } catch (error) {
        if (!isConflict(error)) throw error;
        // Nothing of the group was written: every item runs again on its own, in order.
        overlay = new Overlay(this.store);
        for (const p of group) results[p.index] = await this.one(p.item);
        return;
      }
      let offset = 0;
      for (const p of group) {
        if (p.prepared) {
          const count = p.prepared.commit.length;
          results[p.index] = {
            ok: true,
            outcome: this.writer.outcomeOf(p.prepared, appended.slice(offset, offset + count)),
          };
          offset += count;
        } else {
          const first = results[p.replayOf as number];
          results[p.index] =
            first.ok === true
              ? { ok: true, outcome: withoutSecret({ ...first.outcome, replayed: true }) }
              : first;
        }
      }
      overlay.committed();
    };

    for (const [index, item] of items.entries()) {
      await pause();
      const earlierInGroup = overlay.pendingRecord(item.context);
      if (earlierInGroup) {
        if (earlierInGroup.requestHash === item.context.requestHash) {
          pending.push({ index, item, replayOf: earlierInGroup.index });
        } else {
          results[index] = { ok: false, error: new IdempotencyKeyReused(item.context.idempotencyKey) };
        }
        continue;
      }
      let prepared: PreparedCommit;
      try {
        const earlier = await this.writer.findEarlier(item.context);
        if (earlier) {
          results[index] = { ok: true, outcome: earlier };
          continue;
        }
        const unitOfWork = overlay.unitOfWork();
        const decision = await this.writer.decideChecked(item.context, item.decide, unitOfWork);
        if (decision === STALE_READ) {
          // the overlay is behind the store: commit what the group has, then this item on its own
          await flush();
          overlay = new Overlay(this.store);
          results[index] = await this.one(item);
          continue;
        }
        if ('replayed' in decision) {
          results[index] = { ok: true, outcome: decision };
          continue;
        }
        prepared = this.writer.prepare(item.context, unitOfWork, decision);
      } catch (error) {
        results[index] = { ok: false, error };
        continue;
      }
      if (oncePerCommit) {
        const streams = prepared.commit.map((write) => write.stream.toLowerCase());
        if (streams.some((stream) => pendingStreams.has(stream))) await flush();
        for (const stream of streams) pendingStreams.add(stream);
      }
      overlay.apply(prepared, index, item.context);
      pending.push({ index, item, prepared });
      writeCount += prepared.commit.length + 1;
      if (writeCount >= this.maxWrites) await flush();
    }
    await flush();
    return results;
  }

  /**
   * A function to call between items: it lets the event loop in (setImmediate) once `yieldAfterMs` have
   * passed since it last did, so other requests are served while a bulk request is decided.
   */
  private pauses(): () => Promise<void> {
    let since = performance.now();
    return async () => {
      if (this.yieldAfterMs <= 0 || performance.now() - since < this.yieldAfterMs) return;
      await yieldToEventLoop();
      since = performance.now();
    };
  }

  private async one(item: GroupItem): Promise<GroupResult> {
    try {
      return { ok: true, outcome: await this.writer.execute(item.context, item.decide) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

function withoutSecret(outcome: WriteOutcome): WriteOutcome {
  const { secret: _secret, ...rest } = outcome;
  return rest;
}
