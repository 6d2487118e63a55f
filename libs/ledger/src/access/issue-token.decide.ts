import {
  InvalidValue,
  optionalText,
  parseCategory,
  parseInstant,
  parseRegion,
  parseUscc,
  requireRegistered,
  type PartyState,
} from '@wasteflow/domain';
import type { JsonObject } from '@wasteflow/event-store';
import type { PrincipalKind } from './principal';
import {
  TOKEN_ISSUED,
  TOKEN_ISSUED_SCHEMA,
  TOKEN_LIFETIME_MS,
  type TokenIssuedData,
  type TokenScope,
} from './token-events';

const sortedUnique = (values: readonly string[]): string[] =>
  [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export const TOKEN_KINDS: readonly PrincipalKind[] = ['admin', 'auditor', 'party', 'regulator'];

/** What the admin asks for (POST /v1/tokens, `wasteflow tokens issue`). */
export interface IssueTokenRequest {
  readonly kind: string;
  readonly partyUscc?: string;
  readonly districts?: readonly string[];
  readonly categories?: readonly string[];
  readonly label?: string;
  /** ISO 8601 with an offset; default and at most one year after issue. */
  readonly expiresAt?: string;
}

/** The expiry asked for, checked against the time of issue: in the future, at most TOKEN_LIFETIME_MS ahead. */
export function expiryOfRequest(expiresAt: string | undefined, recordedAt: string): string {
  const issued = Date.parse(recordedAt);
  const latest = issued + TOKEN_LIFETIME_MS;
  if (expiresAt === undefined) return new Date(latest).toISOString();
  const at = parseInstant(expiresAt, 'expiresAt');
  if (at <= issued) throw new InvalidValue('expiresAt', expiresAt, 'must be in the future');
  if (at > latest) throw new InvalidValue('expiresAt', expiresAt, 'at most one year after issue');
  return new Date(at).toISOString();
}

/** The scope a request asks for, validated (no I/O): the party's existence is checked by `decideIssueToken`. */
export function parseTokenScope(request: IssueTokenRequest): TokenScope {
  if (!(TOKEN_KINDS as readonly string[]).includes(request.kind)) {
    throw new InvalidValue('kind', request.kind ?? null, `one of ${TOKEN_KINDS.join(', ')}`);
  }
  const kind = request.kind as PrincipalKind;
  const refuse = (field: keyof IssueTokenRequest, value: unknown) => {
    if (value !== undefined && value !== null)
      throw new InvalidValue(field, null, `not allowed for a ${kind} token`);
  };
  if (kind !== 'party') refuse('partyUscc', request.partyUscc);
  if (kind !== 'regulator') {
    refuse('districts', request.districts);
    refuse('categories', request.categories);
  }
  switch (kind) {
    case 'admin':
    case 'auditor':
      return { kind };
    case 'party':
      return { kind, partyUscc: parseUscc(request.partyUscc, 'partyUscc') };
    case 'regulator': {
      const list = (value: unknown, field: string): unknown[] => {
        if (!Array.isArray(value) || value.length === 0)
          throw new InvalidValue(field, null, 'a non-empty list is required for a regulator token');
        return value;
      };
      const districts = sortedUnique(
        list(request.districts, 'districts').map((d, i) => parseRegion(d, `districts[${i}]`)),
      );
      const categories = sortedUnique(
        list(request.categories, 'categories').map((c, i) => parseCategory(c, `categories[${i}]`)),
      );
      return { kind, districts, categories };
    }
  }
}

/**
 * Issues a token: a party token only for a registered party (404 otherwise). The secret is minted by the
 * caller; only its SHA-256 enters the event.
 */
export function decideIssueToken(
  request: IssueTokenRequest,
  party: PartyState | undefined,
  minted: { readonly tokenId: string; readonly secretHash: string },
  recordedAt: string,
): { type: typeof TOKEN_ISSUED; schemaVersion: typeof TOKEN_ISSUED_SCHEMA; data: TokenIssuedData } {
  const scope = parseTokenScope(request);
  if (scope.kind === 'party') requireRegistered(party, scope.partyUscc, 'partyUscc');
  const label = optionalText(request.label, 'label', 100) ?? null;
  return {
    type: TOKEN_ISSUED,
    schemaVersion: TOKEN_ISSUED_SCHEMA,
    data: {
      tokenId: minted.tokenId,
      secretHash: minted.secretHash,
      scope: scope as unknown as JsonObject,
      label,
      expiresAt: expiryOfRequest(request.expiresAt, recordedAt),
    },
  };
}
