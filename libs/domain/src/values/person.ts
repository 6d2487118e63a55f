import { InvalidValue } from '../errors';
import { parseText, TEXT_BOUNDS } from './text';

/**
 * People in the ledger (ADR 14, DESIGN §10): an event names a person by a reference only, `p-` and 32
 * lowercase hex digits (128 bits). The name and phone live in an erasable record outside the log and never
 * reach the domain; the domain checks the reference's form and records it.
 */
const PERSON_ID = /^p-[0-9a-f]{32}$/;

export function parsePersonId(value: unknown, field: string): string {
  if (typeof value === 'string' && PERSON_ID.test(value)) return value;
  throw new InvalidValue(
    field,
    typeof value === 'string' ? value.slice(0, 40) : null,
    'a person reference: p- and 32 lowercase hex digits',
  );
}

export function optionalPersonId(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : parsePersonId(value, field);
}

/** A phone number as written: digits, +, -, spaces, parentheses; 3 to 32 characters. */
export const PHONE_PATTERN = /^[0-9+\-() ]{3,32}$/;
export const PHONE_RULE = 'a phone number: digits, +, -, spaces, parentheses, 3 to 32 characters';

/** A phone number (a unit's emergency line or a person's), trimmed. */
export function parsePhone(value: unknown, field: string): string {
  if (typeof value === 'string' && PHONE_PATTERN.test(value.trim())) return value.trim();
  throw new InvalidValue(field, typeof value === 'string' ? value.slice(0, 40) : null, PHONE_RULE);
}

export function optionalPhone(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : parsePhone(value, field);
}

/** What a person's record holds (outside the log): checked by the one text rule and the phone rule. */
export interface PersonDetails {
  readonly name: string;
  readonly phone?: string;
}

export function parsePersonDetails(value: unknown, field: string): PersonDetails {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidValue(field, null, 'a person: { name, phone? }');
  const { name, phone } = value as { name?: unknown; phone?: unknown };
  const parsed = parseText(name, `${field}.name`, { max: TEXT_BOUNDS.personName });
  const p = phone === undefined || phone === null ? undefined : parsePhone(phone, `${field}.phone`);
  return p === undefined ? { name: parsed } : { name: parsed, phone: p };
}
