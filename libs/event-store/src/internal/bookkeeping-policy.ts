import { InvalidArgument } from '../errors';
import type { CheckpointLease } from '../event-store.port';

/** How long idempotency records are kept unless configured otherwise (README "Configuration"). */
export const DEFAULT_IDEMPOTENCY_RETENTION_DAYS = 30;
const DAY_MS = 24 * 3_600_000;
/** How often a store that purges on its own looks for expired records (and once when it opens). */
export const PURGE_INTERVAL_MS = 3_600_000;
/** Records deleted per statement: a purge never holds the write lock or the event loop for long. */
export const PURGE_BATCH = 2_000;

export function retentionMs(days: number | undefined): number {
  const value = days ?? DEFAULT_IDEMPOTENCY_RETENTION_DAYS;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgument(
      `idempotencyRetentionDays must be a positive number of days, got ${String(days)}`,
    );
  }
  return value * DAY_MS;
}

/**
 * The lease rule every adapter applies (the SQL ones in SQL): a checkpoint never taken, released or
 * expired at `now` goes to `owner` with the next fencing token; a running lease stays with its holder.
 */
export function acquiredLease(
  current: CheckpointLease | undefined,
  name: string,
  owner: string,
  now: number,
  expiresAt: number,
): CheckpointLease | undefined {
  if (current && current.expiresAt > now) return undefined;
  return { name, owner, token: (current?.token ?? 0n) + 1n, position: current?.position ?? 0n, expiresAt };
}

/**
 * Runs `purge` once soon after a store opens and then every PURGE_INTERVAL_MS, without keeping the process
 * alive; `stop()` waits for a purge in progress. A failed purge is retried at the next interval (the
 * records stay a little longer: nothing is lost).
 */
export class PurgeSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly purge: () => Promise<unknown>,
    private readonly intervalMs = PURGE_INTERVAL_MS,
  ) {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.purge()
        .catch(() => undefined)
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
    this.timer.unref();
  }
}

/**
 * A row of the SQL stores' checkpoints table (name, owner, token, position, expires_at): PostgreSQL hands
 * the bigints back as text, SQLite as bigint.
 */
export type CheckpointRow = {
  readonly name: string;
  readonly owner: string;
  readonly token: string | bigint;
  readonly position: string | bigint;
  readonly expires_at: string | bigint;
};

/** The lease a checkpoints row holds; none when no row came back. */
export function leaseOf(row: CheckpointRow | undefined): CheckpointLease | undefined {
  if (!row) return undefined;
  return {
    name: row.name,
    owner: row.owner,
    token: BigInt(row.token),
    position: BigInt(row.position),
    expiresAt: Number(row.expires_at),
  };
}
