// Longer than our ~400 lines on purpose: leading, standing by, subscribing, demoting and failing are one
// state machine and are read together; its parts are in their own files (lease-keeper, batch-applier,
// shadow-rebuild, position-waiters, progress-book).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventStore, RecordedEvent, Subscription } from '@wasteflow/event-store';
import { LeaseLost, ProjectionSwapped, type ReadModelBackend } from '../database/backend';
import { createReadModelBackend } from '../database/create-backend';
import { BatchApplier, runtimeProjection, type CommitOutcome, type RuntimeProjection } from './batch-applier';
import { LeaseUnavailable, ProjectionFailed } from './errors';
import { LeaseKeeper } from './lease-keeper';
import { ownerId, resolveLeaseTiming, type LeaseTiming, type OwnerIdentity } from './lease-policy';
import { RunnerMetrics } from './metrics';
import { PositionWaiters, type WaitOutcome } from './position-waiters';
import { ProgressBook } from './progress-book';
import { validateProjections } from './projection';
import { rebuildInShadow } from './shadow-rebuild';
import { compileTable, type RowOf, type TableDefinition } from './table';
import type {
  ProjectionRunnerOptions,
  RebuildProgress,
  RebuildResult,
  RunnerError,
  RunnerLogger,
  RunnerState,
  RunnerStatus,
  RunnerTestHooks,
} from './runner-types';

export type * from './runner-types';

const DEFAULT_LEASE_NAME = 'projections';

/** status() counts the events behind by reading them, so it stops counting here. */
export const EVENTS_BEHIND_CAP = 1000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Applies events to the read models (README.md, ADR 0011). The parts, each with its own tests:
 * `LeaseKeeper` (one writer), `BatchApplier` (a batch over every healthy projection, committed with the
 * checkpoints; a projection that cannot apply an event stops alone), `rebuildInShadow` (shadow-rebuild.ts), and
 * `PositionWaiters` (read-your-writes). This class only sequences them: lead or stand by, subscribe,
 * rebuild, report.
 */
export class ProjectionRunner {
  readonly owner: string;
  private readonly backend: ReadModelBackend;
  private readonly store: EventStore;
  private readonly logger: RunnerLogger;
  private readonly projections: readonly RuntimeProjection[];
  private readonly lease: LeaseKeeper;
  private readonly book: ProgressBook;
  private readonly applier: BatchApplier;
  private readonly waiters: PositionWaiters;
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly restartDelayMs: number;
  private readonly clock: () => number;
  private readonly hooks: RunnerTestHooks;
  private readonly metrics?: RunnerMetrics;
  private readonly timing: LeaseTiming;
  private rebuilding = false;
  private readonly carryRows: boolean;
  private readonly carriedRowsLimit: number | undefined;

  private state: RunnerState = 'stopped';
  /** start() was called and neither stop() nor a failure has ended it. */
  private active = false;
  private closed = false;
  private subscription: Subscription | undefined;
  private lastError: RunnerError | undefined;
  private standbyTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Said so in the log already; standbys poll often and say it once. */
  private standingBy = false;
  private lifecycle: Promise<unknown> = Promise.resolve();

