import { describeLease, isLeaseFree, leaseExpiry, resolveLeaseTiming, standbyDelay } from './lease-policy';

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
