import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProgressBook } from './progress-book';

export interface LagSnapshot {
  readonly head: bigint;
  readonly checkpoints: ReadonlyMap<string, bigint>;
}

/**
 * The runner's Prometheus metrics, registered in the registry the app passes (one runner per registry).
 * Lag is computed at scrape time from the store's head, so it is fresh without a query per batch.
 * Prometheus values are doubles: positions past 2^53 are approximate here, exact in `status()`.
 */
export class RunnerMetrics {
  private readonly checkpoint: Gauge<'projection'>;
  private readonly applied: Counter<'projection'>;
  private readonly batchDuration: Histogram<'mode'>;
  private readonly leader: Gauge;
  private readonly failed: Gauge<'projection'>;

  constructor(registry: Registry, snapshot: () => Promise<LagSnapshot | undefined>) {
    const registers = [registry];
    this.checkpoint = new Gauge({
      name: 'wasteflow_projection_checkpoint',
      help: 'Global position up to which the projection has committed its read model',
      labelNames: ['projection'],
      registers,
    });
    // Registered for its collect(); nothing sets it between scrapes.
    new Gauge({
      name: 'wasteflow_projection_lag',
      help: 'Store head position minus the projection checkpoint',
      labelNames: ['projection'],
      registers,
      async collect() {
        const current = await snapshot();
        if (!current) return;
        for (const [projection, position] of current.checkpoints) {
          const lag = current.head > position ? current.head - position : 0n;
          this.set({ projection }, Number(lag));
        }
      },
    });
    this.applied = new Counter({
      name: 'wasteflow_projection_events_applied_total',
      help: 'Events applied by the projection (committed batches only)',
      labelNames: ['projection'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'wasteflow_projection_batch_duration_seconds',
      help: 'Time to apply and commit one batch, from delivery to commit',
      labelNames: ['mode'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.failed = new Gauge({
      name: 'wasteflow_projection_failed',
      help: '1 while the projection is stopped on an event it cannot apply (the others go on): alert on it',
      labelNames: ['projection'],
      registers,
    });
    this.leader = new Gauge({
      name: 'wasteflow_projection_leader',
      help: '1 while this instance holds the projection lease and writes the read models',
      registers,
    });
  }

  committed(
    mode: 'live' | 'rebuild',
    seconds: number,
    checkpoints: ReadonlyMap<string, bigint>,
    applied: ReadonlyMap<string, number>,
  ): void {
    this.batchDuration.observe({ mode }, seconds);
    for (const [projection, position] of checkpoints) this.checkpoint.set({ projection }, Number(position));
    for (const [projection, count] of applied) if (count > 0) this.applied.inc({ projection }, count);
  }

  checkpoints(checkpoints: ReadonlyMap<string, bigint>): void {
    for (const [projection, position] of checkpoints) this.checkpoint.set({ projection }, Number(position));
  }

  /** Checkpoints and failure flags of every projection, as the book has them. */
  progress(book: ProgressBook): void {
    for (const name of book.names) {
      this.checkpoint.set({ projection: name }, Number(book.checkpoint(name)));
      this.failed.set({ projection: name }, book.isFailed(name) ? 1 : 0);
    }
  }

  leading(isLeader: boolean): void {
    this.leader.set(isLeader ? 1 : 0);
  }
}
