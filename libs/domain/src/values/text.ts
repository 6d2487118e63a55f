import { InvalidText } from './value.errors';

/**
 * Free text (names, descriptions, reasons, labels, notes, numbers given as text): DESIGN §2 "Text is
 * text". One rule for every free-text field of every command, at the edge and in the domain alike, so a
 * stored event is always valid UTF-8 that every store (PostgreSQL refuses U+0000 in text and jsonb) and
 * the RFC 8785 canonical form accept:
 *
 *  - refused (400 `invalid-text`): U+0000, every other C0/C1 control character and DEL except tab and
 *    newline, and unpaired UTF-16 surrogates (they have no UTF-8 form);
 *  - normalised to NFC, then trimmed, so the same words typed on two systems are the same bytes;
 *  - bounded: at most `max` characters (code points, after normalisation), and non-empty when required.
 */

/** The bounds of the free-text fields, one place for the DTOs and the domain. */
export const TEXT_BOUNDS = {
  /** Party names. */
  name: 200,
  /** People's names (drivers, escorts, contacts: personal data, kept outside the log). */
  personName: 100,
  /** Reasons, descriptions, notes, findings. */
  text: 500,
  /** Token labels. */
  label: 100,
  /** Identifiers given as text (permit numbers, facility codes, approver ids). */
  code: 64,
} as const;

/** Control characters (Unicode Cc) other than tab and newline. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this rule
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
/** In a `u` regex a well-formed pair is one code point, so this finds only unpaired surrogates. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface TextRule {
  /** Maximum length in code points; default TEXT_BOUNDS.text. */
  readonly max?: number;
}

/** Why `value` is not acceptable free text, or undefined when it is (the string as given). */
export function textProblem(value: string, max: number = TEXT_BOUNDS.text): string | undefined {
  const control = FORBIDDEN_CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0) ?? 0;
    return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} at ${control.index} (only tab and newline are allowed)`;
  }
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) return `unpaired UTF-16 surrogate at ${surrogate.index} (not text: it has no UTF-8 form)`;
  const length = codePoints(value.normalize('NFC').trim());
  if (length > max) return `at most ${max} characters (${length} given)`;
  return undefined;
}

/** A required free text: a string, acceptable (see above), non-empty after trimming; NFC and trimmed out. */
export function parseText(value: unknown, field: string, rule: TextRule = {}): string {
  const max = rule.max ?? TEXT_BOUNDS.text;
  if (typeof value !== 'string') throw new InvalidText(field, 'a text (JSON string) is required');
  const problem = textProblem(value, max);
  if (problem) throw new InvalidText(field, problem);
  const text = value.normalize('NFC').trim();
  if (text === '') throw new InvalidText(field, 'a non-empty text is required');
  return text;
}

/** An optional free text: undefined, null and '' are absent; anything else as `parseText`. */
export function parseOptionalText(value: unknown, field: string, rule: TextRule = {}): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return parseText(value, field, rule);
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
