import type { HwCatalogueEditions } from './catalogue/hw-editions';
import { parseOptionalText, parseText, TEXT_BOUNDS } from './values/text';
import type { TimePolicy } from './values/time';

/**
 * Configuration a decide function may need besides the command and the state: passed by the command side,
 * never read from the environment by the domain.
 */
export interface DecideOptions {
  /** Clock-skew allowance and late threshold; defaults: 5 minutes, 72 hours. */
  readonly time?: Partial<TimePolicy>;
  /**
   * The loaded editions of the hazardous waste catalogue; a code is judged by the edition in force at the
   * command's `occurredAt` (`catalogueInForce`). Without any, codes are checked for form and HW category only.
   */
  readonly catalogues?: HwCatalogueEditions;
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

/**
 * A required free text of at most `max` characters: the one text rule (values/text.ts) — no NUL, control
 * characters or unpaired surrogates, NFC, trimmed, non-empty. Every decide function reads its free text
 * through this or `optionalText`.
 */
export function requireText(value: unknown, field: string, max: number = TEXT_BOUNDS.text): string {
  return parseText(value, field, { max });
}

export function optionalText(
  value: unknown,
  field: string,
  max: number = TEXT_BOUNDS.text,
): string | undefined {
  return parseOptionalText(value, field, { max });
}
