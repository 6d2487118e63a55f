import { decideRevokePermit, parseUscc, partyStream } from '@wasteflow/domain';
import { partyModel } from '../streams/stream-models';
import { writeOf } from '../use-case/plan-helpers';
import { regulatorScopeOf } from '../use-case/regulator';
import { optional, type UseCase } from '../use-case/use-case';

export interface RevokePermitInput {
  /** Path parameters. */
  readonly uscc: string;
  readonly permitNo: string;
  readonly reason: string;
  /** When the revocation takes effect; defaults to the time of recording. */
  readonly occurredAt?: string | null;
}

export type RevokePermitResult = { uscc: string; permitNo: string; revokedAt: string };

/** POST /v1/parties/{uscc}/permits/{permitNo}/revoke (regulator, within its jurisdiction): PermitRevoked. */
export const revokePermit: UseCase<RevokePermitInput, RevokePermitResult> = {
  type: 'revoke-permit',
  action: 'revoke permits',
  allowed: ['regulator'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const party = await unitOfWork.load(partyStream(uscc), partyModel);
    const events = decideRevokePermit(
      {
        uscc,
        permitNo: input.permitNo,
        reason: input.reason,
        regulator: regulatorScopeOf(context.principal),
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      party.state,
      context.options,
    );
    const [revoked] = events;
    if (revoked.type !== 'PermitRevoked') throw new Error('unexpected decision');
    return {
      writes: [writeOf(partyStream(uscc), events)],
      result: { uscc, permitNo: revoked.data.permitNo, revokedAt: revoked.data.occurredAt },
    };
  },
};
