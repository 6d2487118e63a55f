import { afterFailure, backoffDelayMs, DEFAULT_BACKOFF, type NextStep } from './backoff';

describe('webhook back-off (injected clock and randomness, no sleeping)', () => {
  it('doubles from 10 s up to the 1 h cap, with half of each delay random', () => {
    const low = [1, 2, 3, 4, 10, 20].map((n) => backoffDelayMs(DEFAULT_BACKOFF, n, 0));
    const high = [1, 2, 3, 4, 10, 20].map((n) => backoffDelayMs(DEFAULT_BACKOFF, n, 0.99));
    expect(low).toEqual([5_000, 10_000, 20_000, 40_000, 1_800_000, 1_800_000]);
    expect(high).toEqual([9_950, 19_900, 39_800, 79_600, 3_582_000, 3_582_000]);
  });

  it('jitter spreads subscriptions failing together, inside [delay/2, delay)', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelayMs(DEFAULT_BACKOFF, 3, r)));
    expect(delays.size).toBe(5);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(20_000);
      expect(d).toBeLessThan(40_000);
    }
  });

  it('a receiver that always fails is retried for at least 24 hours, the intervals growing, then paused', () => {
    const start = new Date('2026-03-02T02:00:00Z');
    let now = start;
    let failures = 0;
    const intervals: number[] = [];
    let step: NextStep;
    for (;;) {
      failures += 1;
      step = afterFailure(
        DEFAULT_BACKOFF,
        { failingSince: start, failures, now, lastError: 'HTTP 500' },
        0.5,
      );
      if (step.kind === 'pause') break;
      intervals.push(step.at.getTime() - now.getTime());
      now = step.at;
      if (failures > 1000) throw new Error('never paused');
    }
    expect(now.getTime() - start.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(now.getTime() - start.getTime()).toBeLessThan(26 * 3_600_000);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]).toBeGreaterThanOrEqual(intervals[i - 1]);
    expect(intervals[1]).toBe(2 * intervals[0]);
    expect(step.reason).toContain('HTTP 500');
    expect(step.reason).toContain(`${failures} attempts`);
    expect(step.reason).toContain(start.toISOString());
  });
});
