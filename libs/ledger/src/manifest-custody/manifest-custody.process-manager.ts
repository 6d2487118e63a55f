import { randomUUID } from 'node:crypto';
import { isDomainError, traceCodesOf, upcast, type ManifestEvent } from '@wasteflow/domain';
import type { EventStore, RecordedEvent, Subscription } from '@wasteflow/event-store';
import { isConflict, type LedgerWriter } from '../writing/ledger-writer';
import { lastEventOf, StoreUnitOfWork } from '../writing/unit-of-work';
import { CUSTODY_EVENT_TYPES, custodyWritesFor } from './custody-step';

/** The process manager's checkpoint stream (`$`: outside projections and subscriptions). */
export const MANIFEST_CUSTODY_CHECKPOINT_STREAM = '$checkpoint-manifest-custody';
export const CHECKPOINT_RECORDED = 'CheckpointRecorded';
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
  readonly logger?: ProcessManagerLogger;
}

export interface ManifestCustodyStatus {
  readonly running: boolean;
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
 * ManifestReceived and ManifestCancelled in the log, each batch on it gets its custody events
 * (`custodyEventsFor`: BatchShipped; BatchLostInTransit, BatchRejectionSplitOff + BatchReturnedFromRejection,
 * BatchReceived or BatchReturnedToShipper; BatchConsignmentReleased).
 *
 * Exactly once: each batch is loaded and asked again (`custodyEventsFor` gives [] when the batch already
 * reflects the event), then appended with the revision it was loaded at; event ids are UUIDv5 of (causing
 * event id, stream, index) and the metadata copies the cause's times, so a second run racing the first is
 * a byte-identical, idempotent retry. One commit per batch (its own stream and a rejection child): a crash
 * half-way leaves some batches done, and the rerun completes the others without repeating any.
 *
 * The commands that append these manifest events write the same custody events in their own commit, so
 * normally there is nothing left to do here; this is what completes a half-written commit (EventStoreDB
 * has no multi-stream transaction) or events appended by other means (imports, repairs).
 *
 * Checkpoint: the position of the last manifest event handled, in `$checkpoint-manifest-custody`
 * (CheckpointRecorded `{ position }`, expected revision `any`), written every `checkpointEvery` events,
 * after `idleCheckpointMs` without events, and on stop. On start it subscribes (catch-up, filtered on the
 * three event types) strictly after that position; what it handled after the last checkpoint is handled
 * again, harmlessly.
 */
export class ManifestCustodyProcessManager {
  private readonly logger: ProcessManagerLogger;
  private readonly checkpointEvery: number;
  private readonly idleCheckpointMs: number;
  private readonly restartDelayMs: number;
  private readonly maxAttempts: number;
  private subscription: Subscription | undefined;
  private running = false;
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
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const last = await lastEventOf(this.store, MANIFEST_CUSTODY_CHECKPOINT_STREAM);
    const saved = typeof last?.data.position === 'string' ? BigInt(last.data.position) : 0n;
    this.position = saved;
    this.checkpointed = saved;
    this.subscribe();
  }

  /** Stops delivery, waits for the event in hand, writes the checkpoint. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.idleTimer);
    clearTimeout(this.restartTimer);
    await this.subscription?.stop().catch(() => undefined);
    this.subscription = undefined;
    await this.checkpoint();
  }

  status(): ManifestCustodyStatus {
    return {
      running: this.running,
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
      if (!this.running) return;
      this.logger.error(
        `stopped at position ${this.position}: ${error instanceof Error ? error.message : String(error)}; resuming in ${this.restartDelayMs} ms`,
      );
      this.restartTimer = setTimeout(() => {
        if (this.running) this.subscribe();
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

  /** Writes the current position when it moved; writes are serialised so positions only grow. */
  private checkpoint(): Promise<void> {
    this.checkpointing = this.checkpointing
      .catch(() => undefined)
      .then(async () => {
        const position = this.position;
        if (position <= this.checkpointed) return;
        await this.store.append(
          MANIFEST_CUSTODY_CHECKPOINT_STREAM,
          [
            {
              id: randomUUID(),
              type: CHECKPOINT_RECORDED,
              schemaVersion: 1,
              data: { position: position.toString() },
              metadata: { actor: MANIFEST_CUSTODY_ACTOR },
            },
          ],
          'any',
        );
        this.checkpointed = position;
        this.sinceCheckpoint = 0;
      });
    return this.checkpointing;
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
