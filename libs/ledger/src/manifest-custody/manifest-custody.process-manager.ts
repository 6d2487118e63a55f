import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isDomainError, traceCodesOf, upcast, type ManifestEvent } from '@wasteflow/domain';
import type { EventStore, RecordedEvent, Subscription } from '@wasteflow/event-store';
import { isConflict, type LedgerWriter } from '../writing/ledger-writer';
import { lastEventOf, StoreUnitOfWork } from '../writing/unit-of-work';
import { CUSTODY_EVENT_TYPES, custodyWritesFor } from './custody-step';

/** The process manager's checkpoint, in the event store's bookkeeping (beside the log, under a lease). */
export const MANIFEST_CUSTODY_CHECKPOINT = 'manifest-custody';
/**
 * Where versions before docs/adr/0008 kept it: `CheckpointRecorded { position }` events in this stream,
 * appended with `any` by every instance. Read once, when the bookkeeping holds no position yet.
 */
export const LEGACY_CHECKPOINT_STREAM = '$checkpoint-manifest-custody';
/** Actor recorded on the events the process manager derives. */
export const MANIFEST_CUSTODY_ACTOR = 'process:manifest-custody';

export interface ProcessManagerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ManifestCustodyOptions {
  /** A checkpoint is written after this many handled manifest events (default 100) … */
  readonly checkpointEvery?: number;
  /** … or once the subscription has been idle this long after handling some (default 1000 ms), and on stop. */
  readonly idleCheckpointMs?: number;
  /** Wait before resubscribing after a failure (default 1000 ms). */
  readonly restartDelayMs?: number;
  /** Attempts per batch when concurrent writers conflict (default 5). */
  readonly maxAttempts?: number;
  /**
   * How long the lease lasts without renewal (default 15 s): one instance runs the process manager, the
   * others stand by and take over when it stops (at once: it releases) or dies (after this long).
   */
  readonly leaseTtlMs?: number;
  /** Who this instance is in the lease (default host:pid:random). */
  readonly owner?: string;
  /** Epoch ms (tests move it). */
  readonly clock?: () => number;
  readonly logger?: ProcessManagerLogger;
}

export interface ManifestCustodyStatus {
  readonly running: boolean;
  /** This instance holds the lease and runs; false while it stands by. */
  readonly leader: boolean;
  /** Position of the last manifest event fully handled. */
  readonly position: bigint;
  readonly checkpoint: bigint;
  readonly handled: number;
  /** Batch commits it made (0 while the commands keep everything in step themselves). */
  readonly written: number;
  /** Batches it could not bring in step (a domain refusal: logged, then skipped). */
  readonly skipped: number;
}

const silent: ProcessManagerLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Keeps batches in step with their manifests (DESIGN.md §2 "transfer"): for every ManifestPickedUp,
 * ManifestHandedOver, ManifestReceived and ManifestCancelled in the log, each batch on it gets its custody
 * events (`custodyEventsFor`: BatchShipped; BatchHandedOver; BatchLostInTransit, BatchRejectionSplitOff + BatchReturnedFromRejection,
 * BatchReceived or BatchReturnedToShipper; BatchConsignmentReleased).
 *
 * Exactly once: each batch is loaded and asked again (`custodyEventsFor` gives [] when the batch already
 * reflects the event), then appended with the revision it was loaded at; event ids are UUIDv5 of (causing
 * event id, stream, index) and the metadata copies the cause's times, so a second run racing the first is
 * a byte-identical, idempotent retry. One commit per batch (its own stream and a rejection child): a crash
 * half-way leaves some batches done, and the rerun completes the others without repeating any.
 *
 * The commands that append these manifest events write the same custody events in their own commit, so
 * normally there is nothing left to do here; this is what completes a half-written commit (one the
 * EventStoreDB adapter wrote stream by stream before every store committed atomically, docs/adr/0017) or
 * events appended by other means (imports, repairs).
 *
 * Checkpoint: the position of the last manifest event handled, kept in the event store's bookkeeping
 * (`manifest-custody`, beside the log, docs/adr/0008) under a lease: one instance holds it and runs, the
 * others stand by and take over when its lease is released (on stop) or expires (a dead holder). Every
 * save carries the holder's fencing token, so a holder that lost the lease cannot move the checkpoint.
 * Saved every `checkpointEvery` events, after `idleCheckpointMs` without events, on every renewal and
 * on stop. The holder subscribes (catch-up, filtered on the custody event types) strictly after the saved
 * position; what it handled after the last save is handled again, harmlessly.
 */
