import type { EventStore } from '@wasteflow/event-store';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { LeaseWorkTimeouts } from '../database/postgres-backend';
import type { LeaseTiming } from './lease-policy';
import type { ProjectionFailure } from './progress-book';
import type { Projection } from './projection';

/** The runner's public types (projection-runner.ts). */
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
   * transactions write fewer rows (figures: docs/performance.md).
   */
  readonly rebuildBatchSize?: number;
  readonly lease?: Partial<LeaseTiming>;
  /** PostgreSQL: the bounds of a batch transaction (LeaseWorkTimeouts; tests set them low). */
  readonly leaseWorkTimeouts?: Partial<LeaseWorkTimeouts>;
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
  /** Rebuilds carry committed rows between batches (default true; the bench turns it off to measure it). */
  readonly carryRows?: boolean;
  /**
   * Rows a rebuild carries at most (default 1,000,000): past half of it in recent commits, the rows not used
   * since are evicted (carried-rows.ts), so the rebuild's memory does not grow with the history.
   */
  readonly carriedRowsLimit?: number;
}

export interface ProjectionCheckpointStatus {
  readonly name: string;
  readonly checkpoint: bigint;
  readonly lag: bigint;
  /** `failed`: it could not apply an event and stopped alone (`failure` says which and why). */
  readonly state: 'live' | 'failed';
  readonly failure?: ProjectionFailure;
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
  /**
   * The lowest checkpoint of the projections that have not failed: every event up to it is in each of
   * their read models (a failed projection's own checkpoint is in `projections`).
   */
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
  /** Projections that could not apply an event during the replay: left as they were, not swapped. */
  readonly failed: Readonly<Record<string, ProjectionFailure>>;
  readonly toPosition: bigint;
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

