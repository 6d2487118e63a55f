import type { JsonObject } from '@wasteflow/event-store';

/** Stored names of the access events. They live in `token-<id>` streams, outside the waste domain. */
export const TOKEN_ISSUED = 'TokenIssued';
export const TOKEN_REVOKED = 'TokenRevoked';

export type TokenScope =
  | { readonly kind: 'admin' }
  | { readonly kind: 'auditor' }
  | { readonly kind: 'party'; readonly partyUscc: string }
  | {
      readonly kind: 'regulator';
      readonly districts: readonly string[];
      readonly categories: readonly string[];
    };

/**
 * Schema 2 adds `expiresAt` (every token expires, DESIGN §10). A schema 1 event has none: its token expires
 * one year after the event was recorded (`expiryOf`), the default a schema 2 event states itself.
 */
export const TOKEN_ISSUED_SCHEMA = 2;

export interface TokenIssuedData extends JsonObject {
  tokenId: string;
  secretHash: string;
  scope: JsonObject;
  label: string | null;
  /** ISO 8601 (UTC); schema 2 on (absent in schema 1). */
  expiresAt: string | null;
}

/** Every token's lifetime unless the admin asks for a shorter one (DESIGN §4: default one year). */
export const TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** When a token stops authenticating: its own expiresAt, else (schema 1) one year after it was recorded. */
export function expiryOf(data: TokenIssuedData, recordedAt: string): number {
  if (typeof data.expiresAt === 'string') return Date.parse(data.expiresAt);
  return Date.parse(recordedAt) + TOKEN_LIFETIME_MS;
}

export interface TokenRevokedData extends JsonObject {
  tokenId: string;
  reason: string;
  /** ISO 8601 (UTC), when it was revoked. */
  revokedAt: string;
  /** Who revoked it (`admin:<tokenId>`, `party:<USCC>`). */
  revokedBy: string;
}
