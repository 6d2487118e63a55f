import { readFileSync } from 'fs';
import { join } from 'path';
import { InvalidWorkdayCalendar } from '../errors';
import {
  isWorkingDay,
  manifestDeadline,
  parseWorkdayCalendarCsv,
  WEEKENDS_ONLY,
  workingCalendar,
  workingDaysAfter,
} from './working-calendar';

/** The bundled file, read as text here (the domain itself never reads files: it is given the text). */
const BUNDLED = readFileSync(join(__dirname, '..', '..', '..', '..', 'calendar', 'cn-workdays.csv'), 'utf8');

describe('the official working-day calendar (国务院办公厅 节假日安排)', () => {
  const calendar = parseWorkdayCalendarCsv(BUNDLED);

  it('reads the bundled file: 2025 and 2026, holidays and adjusted working weekends', () => {
    expect(calendar.years).toEqual([2025, 2026]);
    expect(isWorkingDay('2025-10-01', calendar)).toBe(false); // 国庆节, a Wednesday
    expect(isWorkingDay('2025-09-28', calendar)).toBe(true); // 国庆节调休, a Sunday
    expect(isWorkingDay('2026-02-28', calendar)).toBe(true); // 春节调休, a Saturday
    expect(isWorkingDay('2026-03-02', calendar)).toBe(true); // an ordinary Monday
    expect(isWorkingDay('2026-03-07', calendar)).toBe(false); // an ordinary Saturday
  });

  describe('given a pickup, when its receipt deadline is computed, then it counts 5 official working days', () => {
    it('ordinary week: a Monday pickup is due at the end of the next Monday', () => {
      expect(manifestDeadline('2026-03-02T13:00:00+08:00', calendar)).toEqual({
        dueAt: '2026-03-10T00:00:00.000+08:00',
        uncoveredYears: [],
      });
    });

    it.each([
      {
        // 中秋 Fri 25 – Sun 27 Sep and 国庆 1–7 Oct off. Pickup Wed 23 Sep: Thu 24 (1), Mon 28 (2), Tue 29 (3),
        // Wed 30 (4), Thu 8 Oct (5) → due 00:00 Fri 9 Oct. Weekends alone: Thu 24 … Wed 30 → 00:00 Thu 1 Oct.
        title: 'over 中秋 and 国庆 2026: the holidays do not count',
        pickup: '2026-09-23T10:00:00+08:00',
        official: '2026-10-09T00:00:00.000+08:00',
        weekendsOnly: '2026-10-01T00:00:00.000+08:00',
      },
      {
        title:
          'an adjusted working Saturday counts: pickup Thu 8 Oct 2026 → Fri 9 (1), Sat 10 (2, 调休), Mon–Wed (3–5)',
        pickup: '2026-10-08T10:00:00+08:00',
        official: '2026-10-15T00:00:00.000+08:00',
        weekendsOnly: '2026-10-16T00:00:00.000+08:00',
      },
    ])('$title', ({ pickup, official, weekendsOnly }) => {
      expect(manifestDeadline(pickup, calendar).dueAt).toBe(official);
      expect(manifestDeadline(pickup, WEEKENDS_ONLY).dueAt).toBe(weekendsOnly);
    });

    it('a pickup late on 31 Dec 2026 counts into 2027, which the calendar does not cover: weekends only, and it says so', () => {
      expect(manifestDeadline('2026-12-31T15:00:00+08:00', calendar)).toEqual({
        dueAt: '2027-01-08T00:00:00.000+08:00',
        uncoveredYears: [2027],
      });
    });

    it('the pickup day is the CST day (17:00 UTC on a Friday is Saturday in CST)', () => {
      expect(manifestDeadline('2026-03-06T17:00:00Z', calendar).dueAt).toBe('2026-03-14T00:00:00.000+08:00');
    });

    it('counts any number of working days (10 for a paper back-fill)', () => {
      expect(workingDaysAfter('2026-03-02T09:00:00+08:00', 10, calendar).dueAt).toBe(
        '2026-03-17T00:00:00.000+08:00',
      );
    });
  });

  describe('given a bad calendar file, then it is refused with the line at fault', () => {
    const cases: [string, string, number | undefined][] = [
      ['day,kind\n2026-01-01,holiday\n', 'the header must be date,kind,name', 1],
      [
        'date,kind,name\n2026-01-01,holiday,元旦\n2026-02-30,holiday,x\n',
        '"2026-02-30" is not a date YYYY-MM-DD',
        3,
      ],
      [
        'date,kind,name\n2026-01-01,holiday,元旦\n\n2026-01-01,holiday,元旦\n',
        '2026-01-01 is listed twice',
        4,
      ],
      ['date,kind,name\n2026-03-02,workday,x\n', '2026-03-02 is a weekday: it is a working day already', 2],
      ['date,kind,name\n2026-03-07,rest,x\n', 'kind "rest" is neither holiday nor workday', 2],
      ['date,kind,name\n', 'no days listed', undefined],
    ];
    it.each(cases)('%j → %s', (text, reason, line) => {
      let thrown: unknown;
      try {
        parseWorkdayCalendarCsv(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidWorkdayCalendar);
      expect((thrown as InvalidWorkdayCalendar).details).toEqual({ reason, line });
    });
  });

  it('a calendar built from lists covers the years its days name', () => {
    const c = workingCalendar({ holidays: ['2030-05-01'], workingWeekends: ['2030-04-27'] });
    expect(c.years).toEqual([2030]);
    expect(isWorkingDay('2030-04-27', c)).toBe(true);
    expect(isWorkingDay('2030-05-01', c)).toBe(false);
  });
});
