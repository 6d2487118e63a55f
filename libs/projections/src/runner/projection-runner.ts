import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent, Subscription } from '@wasteflow/event-store';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { LeaseLost, type Fence, type ReadModelBackend } from '../database/backend';
import { createReadModelBackend } from '../database/create-backend';
import { LeaseUnavailable, ProjectionFailed } from './errors';
import {
  describeLease,
  isHolderGone,
  leaseExpiry,
  ownerId,
  processIsAlive,
  resolveLeaseTiming,
  standbyDelay,
  type LeaseTiming,
  type OwnerIdentity,
} from './lease-policy';
import { RunnerMetrics } from './metrics';
import { validateProjections, type Projection } from './projection';
import { CarriedRows } from './carried-rows';
import { BatchRows } from './row-cache';
import { compileTable, type CompiledTable, type RowOf, type TableDefinition } from './table';

/** Nest's `Logger` fits; so does anything with these three methods. */
export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export type RunnerState = 'stopped' | 'standby' | 'running' | 'rebuilding' | 'error';

export interface RunnerTestHooks {
  /**
   * Called inside the batch transaction after the read-model rows were written and before the checkpoint
   * is: throwing here rolls the batch back, killing the process here is a crash mid-commit.
   */
  beforeCheckpoint?(batch: {
    readonly mode: 'live' | 'rebuild';
    readonly from: bigint;
    readonly to: bigint;
  }): void;
}

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The initialized, migrated read-model DataSource (`openReadModelDatabase`). */
  readonly dataSource: DataSource;
  readonly projections: readonly Projection[];
  readonly logger: RunnerLogger;
  /** Lease row name: runners sharing it exclude each other. Default `projections`. */
  readonly leaseName?: string;
  /** Unique per process; default `<host>:<pid>:<random>`. */
  readonly owner?: string;
  /** Largest live batch (one transaction). Default 1000. */
  readonly batchSize?: number;
  /**
   * Events per transaction while rebuilding. Default 20000: rows a batch touches again and again (a batch's
   * trace row, a holder's totals, a month's indicators) are written once per transaction, so larger
   * transactions write fewer rows (at a million events, 20000 writes a quarter fewer than 5000).
   */
  readonly rebuildBatchSize?: number;
  readonly lease?: Partial<LeaseTiming>;
  /** Where the metrics go; none without it. One runner per registry. */
  readonly metrics?: Registry;
  /** How often `waitForPosition` reads the checkpoints when another process projects. Default 100 ms. */
  readonly checkpointPollMs?: number;
  /**
   * After a failure that is not a projection's (the database or the store unreachable, a commit refused),
   * start again after this long. 0 never restarts. Default 5000 ms. A projection that throws always stays
   * stopped: replaying it would throw again.
   */
  readonly restartDelayMs?: number;
  /** Epoch milliseconds, for lease expiry. */
  readonly clock?: () => number;
  readonly testHooks?: RunnerTestHooks;
}

export interface ProjectionCheckpointStatus {
  readonly name: string;
  readonly checkpoint: bigint;
  readonly lag: bigint;
}

export interface RunnerError {
  readonly message: string;
  readonly stack?: string;
  readonly projection?: string;
  readonly position?: bigint;
  readonly eventType?: string;
  readonly eventId?: string;
  readonly at: Date;
}

export interface RunnerStatus {
  readonly state: RunnerState;
  readonly owner: string;
  /** True while this instance holds the lease and writes. */
  readonly leader: boolean;
  readonly lease: string;
  /** The lowest checkpoint of all projections: every event up to it is in every read model. */
  readonly checkpoint: bigint;
  readonly head: bigint;
  /**
   * head − checkpoint in positions. Positions are consecutive on the embedded store, so there it counts
   * events; on PostgreSQL they encode transaction ids and only order, so see `eventsBehind`.
   */
  readonly lag: bigint;
  /** Events after the checkpoint, counted up to EVENTS_BEHIND_CAP (a value of the cap means "at least"). */
  readonly eventsBehind: number;
  readonly projections: readonly ProjectionCheckpointStatus[];
  readonly error?: RunnerError;
}

export interface RebuildProgress {
  /** Position reached. */
  readonly processed: bigint;
  /** The store's head when the rebuild started: where it ends. */
  readonly total: bigint;
  /** Events read so far. */
  readonly events: number;
}

