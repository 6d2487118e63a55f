/** Values as the query services read them from either driver, and exact gram → kg formatting. */

/** An integer from either driver (bigint from better-sqlite3 with safe integers, string from pg). */
export function bigintOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Not an exact integer from the database: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new Error(`Not an integer from the database: ${String(value)}`);
}

export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Grams (as the read models keep them) as a kg number with at most 3 decimals: the decimal string `q.rrr`
 * parsed, the double closest to the exact value, which `JSON.stringify` prints back as exactly those
 * decimals up to 15 significant digits (below 10^12 kg, a billion tonnes — beyond any one answer here).
 */
export function gramsToKg(grams: bigint | number): number {
  const g = typeof grams === 'bigint' ? grams : BigInt(grams);
  const negative = g < 0n;
  const abs = negative ? -g : g;
  return Number(`${negative ? '-' : ''}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`);
}

/** A gram total as a JS number, refusing one beyond 2^53 (about 9 billion tonnes) rather than rounding it. */
export function safeGrams(grams: bigint): number {
  if (grams > BigInt(Number.MAX_SAFE_INTEGER) || grams < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`${grams} g exceeds the exact range of a number`);
  return Number(grams);
}