  constructor(options: ProjectionRunnerOptions) {
    validateProjections(options.projections);
    this.store = options.store;
    this.backend = createReadModelBackend(options.dataSource, options.leaseWorkTimeouts);
    this.logger = options.logger;
    this.projections = options.projections.map(runtimeProjection);
    const identity: OwnerIdentity = { host: hostname(), pid: process.pid };
    this.owner = options.owner ?? ownerId(identity, randomUUID().slice(0, 8));
    this.clock = options.clock ?? Date.now;
    this.timing = resolveLeaseTiming(options.lease);
    this.lease = new LeaseKeeper({
      backend: this.backend,
      lease: options.leaseName ?? DEFAULT_LEASE_NAME,
      owner: this.owner,
      timing: this.timing,
      clock: this.clock,
      warn: (m) => this.logger.warn(m),
      identity,
    });
    this.batchSize = positive('batchSize', options.batchSize ?? 1000);
    this.rebuildBatchSize = positive('rebuildBatchSize', options.rebuildBatchSize ?? 20_000);
    this.restartDelayMs = options.restartDelayMs ?? 5000;
    if (!Number.isSafeInteger(this.restartDelayMs) || this.restartDelayMs < 0) {
      throw new Error(`restartDelayMs must be a non-negative integer, got ${this.restartDelayMs}`);
    }
    this.hooks = options.testHooks ?? {};
    this.carryRows = options.carryRows ?? true;
    this.carriedRowsLimit =
      options.carriedRowsLimit === undefined ? undefined : positive('carriedRowsLimit', options.carriedRowsLimit);
    this.book = new ProgressBook(this.projections.map((p) => p.name));
    const hook = this.hooks.beforeCheckpoint;
    this.applier = new BatchApplier({
      backend: this.backend,
      projections: this.projections,
      book: this.book,
      clock: this.clock,
      ...(hook ? { beforeCheckpoint: (range) => hook({ mode: 'live', ...range }) } : {}),
    });
    this.waiters = new PositionWaiters({
      state: (position, names) => {
        const failed = this.book.firstFailed(names);
        if (this.book.reached(position, names)) return { state: 'reached' };
        return failed ? { state: 'failed', failed } : { state: 'pending' };
      },
      refresh: () => this.refreshProgress(),
      shouldPoll: () => !this.isLeader(),
      pollMs: positive('checkpointPollMs', options.checkpointPollMs ?? 100),
      warn: (m) => this.logger.warn(m),
    });
    if (options.metrics) this.metrics = new RunnerMetrics(options.metrics, () => this.lagSnapshot());
  }

  get currentState(): RunnerState {
    return this.state;
  }

  /** The projections' names, in the order they are applied. */
  get projectionNames(): readonly string[] {
    return this.book.names;
  }

