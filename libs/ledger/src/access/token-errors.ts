import { LedgerError } from '../writing/ledger-errors';

/**
 * No token with this id that the caller may revoke: none at all, or another party's (one answer for both,
 * so a refusal tells a party nothing about others' tokens).
 */
export class TokenNotFound extends LedgerError {
  readonly status = 404;
  readonly rule = 'token-not-found';
  constructor(tokenId: string) {
    super(`no token ${tokenId} that this token may revoke`, { field: 'tokenId', tokenId });
  }
}

/** The token is revoked already; a revocation is recorded once. */
export class TokenAlreadyRevoked extends LedgerError {
  readonly status = 409;
  readonly rule = 'token-already-revoked';
  constructor(tokenId: string) {
    super(`token ${tokenId} is already revoked`, { tokenId });
  }
}
