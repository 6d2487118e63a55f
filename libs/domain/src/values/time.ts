import { InvalidTimestamp, OccurredInFuture, OccurredOutOfOrder } from '../errors';

/**
 * Time in the domain. There is no clock here: every command carries
 *  - `recordedAt`: the server's time of recording, an ISO 8601 string with an offset (e.g. `toISOString()`),
 *  - `occurredAt`: the business time from the client, ISO 8601 with an offset (`2025-03-03T09:00:00+08:00`).
 * Events keep `occurredAt` exactly as given (the offset is part of the fact) and carry `late`.
 * Calendar facts (generation month, trace code date, working days, permit dates) are taken in China
 * Standard Time (UTC+08:00).
 */
export const CST_OFFSET_MS = 8 * 3_600_000;

export interface TimePolicy {
  /** An occurredAt more than this after recordedAt is refused (clock skew allowance). */
  readonly maxClockSkewMs: number;
  /** An occurredAt more than this before recordedAt is accepted and flagged late. */
  readonly lateAfterMs: number;
}

export const DEFAULT_TIME_POLICY: TimePolicy = { maxClockSkewMs: 5 * 60_000, lateAfterMs: 72 * 3_600_000 };

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an ISO 8601 instant with an explicit offset (Z or ±HH:MM) into epoch milliseconds; refuses impossible dates. */
export function parseInstant(value: unknown, field: string): number {
  if (typeof value !== 'string')
    throw new InvalidTimestamp(
      field,
      typeof value === 'number' ? value : null,
      'an ISO 8601 string is required',
    );
  const m = INSTANT.exec(value);
  if (!m)
    throw new InvalidTimestamp(
      field,
      value,
      'expected ISO 8601 with an offset, e.g. 2025-03-03T09:00:00+08:00',
    );
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new InvalidTimestamp(field, value, 'no such date');
  if (hour > 23 || minute > 59 || second > 59)
    throw new InvalidTimestamp(field, value, 'no such time of day');
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const oh = Number(m[8].slice(1, 3));
    const om = Number(m[8].slice(4, 6));
    if (oh > 14 || om > 59) throw new InvalidTimestamp(field, value, 'no such offset');
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** Parses a calendar date `YYYY-MM-DD`; returns its parts. */
export function parseCalendarDate(
  value: unknown,
  field: string,
): { year: number; month: number; day: number } {
  if (typeof value !== 'string') throw new InvalidTimestamp(field, null, 'a date YYYY-MM-DD is required');
  const m = DATE.exec(value);
  if (!m) throw new InvalidTimestamp(field, value, 'expected a date YYYY-MM-DD');
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    throw new InvalidTimestamp(field, value, 'no such date');
  return { year, month, day };
}

export function isCalendarDate(value: string): boolean {
  return DATE.test(value);
}

/** Epoch ms of 00:00 CST of a calendar date. */
export function cstStartOfDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - CST_OFFSET_MS;
}

export interface CstParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

export function cstParts(epochMs: number): CstParts {
  const d = new Date(epochMs + CST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM` of an instant, in China Standard Time. */
export function cstMonth(epochMs: number): string {
  const p = cstParts(epochMs);
  return `${pad(p.year, 4)}-${pad(p.month)}`;
}

/** `YYYY-MM-DD` of an instant, in China Standard Time. */
export function cstDate(epochMs: number): string {
  const p = cstParts(epochMs);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYMMDD` of an instant, in China Standard Time (the date part of a trace code). */
export function cstYymmdd(epochMs: number): string {
  const p = cstParts(epochMs);
  return `${pad(p.year % 100)}${pad(p.month)}${pad(p.day)}`;
}

/** The instant as ISO 8601 in China Standard Time, e.g. `2025-03-10T00:00:00.000+08:00`. */
export function formatCst(epochMs: number): string {
  const d = new Date(epochMs + CST_OFFSET_MS);
  return `${d.toISOString().slice(0, 23)}+08:00`;
}

export interface CheckedTime {
  readonly occurredAtMs: number;
  readonly recordedAtMs: number;
  /** occurredAt is more than `lateAfterMs` before recordedAt: accepted, flagged. */
  readonly late: boolean;
}

/** Validates a command's times: refuses an occurredAt in the future (beyond the skew), flags a backdated one. */
export function checkCommandTime(
  command: { readonly occurredAt: string; readonly recordedAt: string },
  policy: Partial<TimePolicy> = {},
): CheckedTime {
  const { maxClockSkewMs, lateAfterMs } = { ...DEFAULT_TIME_POLICY, ...policy };
  const recordedAtMs = parseInstant(command.recordedAt, 'recordedAt');
  const occurredAtMs = parseInstant(command.occurredAt, 'occurredAt');
  if (occurredAtMs - recordedAtMs > maxClockSkewMs)
    throw new OccurredInFuture(command.occurredAt, command.recordedAt, maxClockSkewMs);
  return { occurredAtMs, recordedAtMs, late: recordedAtMs - occurredAtMs > lateAfterMs };
}

/** Refuses a step dated before the step it follows. */
export function requireNotBefore(
  occurredAt: string,
  occurredAtMs: number,
  notBefore: string,
  subject: string,
): void {
  if (occurredAtMs < parseInstant(notBefore, 'notBefore'))
    throw new OccurredOutOfOrder(occurredAt, notBefore, subject);
}
