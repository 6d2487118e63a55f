import { InvalidValue } from '../errors';
import type { WasteCategory } from '../values/category';
import { CST_OFFSET_MS, cstDate, cstParts, formatCst, parseCalendarDate, parseInstant } from '../values/time';

/**
 * Derived facts for alerts: pure functions of event facts and a `now` given by the caller.
 * Instants are ISO 8601 strings with an offset; calendar reasoning is in China Standard Time.
 */

export const DEFAULT_DISCREPANCY_TOLERANCE = 0.05;
export const MANIFEST_WORKING_DAYS = 5;
export const DEFAULT_LATE_ENTRY_THRESHOLD_MS = 72 * 3_600_000;
const DAY_MS = 86_400_000;

/** tolerance as an exact fraction n / 10^9 (so that 5 % of 300 is exactly 15). */
function toleranceFraction(tolerance: number): bigint {
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 1)
    throw new InvalidValue('tolerance', tolerance, 'a fraction between 0 and 1');
  return BigInt(Math.round(tolerance * 1e9));
}

export function validateTolerance(tolerance: number): number {
  toleranceFraction(tolerance);
  return tolerance;
}

/**
 * Discrepancy: |shipped − received| beyond `tolerance` × shipped (strictly; exactly 5 % is not a discrepancy).
 * Exact integer arithmetic.
 */
export function isDiscrepancy(
  shippedGrams: number,
  receivedGrams: number,
  tolerance = DEFAULT_DISCREPANCY_TOLERANCE,
): boolean {
  const diff = BigInt(Math.abs(shippedGrams - receivedGrams));
  return diff * 1_000_000_000n > toleranceFraction(tolerance) * BigInt(shippedGrams);
}

export interface WorkingCalendar {
  /** Public holidays (non-working weekdays), `YYYY-MM-DD`. */
  readonly holidays?: readonly string[];
  /** Adjusted working weekend days (调休), `YYYY-MM-DD`. */
  readonly workingWeekends?: readonly string[];
}

export function isWorkingDay(date: string, calendar: WorkingCalendar = {}): boolean {
  const { year, month, day } = parseCalendarDate(date, 'date');
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (calendar.workingWeekends?.includes(date)) return true;
  if (weekday === 0 || weekday === 6) return false;
  return !(calendar.holidays?.includes(date) ?? false);
}

/**
 * When a picked-up manifest becomes overdue (危险废物转移管理办法 Art. 18): at the end of the `workingDays`-th
 * working day after the pickup day (CST; weekends and given holidays do not count). Returns that instant
 * (00:00 CST of the following day) as ISO 8601 in +08:00; the manifest is overdue from then on if not received.
 */
export function manifestDueAt(
  pickedUpAt: string,
  workingDays = MANIFEST_WORKING_DAYS,
  calendar: WorkingCalendar = {},
): string {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new InvalidValue('workingDays', workingDays, 'a non-negative whole number');
  const p = cstParts(parseInstant(pickedUpAt, 'pickedUpAt'));
  let dayStart = Date.UTC(p.year, p.month - 1, p.day) - CST_OFFSET_MS;
  let counted = 0;
  while (counted < workingDays) {
    dayStart += DAY_MS;
    if (isWorkingDay(cstDate(dayStart), calendar)) counted += 1;
  }
  return formatCst(dayStart + DAY_MS);
}

/** Not received (receivedAt undefined, or received after the due time) and `now` past the due time. */
export function isManifestOverdue(
  pickedUpAt: string,
  receivedAt: string | undefined,
  now: string,
  workingDays = MANIFEST_WORKING_DAYS,
  calendar: WorkingCalendar = {},
): boolean {
  const due = parseInstant(manifestDueAt(pickedUpAt, workingDays, calendar), 'dueAt');
  const end =
    receivedAt === undefined
      ? parseInstant(now, 'now')
      : Math.min(parseInstant(receivedAt, 'receivedAt'), parseInstant(now, 'now'));
  return end >= due;
}

/** One year after the start of storage, same CST calendar day and time (29 February → 1 March). */
export function storageDueAt(receivedAt: string, years = 1): string {
  const ms = parseInstant(receivedAt, 'receivedAt');
  const d = new Date(ms + CST_OFFSET_MS);
  const due =
    Date.UTC(
      d.getUTCFullYear() + years,
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ) - CST_OFFSET_MS;
  return formatCst(due);
}

/** Hazardous waste held by a receiver longer than one year (固废法 Art. 81); other categories never. */
export function isStorageOverdue(receivedAt: string, now: string, category: WasteCategory): boolean {
  if (category !== 'hazardous') return false;
  return parseInstant(now, 'now') > parseInstant(storageDueAt(receivedAt), 'dueAt');
}

/** Recorded more than `thresholdMs` (default 72 h) after it occurred. */
export function isLateEntry(
  occurredAt: string,
  recordedAt: string,
  thresholdMs = DEFAULT_LATE_ENTRY_THRESHOLD_MS,
): boolean {
  return parseInstant(recordedAt, 'recordedAt') - parseInstant(occurredAt, 'occurredAt') > thresholdMs;
}
