import { InvalidValue } from '../errors';
import { hwCategoryOfCode, MEDICAL_WASTE_CATEGORY } from '../catalogue/hw-catalogue';
import type { WasteCategory } from '../values/category';
import { CST_OFFSET_MS, formatCst, parseInstant } from '../values/time';

/**
 * Derived facts for alerts: pure functions of event facts and a `now` given by the caller.
 * Instants are ISO 8601 strings with an offset; calendar reasoning is in China Standard Time.
 */

export const DEFAULT_DISCREPANCY_TOLERANCE = 0.05;
export const DEFAULT_LATE_ENTRY_THRESHOLD_MS = 72 * 3_600_000;

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

/**
 * Not received (receivedAt undefined, or received after the due time) and `now` past the due time;
 * `dueAt` is the manifest's deadline (`manifestDeadline`), computed once at pickup and stored.
 */
export function isManifestOverdue(dueAt: string, receivedAt: string | undefined, now: string): boolean {
  const due = parseInstant(dueAt, 'dueAt');
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

/** Temporary storage of medical waste at the institution that produced it: at most 2 days (医疗废物管理条例 Art. 17). */
export const MEDICAL_STORAGE_LIMIT_MS = 48 * 3_600_000;

/** Medical waste: hazardous waste of HW01 (医疗废物, 841-00x-01). */
export function isMedicalWaste(category: WasteCategory, wasteCode: string | undefined): boolean {
  return (
    category === 'hazardous' &&
    wasteCode !== undefined &&
    hwCategoryOfCode(wasteCode) === MEDICAL_WASTE_CATEGORY
  );
}

/** 48 hours after the generator began to hold it (its generation). */
export function medicalStorageDueAt(heldSince: string): string {
  return formatCst(parseInstant(heldSince, 'heldSince') + MEDICAL_STORAGE_LIMIT_MS);
}

/** Medical waste still held by its generator strictly more than 48 hours after generation. */
export function isMedicalStorageOverdue(heldSince: string, leftAt: string | undefined, now: string): boolean {
  const end = Math.min(
    parseInstant(now, 'now'),
    leftAt === undefined ? Number.POSITIVE_INFINITY : parseInstant(leftAt, 'leftAt'),
  );
  return end > parseInstant(heldSince, 'heldSince') + MEDICAL_STORAGE_LIMIT_MS;
}

/** Recorded more than `thresholdMs` (default 72 h) after it occurred. */
export function isLateEntry(
  occurredAt: string,
  recordedAt: string,
  thresholdMs = DEFAULT_LATE_ENTRY_THRESHOLD_MS,
): boolean {
  return parseInstant(recordedAt, 'recordedAt') - parseInstant(occurredAt, 'occurredAt') > thresholdMs;
}
