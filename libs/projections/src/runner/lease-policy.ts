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

/** Where a lease owner runs, read from the id a runner gives itself: `host:pid:random`. */
export interface OwnerIdentity {
  readonly host: string;
  readonly pid: number;
}

export function ownerId(identity: OwnerIdentity, suffix: string): string {
  return `${identity.host}:${identity.pid}:${suffix}`;
}

/** The host and pid an owner id names; undefined for ids set by hand (`projector-a`). */
export function parseOwner(owner: string): OwnerIdentity | undefined {
  const parts = owner.split(':');
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  if (host === '' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { host, pid };
}

/**
 * Whether the process holding a lease is provably gone, so a takeover need not wait for its expiry
 * (after a kill -9 the restarted process would otherwise project nothing for a whole TTL). Provable
 * only on the holder's own host: its pid is dead, or it is our own pid under another owner id (a
 * restarted container reuses its hostname and pid 1; one pid is one process, so the holder was our
 * predecessor). A pid alive under another process may be reused: then nothing is proven, and the lease
 * expires as usual. A holder on another host is never judged here.
 */
export function isHolderGone(
  lease: LeaseRecord | undefined,
  self: {
    readonly owner: string;
    readonly identity: OwnerIdentity;
    /** Owner ids of runners alive in this process: a sibling under our pid is not a predecessor. */
    readonly siblings: ReadonlySet<string>;
  },
  isAlive: (pid: number) => boolean,
): boolean {
  if (lease === undefined || lease.owner === self.owner) return false;
  const holder = parseOwner(lease.owner);
  if (holder === undefined || holder.host !== self.identity.host) return false;
  if (holder.pid === self.identity.pid) return !self.siblings.has(lease.owner);
  return !isAlive(holder.pid);
}

/** `kill(pid, 0)`: delivers nothing, tells whether the pid exists (EPERM: it exists, not ours). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
