import type { Fence, LeaseRecord, ReadModelBackend } from '../database/backend';
import {
  describeLease,
  isHolderGone,
  leaseExpiry,
  processIsAlive,
  standbyDelay,
  type LeaseTiming,
  type OwnerIdentity,
} from './lease-policy';

/** Owner ids of the runners of this process not yet closed: siblings, not dead predecessors. */
const LIVE_OWNERS = new Set<string>();

export interface LeaseKeeperOptions {
  readonly backend: Pick<ReadModelBackend, 'acquireLease' | 'renewLease' | 'releaseLease' | 'readLease'>;
  readonly lease: string;
  readonly owner: string;
  readonly timing: LeaseTiming;
  readonly clock: () => number;
  readonly warn: (message: string) => void;
  /** Where we run: a holder on this host whose pid is dead is provably gone (taken over at once). */
  readonly identity?: OwnerIdentity;
  /** Tests: whether a pid on this host is alive. */
  readonly isAlive?: (pid: number) => boolean;
  /** How the logs name it (default `projection lease`). */
  readonly what?: string;
}

/**
 * Holding the writer's lease: taking it, renewing it on a timer, the fence every commit carries, handing it
 * back. It decides nothing else: what to do when the lease is lost is the caller's (`onLost`).
 */
export class LeaseKeeper {
  readonly lease: string;
  readonly owner: string;
  private readonly backend: LeaseKeeperOptions['backend'];
  private readonly timing: LeaseTiming;
  private readonly clock: () => number;
  private readonly warn: (message: string) => void;
  private current: bigint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;
  private readonly identity?: OwnerIdentity;
  private readonly isAlive: (pid: number) => boolean;
  private readonly what: string;

  constructor(options: LeaseKeeperOptions) {
    this.what = options.what ?? 'projection lease';
    this.identity = options.identity;
    this.isAlive = options.isAlive ?? processIsAlive;
    LIVE_OWNERS.add(options.owner);
    this.backend = options.backend;
    this.lease = options.lease;
    this.owner = options.owner;
    this.timing = options.timing;
    this.clock = options.clock;
    this.warn = options.warn;
  }

  /** The fencing token while we hold the lease. */
  get token(): bigint | undefined {
    return this.current;
  }

  get held(): boolean {
    return this.current !== undefined;
  }

  /**
   * Takes the lease if it is free or expired, or at once if its holder is provably gone (a dead pid on
   * this host: after a kill -9 the restarted process need not wait out its predecessor's TTL) or is this
   * runner's own earlier grant (after a database outage or a failover it stopped projecting under it and
   * could not hand it back); the token, or undefined when someone else holds it.
   */
  async acquire(): Promise<bigint | undefined> {
    const now = this.clock();
    const expiresAt = leaseExpiry(now, this.timing);
    let token = await this.backend.acquireLease(this.lease, this.owner, now, expiresAt);
    if (token === undefined) {
      const lease = await this.backend.readLease(this.lease);
      // Our own grant: a new token fences anything still in flight under the old one.
      const ours = lease?.owner === this.owner;
      const gone =
        lease !== undefined &&
        this.identity !== undefined &&
        isHolderGone(lease, { owner: this.owner, identity: this.identity, siblings: LIVE_OWNERS }, this.isAlive);
      if (lease && (ours || gone)) {
        token = await this.backend.acquireLease(this.lease, this.owner, now, expiresAt, lease);
        if (token !== undefined && !ours) {
          this.warn(
            `Took the ${this.what} over from ${lease.owner} (token ${lease.token}) before its expiry: that process is gone`,
          );
        }
      }
    }
    if (token !== undefined) this.current = token;
    return token;
  }

  /** This runner is closed: no longer a sibling that a takeover must spare. */
  retire(): void {
    LIVE_OWNERS.delete(this.owner);
  }

  /** Renews every `renewIntervalMs`; `onLost(token)` when a renewal is refused (someone took over). */
  startRenewing(onLost: (token: bigint) => void): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.renew(onLost), this.timing.renewIntervalMs);
  }

  stopRenewing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One renewal; exposed for tests. A failed renewal is not a loss by itself: the next one or a commit settles it. */
  async renew(onLost: (token: bigint) => void): Promise<void> {
    const token = this.current;
    if (token === undefined || this.renewing) return;
    this.renewing = true;
    try {
      const held = await this.backend.renewLease(this.lease, this.owner, token, leaseExpiry(this.clock(), this.timing));
      if (!held && this.current === token) onLost(token);
    } catch (error) {
      this.warn(`${this.what.charAt(0).toUpperCase()}${this.what.slice(1)} renewal failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.renewing = false;
    }
  }

  /** Forgets the token without telling the database (it was taken from us). */
  forget(): void {
    this.stopRenewing();
    this.current = undefined;
  }

  /** Hands the lease back (a standby takes over at once); a failure only means it will expire. */
  async release(): Promise<void> {
    this.stopRenewing();
    const token = this.current;
    this.current = undefined;
    if (token === undefined) return;
    try {
      await this.backend.releaseLease(this.lease, this.owner, token);
    } catch (error) {
      this.warn(
        `Could not release the ${this.what} (it will expire): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** What a commit proves: we still hold the lease; committing renews it. */
  fence(): Fence {
    if (this.current === undefined) throw new Error(`Lease ${this.lease} is not held by ${this.owner}`);
    return { lease: this.lease, owner: this.owner, token: this.current, renewTo: leaseExpiry(this.clock(), this.timing) };
  }

  read(): Promise<LeaseRecord | undefined> {
    return this.backend.readLease(this.lease);
  }

  async describe(): Promise<string> {
    return describeLease(await this.read(), this.clock(), this.owner);
  }

  /** How long a standby waits after a failed attempt. */
  pollDelay(): number {
    return this.timing.standbyPollMs;
  }

  /** How long a standby waits before trying again. */
  standbyDelay(lease: LeaseRecord | undefined): number {
    return standbyDelay(lease, this.clock(), this.timing);
  }
}
