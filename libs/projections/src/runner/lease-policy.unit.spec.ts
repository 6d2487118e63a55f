import {
  describeLease,
  isHolderGone,
  isLeaseFree,
  leaseExpiry,
  ownerId,
  parseOwner,
  processIsAlive,
  resolveLeaseTiming,
  standbyDelay,
} from './lease-policy';

describe('lease timing', () => {
  it('renews and polls at a third of the TTL by default', () => {
    expect(resolveLeaseTiming()).toEqual({ ttlMs: 15_000, renewIntervalMs: 5_000, standbyPollMs: 5_000 });
    expect(resolveLeaseTiming({ ttlMs: 300 })).toEqual({
      ttlMs: 300,
      renewIntervalMs: 100,
      standbyPollMs: 100,
    });
    expect(resolveLeaseTiming({ ttlMs: 2, standbyPollMs: 7 })).toEqual({
      ttlMs: 2,
      renewIntervalMs: 1,
      standbyPollMs: 7,
    });
    expect(() => resolveLeaseTiming({ ttlMs: 0 })).toThrow('ttlMs must be a positive integer');
    expect(() => resolveLeaseTiming({ renewIntervalMs: 1.5 })).toThrow('renewIntervalMs');
  });

  it('expires a lease at exactly its expiry instant', () => {
    const timing = resolveLeaseTiming({ ttlMs: 1_000 });
    const lease = { owner: 'a', token: 3n, expiresAt: leaseExpiry(10_000, timing) };
    expect(lease.expiresAt).toBe(11_000);
    expect(isLeaseFree(lease, 10_999)).toBe(false);
    expect(isLeaseFree(lease, 11_000)).toBe(true);
    expect(isLeaseFree(undefined, 0)).toBe(true);
  });

  it('lets a standby retry just after expiry, never later than its poll interval', () => {
    const timing = resolveLeaseTiming({ ttlMs: 15_000, standbyPollMs: 500 });
    const lease = { owner: 'a', token: 1n, expiresAt: 10_000 };
    expect(standbyDelay(lease, 9_900, timing)).toBe(101);
    expect(standbyDelay(lease, 9_999, timing)).toBe(2);
    expect(standbyDelay(lease, 1_000, timing)).toBe(500);
    expect(standbyDelay(lease, 10_000, timing)).toBe(0);
    expect(standbyDelay(undefined, 0, timing)).toBe(0);
  });

  it('describes the lease from the point of view of one owner', () => {
    const lease = { owner: 'host:1:abc', token: 4n, expiresAt: 2_000 };
    expect(describeLease(lease, 1_500, 'host:1:abc')).toBe('held by us (token 4) for 500 ms more');
    expect(describeLease(lease, 1_500, 'other')).toBe('held by host:1:abc (token 4) for 500 ms more');
    expect(describeLease(lease, 2_000, 'other')).toBe('free (last held by host:1:abc, token 4)');
    expect(describeLease(undefined, 0, 'x')).toBe('never taken');
  });
});

describe('a lease holder provably gone', () => {
  const identity = { host: 'api-1', pid: 100 };
  const self = { owner: ownerId(identity, 'aaaa'), identity, siblings: new Set([ownerId(identity, 'aaaa')]) };
  const held = (owner: string) => ({ owner, token: 4n, expiresAt: 1e15 });
  const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

  it('reads host and pid from an owner id, and nothing from ids set by hand', () => {
    expect(parseOwner('api-1:100:aaaa')).toEqual({ host: 'api-1', pid: 100 });
    expect(parseOwner('fe80::1:100:aaaa')).toEqual({ host: 'fe80::1', pid: 100 });
    expect(parseOwner('projector-a')).toBeUndefined();
    expect(parseOwner('a:b:c')).toBeUndefined();
    expect(parseOwner(':100:aaaa')).toBeUndefined();
  });

  it('is gone when its pid is dead on this host', () => {
    expect(isHolderGone(held('api-1:200:bbbb'), self, alive([]))).toBe(true);
    expect(isHolderGone(held('api-1:200:bbbb'), self, alive([200]))).toBe(false);
  });

  it('is our predecessor when it had our pid under another id (a restarted container), not a sibling', () => {
    expect(isHolderGone(held('api-1:100:cccc'), self, alive([100]))).toBe(true);
    const withSibling = { ...self, siblings: new Set([...self.siblings, 'api-1:100:cccc']) };
    expect(isHolderGone(held('api-1:100:cccc'), withSibling, alive([100]))).toBe(false);
  });

  it('is never judged on another host, for a hand-set id, for ourselves or for no lease', () => {
    expect(isHolderGone(held('api-2:200:bbbb'), self, alive([]))).toBe(false);
    expect(isHolderGone(held('projector-a'), self, alive([]))).toBe(false);
    expect(isHolderGone(held(self.owner), self, alive([]))).toBe(false);
    expect(isHolderGone(undefined, self, alive([]))).toBe(false);
  });

  it('asks the kernel whether a pid exists', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 22 + 1)).toBe(false);
  });
});