export interface RebuildResult {
  readonly events: number;
  readonly applied: Readonly<Record<string, number>>;
  readonly toPosition: bigint;
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

interface RuntimeProjection {
  readonly definition: Projection;
  readonly name: string;
  readonly handles: (type: string) => boolean;
}

/** A batch being applied: its rows, the positions it spans, what each projection applied. */
interface OpenBatch {
  readonly rows: BatchRows;
  readonly from: bigint;
  to: bigint;
  events: number;
  readonly applied: Map<string, number>;
  readonly started: number;
}

interface Waiter {
  readonly position: bigint;
  readonly projection?: string;
  readonly settle: (reached: boolean) => void;
}

const DEFAULT_LEASE_NAME = 'projections';

/** Owner ids of the runners of this process not yet closed: siblings, not dead predecessors. */
const LIVE_OWNERS = new Set<string>();

/**
 * Events per read while rebuilding (at most the batch size). Small enough that a page is applied and dropped
 * between two young-generation GCs; at 1000, reading a million events costs 6 s instead of 22 s with pages
 * of 20000 (measured on the 2-core machine, docs/performance.md).
 */
const REBUILD_PAGE_SIZE = 1000;

/** status() counts the events behind by reading them, so it stops counting here. */
export const EVENTS_BEHIND_CAP = 1000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Applies events to the read models: one catch-up subscription from the lowest checkpoint, each batch
 * applied by every projection over a per-batch row cache and committed — rows, per-projection checkpoints,
 * lease renewal — in one transaction. Only the lease holder runs; see README.md.
 */
export class ProjectionRunner {
  readonly owner: string;
  private readonly backend: ReadModelBackend;
  private readonly store: EventStore;
  private readonly logger: RunnerLogger;
  private readonly projections: readonly RuntimeProjection[];
  private readonly tables: readonly CompiledTable[];
  private readonly leaseName: string;
  private readonly identity: OwnerIdentity;
  private readonly timing: LeaseTiming;
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly checkpointPollMs: number;
  private readonly restartDelayMs: number;
  private readonly clock: () => number;
  private readonly hooks: RunnerTestHooks;
  private readonly metrics?: RunnerMetrics;

  private state: RunnerState = 'stopped';
  /** start() was called and neither stop() nor a failure has ended it. */
  private active = false;
  private closed = false;
  /** Fencing token of the lease we hold, if we hold it. */
  private token: bigint | undefined;
  private subscription: Subscription | undefined;
  /** Authoritative while we lead; a copy of the table otherwise. */
  private readonly checkpoints = new Map<string, bigint>();
  private lastError: RunnerError | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private standbyTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private renewing = false;
  /** Said so in the log already; standbys poll often and say it once. */
  private standingBy = false;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Set<Waiter>();

  constructor(options: ProjectionRunnerOptions) {
    validateProjections(options.projections);
    this.store = options.store;
    this.backend = createReadModelBackend(options.dataSource);
    this.logger = options.logger;
    this.projections = options.projections.map((definition) => {
      const types = definition.eventTypes === 'all' ? undefined : new Set(definition.eventTypes);
      return { definition, name: definition.name, handles: types ? (type) => types.has(type) : () => true };
    });
    this.tables = options.projections.flatMap((p) => p.tables.map((t) => compileTable(t)));
    this.leaseName = options.leaseName ?? DEFAULT_LEASE_NAME;
    this.identity = { host: hostname(), pid: process.pid };
    this.owner = options.owner ?? ownerId(this.identity, randomUUID().slice(0, 8));
    LIVE_OWNERS.add(this.owner);
    this.timing = resolveLeaseTiming(options.lease);
    this.batchSize = positive('batchSize', options.batchSize ?? 1000);
    this.rebuildBatchSize = positive('rebuildBatchSize', options.rebuildBatchSize ?? 20_000);
    this.checkpointPollMs = positive('checkpointPollMs', options.checkpointPollMs ?? 100);
    this.restartDelayMs = options.restartDelayMs ?? 5000;
    if (!Number.isSafeInteger(this.restartDelayMs) || this.restartDelayMs < 0) {
      throw new Error(`restartDelayMs must be a non-negative integer, got ${this.restartDelayMs}`);
    }
    this.clock = options.clock ?? Date.now;
    this.hooks = options.testHooks ?? {};
    if (options.metrics) this.metrics = new RunnerMetrics(options.metrics, () => this.lagSnapshot());
  }

