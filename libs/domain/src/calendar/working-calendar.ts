import { parse } from 'csv-parse/sync';
import { REFERENCE_CSV } from '../reference-csv';
import { InvalidValue, InvalidWorkdayCalendar } from '../errors';
import { CST_OFFSET_MS, cstDate, cstParts, daysInMonth, formatCst, parseInstant } from '../values/time';

/**
 * The official working-day calendar (国务院办公厅关于部分节假日安排的通知, one notice a year): the public
 * holidays that fall on weekdays and the weekend days made working days (调休). Data, not code: the file is
 * `calendar/cn-workdays.csv` (columns `date,kind,name`, kind `holiday` or `workday`), passed in as text.
 *
 * `years` are the years the calendar covers (those its rows name). A day of another year is judged by
 * weekends only, and the deadlines computed over it say so (`uncoveredYears`): the State Council publishes
 * each year's notice late in the year before, so a calendar is always finite.
 */
export interface WorkingCalendar {
  /** Public holidays on weekdays (and on weekends: harmless), `YYYY-MM-DD`. */
  readonly holidays: ReadonlySet<string>;
  /** Weekend days made working days (调休), `YYYY-MM-DD`. */
  readonly workingWeekends: ReadonlySet<string>;
  /** The years the calendar covers, ascending. */
  readonly years: readonly number[];
}

/** No official days known: weekends only, for every year. */
export const WEEKENDS_ONLY: WorkingCalendar = { holidays: new Set(), workingWeekends: new Set(), years: [] };

/** A calendar from lists of days; its years are those the days name unless given. */
export function workingCalendar(days: {
  holidays?: Iterable<string>;
  workingWeekends?: Iterable<string>;
  years?: Iterable<number>;
}): WorkingCalendar {
  const holidays = new Set(days.holidays ?? []);
  const workingWeekends = new Set(days.workingWeekends ?? []);
  for (const date of [...holidays, ...workingWeekends])
    if (!isCalendarDate(date)) throw new InvalidValue('date', date, 'a calendar date YYYY-MM-DD');
  const years =
    days.years === undefined
      ? [...holidays, ...workingWeekends].map((d) => Number(d.slice(0, 4)))
      : [...days.years];
  return { holidays, workingWeekends, years: [...new Set(years)].sort((a, b) => a - b) };
}

/** `YYYY-MM-DD` and a day that exists. */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

/** Whether the calendar covers the year of `date` (else only weekends count as days off). */
export function coversDate(calendar: WorkingCalendar, date: string): boolean {
  return calendar.years.includes(Number(date.slice(0, 4)));
}

export function isWorkingDay(date: string, calendar: WorkingCalendar = WEEKENDS_ONLY): boolean {
  if (!isCalendarDate(date)) throw new InvalidValue('date', date, 'a calendar date YYYY-MM-DD');
  if (calendar.workingWeekends.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  return !isWeekend(date);
}

/**
 * Reads the calendar's CSV text. Every row is checked: a real date, kind `holiday` or `workday` (on a
 * weekend: a notice never makes a weekday a working day, so that is a typo), no date twice.
 * A bad row is `InvalidWorkdayCalendar` naming its line (1 = the header).
 */
export function parseWorkdayCalendarCsv(text: string): WorkingCalendar {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { ...REFERENCE_CSV, info: true }) as unknown as typeof rows;
  } catch (error) {
    throw new InvalidWorkdayCalendar(`not CSV (${(error as Error).message})`);
  }
  const header = rows[0]?.record.map((h) => h.toLowerCase());
  if (!header || header[0] !== 'date' || header[1] !== 'kind')
    throw new InvalidWorkdayCalendar('the header must be date,kind,name', rows[0]?.info.lines ?? 1);
  const holidays = new Set<string>();
  const workingWeekends = new Set<string>();
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    const [date = '', kind = ''] = record;
    if (!isCalendarDate(date))
      throw new InvalidWorkdayCalendar(`${JSON.stringify(date)} is not a date YYYY-MM-DD`, line);
    if (holidays.has(date) || workingWeekends.has(date))
      throw new InvalidWorkdayCalendar(`${date} is listed twice`, line);
    if (kind === 'holiday') {
      holidays.add(date);
    } else if (kind === 'workday') {
      if (!isWeekend(date))
        throw new InvalidWorkdayCalendar(`${date} is a weekday: it is a working day already`, line);
      workingWeekends.add(date);
    } else {
      throw new InvalidWorkdayCalendar(`kind ${JSON.stringify(kind)} is neither holiday nor workday`, line);
    }
  }
  if (holidays.size + workingWeekends.size === 0) throw new InvalidWorkdayCalendar('no days listed');
  return workingCalendar({ holidays, workingWeekends });
}

export const MANIFEST_WORKING_DAYS = 5;
const DAY_MS = 86_400_000;

export interface Deadline {
  /** 00:00 CST of the day after the last working day counted, ISO 8601 in +08:00. */
  readonly dueAt: string;
  /** Years the count went through that the calendar does not cover (counted by weekends only). */
  readonly uncoveredYears: readonly number[];
}

/**
 * The end of the `workingDays`-th working day after the CST day of `from` (the day itself does not count).
 * Used for the manifest receipt (危险废物转移管理办法 Art. 18: 5 working days) and the paper back-fill
 * (10 working days).
 */
export function workingDaysAfter(from: string, workingDays: number, calendar: WorkingCalendar): Deadline {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new InvalidValue('workingDays', workingDays, 'a non-negative whole number');
  const p = cstParts(parseInstant(from, 'from'));
  let dayStart = Date.UTC(p.year, p.month - 1, p.day) - CST_OFFSET_MS;
  let counted = 0;
  const uncovered = new Set<number>();
  while (counted < workingDays) {
    dayStart += DAY_MS;
    const date = cstDate(dayStart);
    if (!coversDate(calendar, date)) uncovered.add(Number(date.slice(0, 4)));
    if (isWorkingDay(date, calendar)) counted += 1;
  }
  return { dueAt: formatCst(dayStart + DAY_MS), uncoveredYears: [...uncovered].sort((a, b) => a - b) };
}

/**
 * When a picked-up manifest becomes overdue (危险废物转移管理办法 Art. 18: received within 5 working days):
 * the end of the 5th working day after the pickup day, in CST, by the official calendar.
 */
export function manifestDeadline(
  pickedUpAt: string,
  calendar: WorkingCalendar,
  workingDays = MANIFEST_WORKING_DAYS,
): Deadline {
  return workingDaysAfter(pickedUpAt, workingDays, calendar);
}