export class ManifestCustodyProcessManager {
  private readonly logger: ProcessManagerLogger;
  private readonly checkpointEvery: number;
  private readonly idleCheckpointMs: number;
  private readonly restartDelayMs: number;
  private readonly maxAttempts: number;
  private readonly leaseTtlMs: number;
  private readonly owner: string;
  private readonly clock: () => number;
  private subscription: Subscription | undefined;
  private running = false;
  /** Fencing token of the lease we hold, if we hold it. */
  private token: bigint | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private standbyTimer: NodeJS.Timeout | undefined;
  private position = 0n;
  private checkpointed = 0n;
  private sinceCheckpoint = 0;
  private handled = 0;
  private written = 0;
  private skipped = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();

  constructor(
    private readonly store: EventStore,
    private readonly writer: LedgerWriter,
    options: ManifestCustodyOptions = {},
  ) {
    this.logger = options.logger ?? silent;
    this.checkpointEvery = options.checkpointEvery ?? 100;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 1000;
    this.restartDelayMs = options.restartDelayMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.leaseTtlMs = options.leaseTtlMs ?? 15_000;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.clock = options.clock ?? Date.now;
  }

  /** Leads when the lease is free (then runs from the saved checkpoint), otherwise stands by. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.lead();
  }

  /** Stops delivery, waits for the event in hand, saves the checkpoint and releases the lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.idleTimer);
    clearTimeout(this.restartTimer);
    clearTimeout(this.standbyTimer);
    clearInterval(this.renewTimer);
    await this.subscription?.stop().catch(() => undefined);
    this.subscription = undefined;
    await this.checkpoint();
    const token = this.token;
    this.token = undefined;
    if (token !== undefined)
      await this.store.bookkeeping.releaseCheckpoint(MANIFEST_CUSTODY_CHECKPOINT, token);
  }

  status(): ManifestCustodyStatus {
    return {
      running: this.running,
      leader: this.token !== undefined,
      position: this.position,
      checkpoint: this.checkpointed,
      handled: this.handled,
      written: this.written,
      skipped: this.skipped,
    };
  }

  /** Resolves once every manifest event up to `position` has been handled (tests, read-your-writes). */
  async waitFor(position: bigint, timeoutMs = 10_000): Promise<void> {
    if (this.position >= position) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`manifest custody did not reach position ${position} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Handles one manifest event: the custody step for each of its batches, one commit per batch. Throws
   * when the store fails (the subscription then restarts from the last handled position).
   */
  async handle(recorded: RecordedEvent): Promise<void> {
    let event: ManifestEvent;
    try {
      event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as ManifestEvent;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipped += 1;
      this.logger.warn(`${recorded.type} at position ${recorded.position} skipped: ${error.message}`);
      return;
    }
    for (const traceCode of traceCodesOf(event)) {
      await this.bringInStep(recorded, event, traceCode);
    }
  }

  /** Takes the lease if it is free and runs from its position; otherwise looks again later. */
  private async lead(): Promise<void> {
    const now = this.clock();
    const lease = await this.store.bookkeeping.acquireCheckpoint(
      MANIFEST_CUSTODY_CHECKPOINT,
      this.owner,
      now,
      now + this.leaseTtlMs,
    );
    if (!this.running) {
      if (lease) await this.store.bookkeeping.releaseCheckpoint(MANIFEST_CUSTODY_CHECKPOINT, lease.token);
      return;
    }
    if (!lease) {
      this.standBy();
      return;
    }
    this.token = lease.token;
    const saved = lease.position > 0n ? lease.position : await this.legacyCheckpoint();
    this.position = saved;
    this.checkpointed = saved;
    this.logger.log(`leading (lease token ${lease.token}) from position ${saved}`);
    this.subscribe();
    clearInterval(this.renewTimer);
    this.renewTimer = setInterval(
      () => void this.checkpoint(true).catch(() => undefined),
      this.leaseTtlMs / 3,
    );
    this.renewTimer.unref?.();
  }

  private standBy(): void {
    clearTimeout(this.standbyTimer);
    if (!this.running) return;
    this.standbyTimer = setTimeout(() => void this.lead().catch(() => this.standBy()), this.leaseTtlMs / 3);
    this.standbyTimer.unref?.();
  }

  /** The lease was taken by another instance (its save was fenced out): stop, stand by. */
  private demote(): void {
    if (this.token === undefined) return;
    this.token = undefined;
    clearInterval(this.renewTimer);
    clearTimeout(this.idleTimer);
    this.logger.warn(`lost the lease at position ${this.position}; standing by`);
    // Not awaited: this may run inside the subscription's own handler (a save after a batch), whose
    // stop() would wait for it. The handler returns, and the stopped subscription ends after it.
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.stop().catch(() => undefined);
    this.standBy();
  }

  /** The position versions before docs/adr/0008 saved as events (0n when there is none). */
  private async legacyCheckpoint(): Promise<bigint> {
    const last = await lastEventOf(this.store, LEGACY_CHECKPOINT_STREAM);
    return typeof last?.data.position === 'string' ? BigInt(last.data.position) : 0n;
  }

  private subscribe(): void {
    const subscription = this.store.subscribeToAll(
      {
        onBatch: async (events) => {
          for (const event of events) {
            await this.handle(event);
            this.advance(event.position);
          }
          if (this.sinceCheckpoint >= this.checkpointEvery) await this.checkpoint();
          this.armIdleCheckpoint();
        },
      },
      {
        after: this.position,
        filter: { eventTypes: [...CUSTODY_EVENT_TYPES], streamPrefixes: ['manifest-'] },
      },
    );
    this.subscription = subscription;
    subscription.finished.catch((error: unknown) => {
      if (!this.running || this.subscription !== subscription) return;
      this.logger.error(
        `stopped at position ${this.position}: ${error instanceof Error ? error.message : String(error)}; resuming in ${this.restartDelayMs} ms`,
      );
      this.restartTimer = setTimeout(() => {
        if (this.running && this.token !== undefined && this.subscription === subscription) this.subscribe();
      }, this.restartDelayMs);
      this.restartTimer.unref?.();
    });
  }

  private advance(position: bigint): void {
    this.position = position;
    this.handled += 1;
    this.sinceCheckpoint += 1;
    for (const waiter of this.waiters) {
      if (waiter.position <= position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private async bringInStep(cause: RecordedEvent, event: ManifestEvent, traceCode: string): Promise<void> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const unitOfWork = new StoreUnitOfWork(this.store);
      try {
        const { writes } = await custodyWritesFor(unitOfWork, event, traceCode);
        if (writes.length === 0) return;
        await this.writer.appendDerived(unitOfWork, writes, {
          actor: MANIFEST_CUSTODY_ACTOR,
          correlationId: stringOr(cause.metadata.correlationId, cause.id),
          causationId: cause.id,
          recordedAt: stringOr(cause.metadata.recordedAt, cause.recordedAt.toISOString()),
        });
        this.written += 1;
        this.logger.log(`${cause.type} ${event.data.manifestNo}: custody of ${traceCode} brought in step`);
        return;
      } catch (error) {
        if (isConflict(error) && attempt < this.maxAttempts) continue;
        if (isDomainError(error)) {
          // The batch cannot take the event (a corrupt or hand-edited history): report it, do not block
          // every later manifest behind it.
          this.skipped += 1;
          this.logger.warn(
            `${cause.type} ${event.data.manifestNo} (position ${cause.position}): batch ${traceCode} skipped: ${error.message}`,
          );
          return;
        }
        throw error;
      }
    }
  }

  private armIdleCheckpoint(): void {
    clearTimeout(this.idleTimer);
    if (!this.running || this.position <= this.checkpointed) return;
    this.idleTimer = setTimeout(() => void this.checkpoint().catch(() => undefined), this.idleCheckpointMs);
    this.idleTimer.unref?.();
  }

  /**
   * Saves the current position when it moved (or always, to renew the lease), with the lease's token;
   * saves are serialised so positions only grow. A save fenced out demotes this instance.
   */
  private checkpoint(renew = false): Promise<void> {
    this.checkpointing = this.checkpointing
      .catch(() => undefined)
      .then(async () => {
        const token = this.token;
        const position = this.position;
        if (token === undefined || (!renew && position <= this.checkpointed)) return;
        const saved = await this.store.bookkeeping.saveCheckpoint(
          MANIFEST_CUSTODY_CHECKPOINT,
          token,
          position,
          this.clock() + this.leaseTtlMs,
        );
        if (!saved) {
          this.demote();
          return;
        }
        this.checkpointed = position;
        this.sinceCheckpoint = 0;
      });
    return this.checkpointing;
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