  /** Begins: leads if the lease is free, otherwise stands by and takes over when it expires. */
  start(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) throw new Error('The projection runner is closed');
      await this.begin();
    });
  }

  /** Stops projecting after the batch in flight, and hands the lease back. */
  stop(): Promise<void> {
    return this.exclusive(async () => {
      this.active = false;
      clearTimeout(this.standbyTimer);
      this.standbyTimer = undefined;
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      await this.stopLeading();
      if (this.state !== 'error') this.state = 'stopped';
      this.waiters.schedulePoll();
    });
  }

  /** stop(), and pending waitForPosition calls answer false. The DataSource and store stay open (not ours). */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
    this.lease.retire();
    this.waiters.close();
  }

  /**
   * Resolves true once every projection (or the ones named) has committed `position`, false after
   * `timeoutMs` — or at once when one of them has stopped on an event it cannot apply.
   */
  async waitForPosition(
    position: bigint,
    timeoutMs: number,
    projection?: string | readonly string[],
  ): Promise<boolean> {
    return (await this.waitFor(position, timeoutMs, projection)).reached;
  }

  /** waitForPosition, telling which awaited projection has stopped when that is why it did not reach. */
  async waitFor(
    position: bigint,
    timeoutMs: number,
    projection?: string | readonly string[],
  ): Promise<WaitOutcome> {
    const names =
      projection === undefined ? undefined : typeof projection === 'string' ? [projection] : projection;
    for (const name of names ?? []) {
      if (!this.book.names.includes(name)) throw new Error(`Unknown projection ${name}`);
    }
    // Not leading, our copy may predate a rebuild elsewhere (which lowers checkpoints): read it first.
    if (!this.isLeader() && !this.closed) await this.refreshProgress();
    if (this.closed) return { reached: this.book.reached(position, names) };
    return this.waiters.wait(position, timeoutMs, names);
  }

  async status(): Promise<RunnerStatus> {
    if (!this.isLeader()) await this.refreshProgress();
    const [head, lease] = await Promise.all([this.store.headPosition(), this.lease.describe()]);
    const projections = this.projections.map(({ name }) => {
      const checkpoint = this.book.checkpoint(name);
      const failure = this.book.failure(name);
      return {
        name,
        checkpoint,
        lag: head > checkpoint ? head - checkpoint : 0n,
        state: failure ? ('failed' as const) : ('live' as const),
        ...(failure ? { failure } : {}),
      };
    });
    const checkpoint = this.book.lowest();
    const eventsBehind =
      head > checkpoint
        ? (await this.store.readAll({ after: checkpoint, limit: EVENTS_BEHIND_CAP })).length
        : 0;
    return {
      state: this.state,
      owner: this.owner,
      leader: this.isLeader(),
      lease,
      checkpoint,
      head,
      lag: head > checkpoint ? head - checkpoint : 0n,
      eventsBehind,
      projections,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  /**
   * Rebuilds projections (all, or the ones named) without blanking a read (ADR 0011): replays the log from
   * position zero into shadow tables while the live ones keep answering and, when the shadow has caught up
   * with the live checkpoint, swaps them in in one transaction (indexes, checkpoint, generation). It needs
   * only the rebuild lease, not the writer's: it runs beside a leading api or projector, whose next batch
   * sees the swap and goes on from the rebuilt checkpoint. Refused (LeaseUnavailable) while another rebuild
   * runs. A projection that cannot apply an event during the replay is left as it was (`failed`).
   */
  async rebuild(
    options: {
      onProgress?: (progress: RebuildProgress) => void;
      batchSize?: number;
      projections?: readonly string[];
    } = {},
  ): Promise<RebuildResult> {
    if (this.closed) throw new Error('The projection runner is closed');
    if (this.rebuilding)
      throw new LeaseUnavailable(`${this.lease.lease}.rebuild`, 'held by us (a rebuild is running)');
    const batchSize = positive('batchSize', options.batchSize ?? this.rebuildBatchSize);
    for (const name of options.projections ?? []) {
      if (!this.book.names.includes(name)) throw new Error(`Unknown projection ${name}`);
    }
    const chosen = this.projections.filter(
      (p) => !options.projections || options.projections.includes(p.name),
    );
    const keeper = new LeaseKeeper({
      backend: this.backend,
      lease: `${this.lease.lease}.rebuild`,
      owner: `${this.owner}#rebuild`,
      timing: this.timing,
      clock: this.clock,
      // Every rebuild commit renews this lease too; a timer renewal that waits on a long commit's row lock
      // and times out is no news.
      warn: (m) => this.logger.log(m),
    });
    this.rebuilding = true;
    const stateBefore = this.state;
    try {
      if ((await keeper.acquire()) === undefined)
        throw new LeaseUnavailable(keeper.lease, await keeper.describe());
      keeper.startRenewing(() =>
        this.logger.warn('The rebuild lease was taken over: this rebuild will be fenced out'),
      );
      if (!this.isLeader()) this.state = 'rebuilding';
      return await rebuildInShadow(
        {
          backend: this.backend,
          store: this.store,
          logger: this.logger,
          clock: this.clock,
          hooks: this.hooks,
          metrics: this.metrics,
          carryRows: this.carryRows,
          carriedRowsLimit: this.carriedRowsLimit,
          leaseName: this.lease.lease,
          afterSwap: async () => {
            if (this.isLeader()) this.background(() => this.resubscribe('a rebuild swapped its tables in'));
            else await this.refreshProgress().catch(() => undefined);
          },
        },
        chosen,
        keeper,
        batchSize,
        options.onProgress,
      );
    } finally {
      await keeper.release();
      keeper.retire();
      this.rebuilding = false;
      if (this.state === 'rebuilding') this.state = stateBefore === 'rebuilding' ? 'stopped' : stateBefore;
    }
  }

  /** Every row of one of our tables in key order: for tests and audits comparing rebuilds. */
  async dumpTable<D extends TableDefinition>(table: D): Promise<RowOf<D>[]> {
    return (await this.backend.dump(compileTable(table))) as RowOf<D>[];
  }

  // ---------------------------------------------------------------------------------------------------
  // Leading and standing by

  private async begin(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.active) return;
    this.active = true;
    this.lastError = undefined;
    this.state = 'standby';
    await this.tryToLead();
  }

  private async tryToLead(): Promise<void> {
    if (!this.active || this.state !== 'standby' || this.lease.held) return;
    let token: bigint | undefined;
    try {
      token = await this.lease.acquire();
    } catch (error) {
      this.logger.warn(`Could not take the projection lease: ${errorMessage(error)}`);
      this.scheduleStandby(this.lease.pollDelay());
      return;
    }
    if (token === undefined) {
      const lease = await this.lease.read().catch(() => undefined);
      if (!this.standingBy)
        this.logger.log(
          `Standing by: projection lease ${await this.lease.describe().catch(() => 'unreadable')}`,
        );
      this.standingBy = true;
      this.scheduleStandby(Math.max(1, this.lease.standbyDelay(lease)));
      return;
    }
    this.standingBy = false;
    try {
      // Read after taking the lease: the former owner's last commit happened before our takeover.
      await this.refreshProgress(true);
    } catch (error) {
      await this.fail(error);
      return;
    }
    this.retryFailed();
    this.rebuildChanged();
    this.state = 'running';
    this.metrics?.leading(true);
    this.logger.log(`Projecting as ${this.owner} (lease token ${token}) from position ${this.book.lowest()}`);
    this.lease.startRenewing((lost) => this.onLeaseLost(lost));
    await this.subscribeOrFail();
  }

  /**
   * Taking the lead retries the projections that stopped alone (the code may have been fixed since): their
   * failure stays recorded until they commit again, and is recorded anew if they fail again.
   */
  private retryFailed(): void {
    for (const name of this.book.names) {
      const failure = this.book.failure(name);
      if (!failure) continue;
      this.logger.warn(
        `Retrying projection ${name}, stopped at position ${failure.position}: ${failure.message}`,
      );
      this.book.clearFailure(name);
      this.applier.clearing.add(name);
    }
  }

  /**
   * A projection whose tables were built by another version of its code (`Projection.version`) is rebuilt
   * in shadow tables, in the background: its old tables answer meanwhile (and are kept live by the new
   * code) until the swap. Once per lead; a rebuild already running elsewhere holds the rebuild lease.
   */
  private rebuildChanged(): void {
    const changed = this.projections
      .filter((p) => {
        const stored = this.book.get(p.name).version;
        return stored !== undefined && stored !== p.version;
      })
      .map((p) => p.name);
    if (changed.length === 0 || this.rebuilding) return;
    this.logger.log(`Code version changed for ${changed.join(', ')}: rebuilding in shadow tables`);
    void this.rebuild({ projections: changed }).catch((error: unknown) => {
      this.logger.error(`Rebuild of ${changed.join(', ')} after a version change: ${errorMessage(error)}`);
    });
  }

  private onLeaseLost(token: bigint): void {
    this.background(async () => {
      if (this.lease.token === token) await this.demote('renewal refused: another runner took the lease');
    });
  }

  private scheduleStandby(delayMs: number): void {
    clearTimeout(this.standbyTimer);
    this.standbyTimer = setTimeout(() => {
      this.standbyTimer = undefined;
      this.background(() => this.tryToLead());
    }, delayMs);
  }

  private async subscribeOrFail(): Promise<void> {
    try {
      this.subscribe();
    } catch (error) {
      await this.fail(error);
    }
  }

  private subscribe(): void {
    const subscription = this.store.subscribeToAll(
      { onBatch: (events) => this.onBatch(events) },
      { after: this.book.lowest(), maxBatchSize: this.batchSize },
    );
    this.subscription = subscription;
    subscription.finished.then(
      // Ending without our stop() (the store was closed under us) leaves nothing projecting: a failure.
      () =>
        this.background(() =>
          this.subscriptionFailed(subscription, new Error('The event store ended the subscription')),
        ),
      (error: unknown) => this.background(() => this.subscriptionFailed(subscription, error)),
    );
  }

  private async subscriptionFailed(subscription: Subscription, error: unknown): Promise<void> {
    // A subscription we replaced or stopped on purpose reports nothing we act on.
    if (this.subscription !== subscription) return;
    this.subscription = undefined;
    if (error instanceof LeaseLost) await this.demote(`a batch commit was fenced out (${error.message})`);
    else if (error instanceof ProjectionSwapped) await this.resubscribe(error.message);
    else await this.fail(error);
  }

  /** A rebuild swapped a projection's tables in: read the new checkpoints and go on from there. */
  private async resubscribe(why: string): Promise<void> {
    if (!this.isLeader()) return;
    this.logger.log(`${why}: continuing from the new checkpoints`);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    try {
      await this.refreshProgress(true);
    } catch (error) {
      await this.fail(error);
      return;
    }
    if (this.isLeader()) await this.subscribeOrFail();
  }

  /** Lost the lease: stop writing, forget what we had, stand by. */
  private async demote(reason: string): Promise<void> {
    this.logger.warn(`Lost the projection lease: ${reason}; standing by`);
    const subscription = this.subscription;
    this.subscription = undefined;
    this.lease.forget();
    await subscription?.stop();
    this.metrics?.leading(false);
    if (this.active) {
      this.state = 'standby';
      this.scheduleStandby(this.lease.pollDelay());
    } else if (this.state !== 'error') {
      this.state = 'stopped';
    }
    this.waiters.schedulePoll();
  }

  /**
   * Stop, keep the error for status(), hand the lease back; start again later unless restarts are off.
   * (A projection that cannot apply an event does not come here: it stops alone, BatchApplier.)
   */
  private async fail(error: unknown): Promise<void> {
    this.lastError = {
      message: errorMessage(error),
      stack: error instanceof Error ? error.stack : undefined,
      at: new Date(this.clock()),
      ...(error instanceof ProjectionFailed
        ? {
            projection: error.projection,
            position: error.position,
            eventType: error.eventType,
            eventId: error.eventId,
          }
        : {}),
    };
    const restart = this.active && this.restartDelayMs > 0;
    this.logger.error(
      `Projections stopped at checkpoint ${this.book.lowest()}: ${this.lastError.message}` +
        (restart ? `; starting again in ${this.restartDelayMs} ms` : '; start again once fixed'),
      this.lastError.stack,
    );
    this.active = false;
    clearTimeout(this.standbyTimer);
    this.standbyTimer = undefined;
    await this.stopLeading();
    this.state = 'error';
    this.waiters.schedulePoll();
    this.waiters.notify();
    if (restart && !this.closed) {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.background(async () => {
          if (this.state === 'error' && !this.closed) await this.begin();
        });
      }, this.restartDelayMs);
    }
  }

  private async stopLeading(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    this.lease.stopRenewing();
    await subscription?.stop();
    this.metrics?.leading(false);
    await this.lease.release();
  }

  // ---------------------------------------------------------------------------------------------------
  // Batches

  private async onBatch(events: readonly RecordedEvent[]): Promise<void> {
    const token = this.lease.token;
    if (token === undefined || this.state !== 'running')
      throw new LeaseLost(this.lease.lease, this.owner, token ?? 0n);
    const batch = this.applier.open(events[0].position);
    await this.applier.evolve(batch, events);
    const outcome = await this.applier.commit(batch, () => this.lease.fence(), { events, generations: true });
    this.committed(outcome);
  }

  /** After a commit: metrics, failures said loudly, waiters woken. */
  private committed(outcome: CommitOutcome): void {
    if (outcome.advanced.size > 0 || outcome.failed.size > 0)
      this.metrics?.committed('live', outcome.seconds, outcome.advanced, outcome.applied);
    for (const [name, failure] of outcome.failed) {
      this.logger.error(
        `Projection ${name} stopped alone at position ${failure.position} (${failure.eventType} ${failure.eventId}, ${failure.phase}): ${failure.message}; ` +
          `the other projections go on. Fix it and restart (it is retried then), or rebuild it.`,
      );
    }
    this.metrics?.progress(this.book);
    this.waiters.notify();
  }

  // ---------------------------------------------------------------------------------------------------
  // Progress

  private isLeader(): boolean {
    return this.lease.held && (this.state === 'running' || this.state === 'rebuilding');
  }

  /** Copies the checkpoint table into memory; only when we do not lead (or are just taking over). */
  private async refreshProgress(takingOver = false): Promise<void> {
    if (this.isLeader() && !takingOver) return;
    const stored = await this.backend.readProgress();
    if (this.isLeader() && !takingOver) return;
    this.book.load(stored);
    this.metrics?.progress(this.book);
  }

  private async lagSnapshot(): Promise<
    { head: bigint; checkpoints: ReadonlyMap<string, bigint> } | undefined
  > {
    if (this.closed) return undefined;
    try {
      if (!this.isLeader()) await this.refreshProgress();
      return { head: await this.store.headPosition(), checkpoints: this.book.checkpoints() };
    } catch {
      // A scrape must not fail because the store is briefly unreachable; the lag gauge keeps its last value.
      return undefined;
    }
  }

  /** Lifecycle work started by a timer or a callback: nobody awaits it, so its failure is logged here. */
  private background(work: () => Promise<void>): void {
    this.exclusive(work).catch((error: unknown) => {
      this.logger.error(
        `Projection runner: ${errorMessage(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(work, work);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}
