/**
 * Crockford's base32 (https://www.crockford.com/base32.html): 0-9 and A-Z without I, L, O, U.
 * Input is case-insensitive; I and L read as 1, O reads as 0.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The value (0..31) of a canonical Crockford symbol, or -1. */
export function crockfordValue(symbol: string): number {
  return symbol.length === 1 ? CROCKFORD_ALPHABET.indexOf(symbol) : -1;
}

/** Upper-cases and maps the look-alikes (I, L → 1; O → 0). Other characters are left for the caller to refuse. */
export function normaliseCrockford(input: string): string {
  return input.toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
}

export function isCrockford(text: string): boolean {
  for (const ch of text) if (crockfordValue(ch) < 0) return false;
  return true;
}

/** Encodes a non-negative integer in `width` base32 symbols (most significant first). */
export function encodeCrockford(value: number, width: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = CROCKFORD_ALPHABET[v % 32] + out;
    v = Math.floor(v / 32);
  }
  if (v !== 0) throw new RangeError(`${value} does not fit in ${width} base32 symbols`);
  return out;
}

export function decodeCrockford(text: string): number {
  let v = 0;
  for (const ch of text) {
    const d = crockfordValue(ch);
    if (d < 0) throw new RangeError(`not a Crockford symbol: ${ch}`);
    v = v * 32 + d;
  }
  return v;
}
