import { requireText } from '@wasteflow/domain';
import type { RecordedEvent } from '@wasteflow/event-store';
import { actorOf } from '../access/principal';
import { tokenStream } from '../access/token';
import {
  TOKEN_ISSUED,
  TOKEN_REVOKED,
  type TokenIssuedData,
  type TokenRevokedData,
  type TokenScope,
} from '../access/token-events';
import { TokenAlreadyRevoked, TokenNotFound } from '../access/token-errors';
import type { StreamModel } from '../writing/stream-model';
import type { UseCase } from '../use-case/use-case';

export interface RevokeTokenInput {
  /** Path parameter. */
  readonly tokenId: string;
  readonly reason: string;
}

export type RevokeTokenResult = { tokenId: string; revokedAt: string };

type TokenState =
  { readonly status: 'none' } | { readonly status: 'issued' | 'revoked'; readonly scope: TokenScope };

type TokenEvent = { readonly type: string; readonly data: TokenIssuedData | TokenRevokedData };

/** A token stream as the revocation needs it: issued (with its scope) or revoked. */
const tokenModel: StreamModel<TokenState, TokenEvent> = {
  initial: { status: 'none' },
  decode: (recorded: RecordedEvent) => ({
    type: recorded.type,
    data: recorded.data as TokenIssuedData | TokenRevokedData,
  }),
  evolve(state, event) {
    if (event.type === TOKEN_ISSUED)
      return { status: 'issued', scope: (event.data as TokenIssuedData).scope as unknown as TokenScope };
    if (event.type === TOKEN_REVOKED && state.status !== 'none') return { ...state, status: 'revoked' };
    return state;
  },
};

const TOKEN_ID = /^[a-z0-9]{20}$/;

/**
 * POST /v1/tokens/{tokenId}/revoke and `wasteflow tokens revoke`: TokenRevoked in `token-<id>` (DESIGN §4,
 * §10). An admin revokes any token; a party its own party's tokens. To a party, another party's token and
 * a token that does not exist are one answer (404 token-not-found): a refusal reveals nothing. Every
 * instance stops accepting the token within the token cache's lifetime (30 s), this one at once.
 */
export const revokeToken: UseCase<RevokeTokenInput, RevokeTokenResult> = {
  action: 'revoke tokens',
  allowed: ['admin', 'party'],
  async plan(input, context, unitOfWork) {
    const tokenId = String(input.tokenId ?? '');
    if (!TOKEN_ID.test(tokenId)) throw new TokenNotFound(tokenId.slice(0, 40));
    const reason = requireText(input.reason, 'reason');
    const stream = tokenStream(tokenId);
    const { state } = await unitOfWork.load(stream, tokenModel);
    const principal = context.principal;
    const own =
      state.status !== 'none' &&
      (principal.kind === 'admin' ||
        (principal.kind === 'party' &&
          state.scope.kind === 'party' &&
          state.scope.partyUscc === principal.partyUscc));
    if (state.status === 'none' || !own) throw new TokenNotFound(tokenId);
    if (state.status === 'revoked') throw new TokenAlreadyRevoked(tokenId);
    const data: TokenRevokedData = {
      tokenId,
      reason,
      revokedAt: context.recordedAt,
      revokedBy: actorOf(principal),
    };
    return {
      writes: [{ stream, events: [{ type: TOKEN_REVOKED, schemaVersion: 1, data }] }],
      result: { tokenId, revokedAt: context.recordedAt },
    };
  },
};
