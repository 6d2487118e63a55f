import { InvalidUscc } from '../errors';
import { accepts } from '../util';

/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters over
 * 0-9 A-H J-N P-R T U W-Y (31 symbols, no I O Z S V):
 * registration authority (1) + organisation type (1) + administrative division code (6 digits) +
 * organisation code (9, GB 11714) + check character (1).
 * Check: Σ value(c_i)·w_i over the first 17, w = 3^(i) mod 31; check value = 31 − (Σ mod 31), 31 → 0.
 * Input is trimmed and upper-cased; the canonical form is upper case.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new InvalidUscc('uscc', first17, `illegal character ${first17[i]}`);
    sum += v * WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Validates a USCC and returns its canonical (upper-case) form; refuses a wrong check character. */
export function parseUscc(value: unknown, field = 'uscc'): string {
  if (typeof value !== 'string') throw new InvalidUscc(field, null, 'a string of 18 characters is required');
  const code = value.trim().toUpperCase();
  if (code.length !== 18) throw new InvalidUscc(field, value, 'a USCC has 18 characters');
  for (const ch of code)
    if (!USCC_ALPHABET.includes(ch)) throw new InvalidUscc(field, value, `illegal character ${ch}`);
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    throw new InvalidUscc(field, value, 'characters 3–8 are the administrative division code');
  if (usccCheckCharacter(code.slice(0, 17)) !== code[17])
    throw new InvalidUscc(field, value, 'wrong check character');
  return code;
}

export const isValidUscc: (value: string) => boolean = accepts(parseUscc);

/** Builds a valid USCC from its first 17 characters (for fixtures and tools). */
export function composeUscc(first17: string): string {
  const body = first17.toUpperCase();
  if (body.length !== 17)
    throw new InvalidUscc('uscc', first17, '17 characters are needed before the check character');
  return body + usccCheckCharacter(body);
}
