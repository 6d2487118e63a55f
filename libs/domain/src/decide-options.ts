import type { HwCatalogue } from './catalogue/hw-catalogue';
import { InvalidValue } from './errors';
import type { TimePolicy } from './values/time';

/**
 * Configuration a decide function may need besides the command and the state: passed by the command side,
 * never read from the environment by the domain.
 */
export interface DecideOptions {
  /** Clock-skew allowance and late threshold; defaults: 5 minutes, 72 hours. */
  readonly time?: Partial<TimePolicy>;
  /** The loaded hazardous waste catalogue; without one, codes are checked for their form and HW category only. */
  readonly catalogue?: HwCatalogue;
  /** Relative tolerance of |shipped − received| before a receipt line is a discrepancy; default 0.05. */
  readonly discrepancyTolerance?: number;
}

/** Base of every command: business time from the client, server time of recording. */
export interface CommandTime {
  /** ISO 8601 with offset, from the client. */
  readonly occurredAt: string;
  /** ISO 8601 with offset (normally UTC `Z`), the server's clock when the command was received. */
  readonly recordedAt: string;
}

/** A command acted by a party (the token's party). */
export interface PartyCommand extends CommandTime {
  readonly actorUscc: string;
}

/** A required, trimmed, non-empty text of at most `max` characters. */
export function requireText(value: unknown, field: string, max = 500): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidValue(field, null, 'a non-empty text is required');
  const text = value.trim();
  if (text.length > max) throw new InvalidValue(field, text.slice(0, 40), `at most ${max} characters`);
  return text;
}

export function optionalText(value: unknown, field: string, max = 500): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return requireText(value, field, max);
}
