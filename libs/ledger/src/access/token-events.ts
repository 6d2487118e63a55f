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

export interface TokenIssuedData extends JsonObject {
  tokenId: string;
  secretHash: string;
  scope: JsonObject;
  label: string | null;
}

export interface TokenRevokedData extends JsonObject {
  tokenId: string;
  reason: string;
}
