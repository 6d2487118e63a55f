import { decideRevokePermit, parseUscc } from '@wasteflow/domain';
import { partyAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';
import { regulatorScopeOf } from '../use-case/regulator';
import type { UseCase } from '../use-case/use-case';

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
  action: 'revoke permits',
  allowed: ['regulator'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const revoked = await decideOnStream(unitOfWork, partyAggregate(uscc), 'PermitRevoked', (party) =>
      decideRevokePermit(
        {
          uscc,
          permitNo: input.permitNo,
          reason: input.reason,
          regulator: regulatorScopeOf(context.principal),
          ...timesOf(context, input.occurredAt),
        },
        party,
        context.options,
      ),
    );
    const { data } = revoked.event;
    return {
      writes: [revoked.write],
      result: { uscc, permitNo: data.permitNo, revokedAt: data.occurredAt },
    };
  },
};