  get currentState(): RunnerState {
    return this.state;
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
      this.schedulePoll();
    });
  }

  /** stop(), and pending waitForPosition calls answer false. The DataSource and store stay open (not ours). */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
    LIVE_OWNERS.delete(this.owner);
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  /**
   * Resolves true once every projection (or the one named) has committed `position`, false after
   * `timeoutMs`. Woken by our own commits; when another process projects, reads the checkpoint table
   * every `checkpointPollMs` while someone waits.
   */
  async waitForPosition(position: bigint, timeoutMs: number, projection?: string): Promise<boolean> {
    if (projection !== undefined && !this.projections.some((p) => p.name === projection)) {
      throw new Error(`Unknown projection ${projection}`);
    }
    // Not leading, our copy may predate a rebuild elsewhere (which lowers checkpoints): read it first.
    if (!this.isLeader() && !this.closed) await this.refreshCheckpoints();
    if (this.reached(position, projection)) return true;
    if (timeoutMs <= 0 || this.closed) return false;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      const waiter: Waiter = {
        position,
        projection,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      this.waiters.add(waiter);
      this.schedulePoll();
    });
  }

  async status(): Promise<RunnerStatus> {
    if (!this.isLeader()) await this.refreshCheckpoints();
    const [head, lease] = await Promise.all([
      this.store.headPosition(),
      this.backend.readLease(this.leaseName),
    ]);
    const projections = this.projections.map(({ name }) => {
      const checkpoint = this.checkpoints.get(name) ?? 0n;
      return { name, checkpoint, lag: head > checkpoint ? head - checkpoint : 0n };
    });
    const checkpoint = this.lowestCheckpoint();
    const eventsBehind =
      head > checkpoint
        ? (await this.store.readAll({ after: checkpoint, limit: EVENTS_BEHIND_CAP })).length
        : 0;
    return {
      state: this.state,
      owner: this.owner,
      leader: this.isLeader(),
      lease: describeLease(lease, this.clock(), this.owner),
      checkpoint,
      head,
      lag: head > checkpoint ? head - checkpoint : 0n,
      eventsBehind,
      projections,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  /**
   * Empties every read model, resets the checkpoints and replays the log from position zero in large
   * batches up to the head as of the start; then, if the runner was running, carries on live. Needs the
   * lease: refused (LeaseUnavailable) while another instance holds it.
   */
  rebuild(
    options: { onProgress?: (progress: RebuildProgress) => void; batchSize?: number } = {},
  ): Promise<RebuildResult> {
    return this.exclusive(async () => {
      if (this.closed) throw new Error('The projection runner is closed');
      const batchSize = positive('batchSize', options.batchSize ?? this.rebuildBatchSize);
      const wasLeading = this.isLeader();
      if (wasLeading) {
        const subscription = this.subscription;
        this.subscription = undefined;
        await subscription?.stop();
      } else {
        clearTimeout(this.standbyTimer);
        const now = this.clock();
        let token: bigint | undefined;
        try {
          token = await this.takeLease(now);
          if (token === undefined) {
            const lease = await this.backend.readLease(this.leaseName);
            throw new LeaseUnavailable(this.leaseName, describeLease(lease, this.clock(), this.owner));
          }
        } finally {
          // A standby that could not rebuild goes on standing by.
          if (token === undefined && this.active) this.scheduleStandby(this.timing.standbyPollMs);
        }
        this.token = token;
        this.lastError = undefined;
        this.startRenewing();
      }
      const token = this.token as bigint;
      this.state = 'rebuilding';
      this.metrics?.leading(true);
      const started = performance.now();
      let result: RebuildResult;
      try {
        await this.backend.reset(
          this.fence(token),
          this.tables,
          this.projections.map((p) => p.name),
        );
        for (const { name } of this.projections) this.checkpoints.set(name, 0n);
        this.metrics?.checkpoints(this.checkpoints);
        const total = await this.store.headPosition();
        this.logger.log(`Rebuilding ${this.projections.length} projection(s) up to position ${total}`);
        const applied: Record<string, number> = Object.fromEntries(this.projections.map((p) => [p.name, 0]));
        let position = 0n;
        let events = 0;
        options.onProgress?.({ processed: 0n, total, events });
        const restore = await this.backend.beginRebuild?.();
        // The runner alone writes the emptied tables until the replay ends: rows it committed are carried
        // from batch to batch instead of being read back.
        const carried = process.env.WF_NO_CARRY ? undefined : new CarriedRows();
        try {
          // The log is read in small pages, each applied at once, and a batch is committed every `batchSize`
          // events: a page's events are garbage before the next young-generation GC, instead of 20000
          // events surviving (and being copied by) every GC until their batch commits, which cost more than
          // reading them (docs/performance.md, "Rebuild: profile and fixes").
          const pageSize = Math.min(batchSize, REBUILD_PAGE_SIZE);
          // Read-ahead: the next page is fetched while this one is applied (PostgreSQL: a round trip).
          let next = total > 0n ? this.store.readAll({ after: 0n, limit: pageSize }) : undefined;
          let batch: OpenBatch | undefined;
          while (next) {
            const page = await next;
            if (page.length === 0) break;
            const last = page[page.length - 1].position;
            next = last < total ? this.store.readAll({ after: last, limit: pageSize }) : undefined;
            // A failing batch must not leave the read-ahead's rejection unhandled.
            next?.catch(() => undefined);
            batch ??= this.openBatch(page[0].position, carried);
            await this.evolveEvents(batch, page);
            batch.to = last;
            batch.events += page.length;
            if (batch.events < batchSize && next) continue;
            await this.commitBatch(batch, token, 'rebuild', carried);
            for (const [name, count] of batch.applied) applied[name] += count;
            position = last;
            events += batch.events;
            batch = undefined;
            options.onProgress?.({ processed: position, total, events });
          }
          if (batch) {
            // The log ended early (head read before it was reached): commit what was applied.
            await this.commitBatch(batch, token, 'rebuild', carried);
            for (const [name, count] of batch.applied) applied[name] += count;
            position = batch.to;
            events += batch.events;
            options.onProgress?.({ processed: position, total, events });
          }
        } finally {
          carried?.clear();
          await restore?.();
        }
        const durationMs = performance.now() - started;
        result = {
          events,
          applied,
          toPosition: position,
          durationMs,
          eventsPerSecond: durationMs > 0 ? Math.round((events * 1000) / durationMs) : events,
        };
        this.logger.log(
          `Rebuilt up to position ${position}: ${events} events in ${Math.round(durationMs)} ms (${result.eventsPerSecond}/s)`,
        );
      } catch (error) {
        if (error instanceof LeaseLost) await this.demote(error.message);
        else await this.fail(error);
        throw error;
      }
      if (wasLeading || this.active) {
        this.state = 'running';
        await this.subscribeOrFail();
      } else {
        await this.stopLeading();
        this.state = 'stopped';
      }
      return result;
    });
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
    if (!this.active || this.state !== 'standby' || this.token !== undefined) return;
    const now = this.clock();
    let token: bigint | undefined;
    try {
      token = await this.takeLease(now);
    } catch (error) {
      this.logger.warn(`Could not take the projection lease: ${errorMessage(error)}`);
      this.scheduleStandby(this.timing.standbyPollMs);
      return;
    }
    if (token === undefined) {
      const lease = await this.backend.readLease(this.leaseName).catch(() => undefined);
      if (!this.standingBy)
        this.logger.log(`Standing by: projection lease ${describeLease(lease, this.clock(), this.owner)}`);
      this.standingBy = true;
      this.scheduleStandby(standbyDelay(lease, this.clock(), this.timing));
      return;
    }
    this.standingBy = false;
    this.token = token;
    try {
      // Read after taking the lease: the former owner's last commit happened before our takeover.
      await this.refreshCheckpoints(true);
    } catch (error) {
      await this.fail(error);
      return;
    }
    this.state = 'running';
    this.metrics?.leading(true);
    this.logger.log(
      `Projecting as ${this.owner} (lease token ${token}) from position ${this.lowestCheckpoint()}`,
    );
    this.startRenewing();
    await this.subscribeOrFail();
  }

  /**
   * Takes the lease if it is free or expired, or at once if its holder is provably gone (a dead pid on
   * this host: after a kill -9 the restarted process need not wait out its predecessor's TTL).
   */
  private async takeLease(now: number): Promise<bigint | undefined> {
    const expiresAt = leaseExpiry(now, this.timing);
    const token = await this.backend.acquireLease(this.leaseName, this.owner, now, expiresAt);
    if (token !== undefined) return token;
    const lease = await this.backend.readLease(this.leaseName);
    const self = { owner: this.owner, identity: this.identity, siblings: LIVE_OWNERS };
    if (!lease || !isHolderGone(lease, self, processIsAlive)) return undefined;
    const taken = await this.backend.acquireLease(this.leaseName, this.owner, now, expiresAt, lease);
    if (taken !== undefined) {
      this.logger.warn(
        `Took the projection lease over from ${lease.owner} (token ${lease.token}) before its expiry: that process is gone`,
      );
    }
    return taken;
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
      { after: this.lowestCheckpoint(), maxBatchSize: this.batchSize },
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
    else await this.fail(error);
  }

  private startRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = setInterval(() => void this.renew(), this.timing.renewIntervalMs);
  }

  private async renew(): Promise<void> {
    const token = this.token;
    if (token === undefined || this.renewing) return;
    this.renewing = true;
    try {
      const held = await this.backend.renewLease(
        this.leaseName,
        this.owner,
        token,
        leaseExpiry(this.clock(), this.timing),
      );
      if (!held) {
        await this.exclusive(async () => {
          if (this.token === token) await this.demote('renewal refused: another runner took the lease');
        });
      }
    } catch (error) {
      // Not fatal by itself: the next renewal or commit settles whether we still hold the lease.
      this.logger.warn(`Projection lease renewal failed: ${errorMessage(error)}`);
    } finally {
      this.renewing = false;
    }
  }

  /** Lost the lease: stop writing, forget what we had, stand by. */
  private async demote(reason: string): Promise<void> {
    this.logger.warn(`Lost the projection lease: ${reason}; standing by`);
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    this.token = undefined;
    this.metrics?.leading(false);
    if (this.active) {
      this.state = 'standby';
      this.scheduleStandby(this.timing.standbyPollMs);
    } else if (this.state !== 'error') {
      this.state = 'stopped';
    }
    this.schedulePoll();
  }

  /**
   * Stop, keep the error for status(), hand the lease back; start again later unless a projection threw
   * (replaying its event would only throw again) or restarts are off.
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
    const restart = this.active && this.restartDelayMs > 0 && !(error instanceof ProjectionFailed);
    this.logger.error(
      `Projections stopped at checkpoint ${this.lowestCheckpoint()}: ${this.lastError.message}` +
        (restart ? `; starting again in ${this.restartDelayMs} ms` : '; start again once fixed'),
      this.lastError.stack,
    );
    this.active = false;
    clearTimeout(this.standbyTimer);
    this.standbyTimer = undefined;
    await this.stopLeading();
    this.state = 'error';
    this.schedulePoll();
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
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    const token = this.token;
    this.token = undefined;
    this.metrics?.leading(false);
    if (token !== undefined) {
      try {
        await this.backend.releaseLease(this.leaseName, this.owner, token);
      } catch (error) {
        this.logger.warn(`Could not release the projection lease (it will expire): ${errorMessage(error)}`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Batches

  private async onBatch(events: readonly RecordedEvent[]): Promise<void> {
    const token = this.token;
    if (token === undefined || this.state !== 'running')
      throw new LeaseLost(this.leaseName, this.owner, token ?? 0n);
    await this.applyBatch(events, token, 'live');
  }

  /** Applies one batch and commits it. */
  private async applyBatch(
    events: readonly RecordedEvent[],
    token: bigint,
    mode: 'live' | 'rebuild',
  ): Promise<void> {
    const batch = this.openBatch(events[0].position);
    await this.evolveEvents(batch, events);
    batch.to = events[events.length - 1].position;
    batch.events = events.length;
    await this.commitBatch(batch, token, mode);
  }

  private openBatch(from: bigint, carried?: CarriedRows): OpenBatch {
    return {
      rows: new BatchRows(this.backend, carried),
      from,
      to: from,
      events: 0,
      applied: new Map(this.projections.map((p) => [p.name, 0])),
      started: performance.now(),
    };
  }

  /** Every projection evolves over `events` (consecutive, after the batch's earlier ones) in its rows. */
  private async evolveEvents(batch: OpenBatch, events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1].position;
    for (const projection of this.projections) {
      // Checkpoints move only at commit: within a batch they are where the batch started.
      const checkpoint = this.checkpoints.get(projection.name) ?? 0n;
      if (checkpoint >= last) continue;
      const relevant = events.filter(
        (event) => event.position > checkpoint && projection.handles(event.type),
      );
      if (relevant.length === 0) continue;
      await this.evolve(projection, batch.rows, relevant);
      batch.applied.set(projection.name, (batch.applied.get(projection.name) ?? 0) + relevant.length);
    }
  }

  /** Writes the batch's rows and moves the checkpoints of the projections it advanced, in one transaction. */
  private async commitBatch(
    batch: OpenBatch,
    token: bigint,
    mode: 'live' | 'rebuild',
    carried?: CarriedRows,
  ): Promise<void> {
    const { from, to: last } = batch;
    const advanced = new Map<string, bigint>();
    for (const { name } of this.projections) {
      if ((this.checkpoints.get(name) ?? 0n) < last) advanced.set(name, last);
    }
    if (advanced.size === 0) return;
    const hook = this.hooks.beforeCheckpoint;
    const changes = batch.rows.changes();
    await this.backend.commit({
      fence: this.fence(token),
      changes,
      checkpoints: advanced,
      beforeCheckpoint: hook ? () => hook({ mode, from, to: last }) : undefined,
    });
    carried?.committed(changes);
    for (const [name, position] of advanced) this.checkpoints.set(name, position);
    this.metrics?.committed(mode, (performance.now() - batch.started) / 1000, advanced, batch.applied);
    this.notifyWaiters();
  }

  private async evolve(
    projection: RuntimeProjection,
    rows: BatchRows,
    events: readonly RecordedEvent[],
  ): Promise<void> {
    const { definition, name } = projection;
    if (definition.prefetch) {
      const { collector, load } = rows.collector(name, definition.tables);
      for (const event of events) {
        try {
          definition.prefetch(event, collector);
        } catch (error) {
          throw new ProjectionFailed(name, event, 'prefetch', error);
        }
      }
      await load();
    }
    const access = rows.access(name, definition.tables);
    for (const event of events) {
      try {
        const pending = definition.evolve(access, event);
        if (pending) await pending;
      } catch (error) {
        throw new ProjectionFailed(name, event, 'evolve', error);
      }
    }
  }

  private fence(token: bigint): Fence {
    return {
      lease: this.leaseName,
      owner: this.owner,
      token,
      renewTo: leaseExpiry(this.clock(), this.timing),
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Checkpoints and waiters

  private isLeader(): boolean {
    return this.token !== undefined && (this.state === 'running' || this.state === 'rebuilding');
  }

  private lowestCheckpoint(): bigint {
    let lowest: bigint | undefined;
    for (const { name } of this.projections) {
      const checkpoint = this.checkpoints.get(name) ?? 0n;
      if (lowest === undefined || checkpoint < lowest) lowest = checkpoint;
    }
    return lowest ?? 0n;
  }

  private reached(position: bigint, projection?: string): boolean {
    if (this.projections.length === 0) return true;
    const checkpoint =
      projection !== undefined ? (this.checkpoints.get(projection) ?? 0n) : this.lowestCheckpoint();
    return checkpoint >= position;
  }

  /** Copies the checkpoint table into memory; only when we do not lead (or are just taking over). */
  private async refreshCheckpoints(takingOver = false): Promise<void> {
    if (this.isLeader() && !takingOver) return;
    const stored = await this.backend.readCheckpoints();
    if (this.isLeader() && !takingOver) return;
    for (const { name } of this.projections) this.checkpoints.set(name, stored.get(name) ?? 0n);
    this.metrics?.checkpoints(this.checkpoints);
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.reached(waiter.position, waiter.projection)) waiter.settle(true);
    }
  }

  private schedulePoll(): void {
    if (this.pollTimer || this.closed || this.waiters.size === 0 || this.isLeader()) return;
    this.pollTimer = setTimeout(() => {
      void (async () => {
        try {
          await this.refreshCheckpoints();
        } catch (error) {
          this.logger.warn(`Could not read the projection checkpoints: ${errorMessage(error)}`);
        }
        this.pollTimer = undefined;
        this.notifyWaiters();
        this.schedulePoll();
      })();
    }, this.checkpointPollMs);
  }

  private async lagSnapshot(): Promise<
    { head: bigint; checkpoints: ReadonlyMap<string, bigint> } | undefined
  > {
    if (this.closed) return undefined;
    try {
      if (!this.isLeader()) await this.refreshCheckpoints();
      return { head: await this.store.headPosition(), checkpoints: new Map(this.checkpoints) };
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
