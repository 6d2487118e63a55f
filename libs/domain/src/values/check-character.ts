import { CROCKFORD_ALPHABET, crockfordValue } from './crockford';

/**
 * Check characters of the ISO/IEC 7064 family over Crockford's base32 values (0..31).
 *
 * The trace code uses the pure system MOD 37-2: the modulus 37 is prime and larger than every symbol
 * value, and the radix 2 satisfies 2 ≢ 0 and 2 − 1 ≢ 0 (mod 37), so EVERY single-symbol substitution
 * ((a − b)·2^i ≢ 0) and EVERY adjacent transposition ((a − b)·2^i·(2 − 1) ≢ 0) changes the weighted sum
 * mod 37 — also when the check character itself is involved. The price is a check value in 0..36: the
 * five values past 31 use Crockford's own check symbols `*`, `~`, `$`, `=`, `U` (all legal in a URL path).
 *
 * The hybrid system MOD 33,32 would stay inside the 32 symbols, but 33 = 3·11 is not prime and the
 * doubling step mod 33 makes it blind to some adjacent transpositions (e.g. state 1, "F" "G" ↔ "G" "F");
 * `check-character.unit.spec.ts` shows both facts exhaustively, which is why MOD 37-2 was chosen.
 */
export const MOD37_2_CHECK_SYMBOLS = `${CROCKFORD_ALPHABET}*~$=U`;

/** ISO/IEC 7064 pure system, recursive form: P ← (P + a)·r mod M; check c makes (P + c) mod M = 1. */
export function mod37_2CheckValue(values: readonly number[]): number {
  let p = 0;
  for (const a of values) p = ((p + a) * 2) % 37;
  return (38 - p) % 37;
}

export function mod37_2CheckSymbol(body: string): string {
  return MOD37_2_CHECK_SYMBOLS[mod37_2CheckValue(symbolValues(body))];
}

/** True when `body` followed by `check` satisfies MOD 37-2. */
export function mod37_2IsValid(body: string, check: string): boolean {
  const c = MOD37_2_CHECK_SYMBOLS.indexOf(check);
  if (check.length !== 1 || c < 0) return false;
  const values = symbolValues(body);
  if (values.some((v) => v < 0)) return false;
  return mod37_2CheckValue(values) === c;
}

/**
 * ISO/IEC 7064 hybrid system MOD (M+1, M) with M = 32, kept only to document why it was NOT chosen.
 * Returns the check value 0..31.
 */
export function hybrid33_32CheckValue(values: readonly number[]): number {
  let p = 32;
  for (const a of values) p = hybrid33_32Step(p, a);
  return (33 - p) % 32;
}

/** One step of the hybrid system: S = (P + a) mod 32 (0 read as 32), P ← 2·S mod 33. */
export function hybrid33_32Step(p: number, a: number): number {
  let s = (p + a) % 32;
  if (s === 0) s = 32;
  return (s * 2) % 33;
}

function symbolValues(text: string): number[] {
  return [...text].map(crockfordValue);
}
