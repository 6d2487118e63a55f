import { InvalidTimestamp, OccurredInFuture, OccurredOutOfOrder } from '../errors';
import {
  checkCommandTime,
  cstDate,
  cstMonth,
  cstYymmdd,
  formatCst,
  parseCalendarDate,
  parseInstant,
  requireNotBefore,
} from './time';

describe('time', () => {
  it('parses ISO 8601 instants with an offset', () => {
    expect(parseInstant('2025-03-03T09:00:00+08:00', 't')).toBe(Date.UTC(2025, 2, 3, 1));
    expect(parseInstant('2025-03-03T01:00Z', 't')).toBe(Date.UTC(2025, 2, 3, 1));
    expect(parseInstant('2025-03-03T01:00:00.123456Z', 't')).toBe(Date.UTC(2025, 2, 3, 1, 0, 0, 123));
  });

  it('refuses instants without offset, impossible dates and non-strings (InvalidTimestamp)', () => {
    for (const bad of [
      '2025-03-03T09:00:00',
      '2025-02-30T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-03-03T24:00:00Z',
      '2025-03-03T09:00:00+15:00',
      'yesterday',
    ]) {
      expect(() => parseInstant(bad, 'occurredAt')).toThrow(InvalidTimestamp);
    }
    expect(() => parseInstant(1741000000000, 'occurredAt')).toThrow(InvalidTimestamp);
    expect(() => parseCalendarDate('2025-02-29', 'validTo')).toThrow(InvalidTimestamp);
  });

  it('takes calendar facts in China Standard Time', () => {
    const lateEveningUtc = Date.UTC(2025, 1, 28, 17); // 2025-03-01T01:00+08:00
    expect(cstMonth(lateEveningUtc)).toBe('2025-03');
    expect(cstDate(lateEveningUtc)).toBe('2025-03-01');
    expect(cstYymmdd(lateEveningUtc)).toBe('250301');
    expect(formatCst(lateEveningUtc)).toBe('2025-03-01T01:00:00.000+08:00');
  });

  describe('command times', () => {
    const recordedAt = '2025-03-03T02:00:00.000Z'; // 10:00 CST

    it('accepts an occurredAt within the clock skew', () => {
      expect(checkCommandTime({ occurredAt: '2025-03-03T10:04:59+08:00', recordedAt }).late).toBe(false);
    });

    it('refuses an occurredAt in the future beyond the skew (OccurredInFuture)', () => {
      expect(() => checkCommandTime({ occurredAt: '2025-03-03T10:05:01+08:00', recordedAt })).toThrow(
        OccurredInFuture,
      );
      expect(() =>
        checkCommandTime({ occurredAt: '2025-03-03T10:00:02+08:00', recordedAt }, { maxClockSkewMs: 1000 }),
      ).toThrow(OccurredInFuture);
    });

    it('accepts a backdated occurredAt and flags it late past the threshold', () => {
      expect(checkCommandTime({ occurredAt: '2025-02-28T10:00:00+08:00', recordedAt }).late).toBe(false);
      expect(checkCommandTime({ occurredAt: '2025-02-28T09:59:59+08:00', recordedAt }).late).toBe(true);
      expect(
        checkCommandTime(
          { occurredAt: '2025-03-03T09:00:00+08:00', recordedAt },
          { lateAfterMs: 30 * 60_000 },
        ).late,
      ).toBe(true);
    });

    it('refuses a step dated before the one it follows (OccurredOutOfOrder)', () => {
      expect(() =>
        requireNotBefore(
          '2025-03-03T09:00:00+08:00',
          Date.UTC(2025, 2, 3, 1),
          '2025-03-03T10:00:00+08:00',
          'x',
        ),
      ).toThrow(OccurredOutOfOrder);
      expect(() =>
        requireNotBefore(
          '2025-03-03T10:00:00+08:00',
          Date.UTC(2025, 2, 3, 2),
          '2025-03-03T10:00:00+08:00',
          'x',
        ),
      ).not.toThrow();
    });
  });
});
