import type { LeaseRecord } from '../database/backend';

/**
 * Lease timing. Only one runner writes the read models: it holds a lease row (owner, fencing token,
 * expiry) that it renews well before it expires; standbys poll and take it over once it has expired.
 *
 * Clocks: expiry instants come from the writer's clock and are compared with the standby's. Skew between
 * hosts changes only *when* a takeover happens, never safety: every batch commit checks the fencing
 * token inside its own transaction, so a former owner's late commit is refused whatever the clocks say.
 */
export interface LeaseTiming {
  /** How long a lease lasts without renewal. */
  readonly ttlMs: number;
  /** How often the holder renews (every commit renews too). */
  readonly renewIntervalMs: number;
  /** How often a standby looks at the lease at most. */
  readonly standbyPollMs: number;
}

export const DEFAULT_LEASE_TTL_MS = 15_000;

export function resolveLeaseTiming(partial: Partial<LeaseTiming> = {}): LeaseTiming {
  const ttlMs = partial.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const renewIntervalMs = partial.renewIntervalMs ?? Math.max(1, Math.floor(ttlMs / 3));
  const standbyPollMs = partial.standbyPollMs ?? Math.max(1, Math.floor(ttlMs / 3));
  for (const [name, value] of Object.entries({ ttlMs, renewIntervalMs, standbyPollMs })) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`Lease ${name} must be a positive integer, got ${value}`);
  }
  return { ttlMs, renewIntervalMs, standbyPollMs };
}

export function leaseExpiry(now: number, timing: LeaseTiming): number {
  return now + timing.ttlMs;
}

export function isLeaseFree(lease: LeaseRecord | undefined, now: number): boolean {
  return lease === undefined || lease.expiresAt <= now;
}

/**
 * How long a standby waits before trying again: until just after the current lease expires, but never
 * longer than the poll interval (the holder may renew, or release early on shutdown).
 */
export function standbyDelay(lease: LeaseRecord | undefined, now: number, timing: LeaseTiming): number {
  if (isLeaseFree(lease, now)) return 0;
  const untilExpiry = (lease as LeaseRecord).expiresAt - now + 1;
  return Math.max(1, Math.min(timing.standbyPollMs, untilExpiry));
}

/** For logs and status: who holds the lease and for how long still. */
export function describeLease(lease: LeaseRecord | undefined, now: number, self: string): string {
  if (lease === undefined) return 'never taken';
  if (lease.expiresAt <= now)
    return `free (last held by ${lease.owner === self ? 'us' : lease.owner}, token ${lease.token})`;
  const holder = lease.owner === self ? 'us' : lease.owner;
  return `held by ${holder} (token ${lease.token}) for ${lease.expiresAt - now} ms more`;
}
