import type { LeaseRecord } from '../database/backend';
import { LeaseKeeper } from './lease-keeper';

/** A lease table in memory with the backends' rules: free or expired → taken, token + 1. */
class MemoryLeases {
  record: LeaseRecord | undefined;
  failRenewals = false;

  async acquireLease(_l: string, owner: string, now: number, expiresAt: number): Promise<bigint | undefined> {
    if (this.record && this.record.expiresAt > now) return undefined;
    this.record = { owner, token: (this.record?.token ?? 0n) + 1n, expiresAt };
    return this.record.token;
  }
  async renewLease(_l: string, owner: string, token: bigint, expiresAt: number): Promise<boolean> {
    if (this.failRenewals) throw new Error('database away');
    if (!this.record || this.record.owner !== owner || this.record.token !== token) return false;
    this.record = { ...this.record, expiresAt };
    return true;
  }
  async releaseLease(_l: string, owner: string, token: bigint): Promise<void> {
    if (this.record?.owner === owner && this.record.token === token) this.record = { ...this.record, expiresAt: 0 };
  }
  async readLease(): Promise<LeaseRecord | undefined> {
    return this.record;
  }
}

function keeper(backend: MemoryLeases, owner: string, clock: { now: number }, warnings: string[] = []) {
  return new LeaseKeeper({
    backend,
    lease: 'projections',
    owner,
    timing: { ttlMs: 1000, renewIntervalMs: 300, standbyPollMs: 300 },
    clock: () => clock.now,
    warn: (m) => warnings.push(m),
  });
}

describe('LeaseKeeper', () => {
  it('takes a free lease, is refused a held one, and takes it over once expired with a higher token', async () => {
    const backend = new MemoryLeases();
    const clock = { now: 10_000 };
    const a = keeper(backend, 'a', clock);
    const b = keeper(backend, 'b', clock);
    expect(await a.acquire()).toBe(1n);
    expect(a.fence()).toEqual({ lease: 'projections', owner: 'a', token: 1n, renewTo: 11_000 });
    expect(await b.acquire()).toBeUndefined();
    expect(b.held).toBe(false);
    expect(await b.describe()).toBe('held by a (token 1) for 1000 ms more');
    clock.now = 11_000;
    expect(await b.acquire()).toBe(2n);
    expect(() => keeper(backend, 'c', clock).fence()).toThrow('not held by c');
  });

  it('reports a refused renewal as lost, a failed one only as a warning', async () => {
    const backend = new MemoryLeases();
    const clock = { now: 0 };
    const warnings: string[] = [];
    const a = keeper(backend, 'a', clock, warnings);
    await a.acquire();
    const lost: bigint[] = [];
    backend.failRenewals = true;
    await a.renew((token) => lost.push(token));
    expect(lost).toEqual([]);
    expect(warnings).toEqual(['Projection lease renewal failed: database away']);
    backend.failRenewals = false;
    clock.now = 1000;
    await keeper(backend, 'b', clock).acquire();
    await a.renew((token) => lost.push(token));
    expect(lost).toEqual([1n]);
  });

  it('hands the lease back on release, so a standby takes it at once', async () => {
    const backend = new MemoryLeases();
    const clock = { now: 0 };
    const a = keeper(backend, 'a', clock);
    await a.acquire();
    await a.release();
    expect(a.held).toBe(false);
    expect(await keeper(backend, 'b', clock).acquire()).toBe(2n);
  });
});
