import { CATEGORY_NAMES, SUBTYPE_NAMES } from '@wasteflow/domain';
import { MOVEMENT_NAMES } from '../documents-ledger-book/ledger-book.columns';

/**
 * How the import reads one cell of a 台账 sheet (xlsx or CSV): text, instants written as the export writes
 * them (CST to the second) and masses (tonnes shown, exact grams in the hidden column).
 */
export type Cell = string | number | Date | null;

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value).trim();
}

/** `2025-03-03 09:00[:00]` (CST, as the export writes it), an ISO instant with an offset, or a date cell. */
export function instantOf(value: Cell): string | undefined {
  if (value instanceof Date) {
    // a spreadsheet's date cell has no zone: its wall time is the CST time the form was written in
    const wall = value.toISOString().slice(0, 19);
    return `${wall}+08:00`;
  }
  const text = cellText(value);
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(text);
  const instant = local
    ? `${local[1]}T${local[2]}${local[3] ?? ':00'}+08:00`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
      ? text
      : undefined;
  return instant !== undefined && onTheCalendar(instant) ? instant : undefined;
}

/** The date and the time of day exist (2025-13-45 25:00 has the shape of a time and is none). */
function onTheCalendar(instant: string): boolean {
  const [, y, mo, d, h, mi, sec] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):?(\d{2})?/.exec(instant) ?? [];
  if (y === undefined) return false;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec ?? 0) < 60 &&
    !Number.isNaN(Date.parse(instant))
  );
}

/** A mass cell pair that is no mass: the column and the rule it breaks. */
export interface MassProblem {
  readonly column: 'grams' | 'tonnes';
  readonly rule: string;
  readonly message: string;
}

/**
 * Exact grams when the hidden column has them (they must agree with the tonnes shown, to the kilogram),
 * else the tonnes (at most 6 decimals: the gram).
 */
export function gramsOf(
  gramsText: string,
  tonnesText: string,
  headers: { grams: string; tonnes: string },
): bigint | MassProblem {
  let grams: bigint | undefined;
  if (gramsText !== '') {
    if (!/^\d{1,15}$/.test(gramsText) || /^0+$/.test(gramsText))
      return {
        column: 'grams',
        rule: 'isGrams',
        message: `${headers.grams} must be a positive whole number of grams`,
      };
    grams = BigInt(gramsText);
  }
  if (tonnesText !== '') {
    const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(tonnesText);
    if (!m)
      return {
        column: 'tonnes',
        rule: 'isTonnes',
        message: `${headers.tonnes} must be tonnes with at most 6 decimals`,
      };
    const fromTonnes = BigInt(m[1]) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
    if (grams === undefined) grams = fromTonnes;
    else if ((grams + 500n) / 1000n !== (fromTonnes + 500n) / 1000n)
      return {
        column: 'tonnes',
        rule: 'massMismatch',
        message: `${headers.tonnes} ${tonnesText} is not ${headers.grams} ${gramsText} rounded to the kilogram`,
      };
  }
  if (grams === undefined || grams === 0n)
    return { column: 'tonnes', rule: 'required', message: `${headers.tonnes} is empty` };
  return grams;
}

/** Exact grams as the kilograms of a command body (three decimals: exact). */
export function kgOf(grams: bigint): number {
  return Number(`${grams / 1000n}.${(grams % 1000n).toString().padStart(3, '0')}`);
}

function byNameOrKey(names: Readonly<Record<string, string>>): Map<string, string> {
  return new Map<string, string>(
    Object.entries(names).flatMap(([key, name]) => [
      [name, key],
      [key, key],
    ]),
  );
}

export const CATEGORY_BY_NAME = byNameOrKey(CATEGORY_NAMES);
export const SUBTYPE_BY_NAME = byNameOrKey(SUBTYPE_NAMES);
/** 来源 / 去向 of tables 2 and 3, back to the ledger book's movement. */
export const MOVEMENT_BY_NAME = byNameOrKey(MOVEMENT_NAMES);

/** An event id as the export writes it (a UUID); anything else in the column is not looked up. */
export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
