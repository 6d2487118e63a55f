import { parseUscc, partyStream } from '@wasteflow/domain';
import { decideIssueToken, parseTokenScope, type IssueTokenRequest } from '../access/issue-token.decide';
import { mintToken, tokenStream } from '../access/token';
import type { TokenScope } from '../access/token-events';
import { partyModel } from '../streams/stream-models';
import { optional, type UseCase } from '../use-case/use-case';

export interface IssueTokenInput {
  readonly kind: string;
  readonly partyUscc?: string | null;
  readonly districts?: readonly string[] | null;
  readonly categories?: readonly string[] | null;
  readonly label?: string | null;
  /** ISO 8601 with an offset; default (and at most) one year after issue. */
  readonly expiresAt?: string | null;
}

export type IssueTokenResult = {
  tokenId: string;
  kind: string;
  partyUscc?: string;
  districts?: string[];
  categories?: string[];
  label: string | null;
  expiresAt: string;
};

/**
 * POST /v1/tokens (admin) and `wasteflow tokens issue`: TokenIssued in `token-<id>`. The token
 * (`wf_<id>_<secret>`) is in the first answer only: the log and the idempotency record keep the SHA-256
 * of the secret, never the secret, so a replay of the request answers without it.
 */
export const issueToken: UseCase<IssueTokenInput, IssueTokenResult> = {
  action: 'issue tokens',
  allowed: ['admin'],
  async plan(input, context, unitOfWork) {
    const request: IssueTokenRequest = {
      kind: input.kind,
      partyUscc: optional(input.partyUscc),
      districts: optional(input.districts),
      categories: optional(input.categories),
      label: optional(input.label),
      expiresAt: optional(input.expiresAt),
    };
    const scope: TokenScope = parseTokenScope(request);
    const party =
      scope.kind === 'party'
        ? (await unitOfWork.load(partyStream(parseUscc(scope.partyUscc, 'partyUscc')), partyModel)).state
        : undefined;
    const minted = mintToken();
    const event = decideIssueToken(request, party, minted, context.recordedAt);
    const stream = tokenStream(minted.tokenId);
    unitOfWork.expectNew(stream);
    return {
      writes: [{ stream, events: [event] }],
      result: {
        tokenId: minted.tokenId,
        kind: scope.kind,
        ...(scope.kind === 'party' ? { partyUscc: scope.partyUscc } : {}),
        ...(scope.kind === 'regulator'
          ? { districts: [...scope.districts], categories: [...scope.categories] }
          : {}),
        label: event.data.label,
        expiresAt: event.data.expiresAt as string,
      },
      secret: { token: minted.token },
    };
  },
};
