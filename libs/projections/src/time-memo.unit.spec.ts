import {
  cstMonth,
  manifestDeadline,
  parseInstant,
  storageDueAt,
  WEEKENDS_ONLY,
  workingCalendar,
} from '@wasteflow/domain';
import { cstMonthOf, instantMs, manifestDeadlineOf, storageDueAtOf } from './time-memo';

const NATIONAL_DAY = workingCalendar({ holidays: ['2026-10-01', '2026-10-02'] });

describe('memoised time functions', () => {
  it('answer as the domain does, asked once or again', () => {
    for (const text of ['2026-11-29T09:00:00+08:00', '2026-12-31T23:59:59.999Z', '2026-02-27T16:00:00Z']) {
      for (let i = 0; i < 2; i += 1) {
        expect(instantMs(text, 'occurredAt')).toBe(parseInstant(text, 'occurredAt'));
        expect(cstMonthOf(text, 'occurredAt')).toBe(cstMonth(parseInstant(text, 'occurredAt')));
        expect(manifestDeadlineOf(text, WEEKENDS_ONLY)).toEqual(manifestDeadline(text, WEEKENDS_ONLY));
        expect(manifestDeadlineOf(text, NATIONAL_DAY)).toEqual(manifestDeadline(text, NATIONAL_DAY));
        expect(storageDueAtOf(text)).toBe(storageDueAt(text));
      }
    }
  });

  it('keep one memo per calendar: the same pickup has another deadline under another calendar', () => {
    const pickup = '2026-09-28T09:00:00+08:00';
    expect(manifestDeadlineOf(pickup, WEEKENDS_ONLY).dueAt).toBe('2026-10-06T00:00:00.000+08:00');
    expect(manifestDeadlineOf(pickup, NATIONAL_DAY).dueAt).toBe('2026-10-08T00:00:00.000+08:00');
  });

  it('do not cache a failure, and name the caller field', () => {
    expect(() => instantMs('2026-13-01T00:00:00Z', 'receivedAt')).toThrow(/receivedAt/);
    expect(() => instantMs('2026-13-01T00:00:00Z', 'occurredAt')).toThrow(/occurredAt/);
  });
});
