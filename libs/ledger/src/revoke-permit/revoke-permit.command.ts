import { decideRevokePermit, parseUscc } from '@wasteflow/domain';
import { partyAggregate } from '../streams/stream-models';
import { regulatorUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';

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
export const revokePermit = regulatorUseCase<RevokePermitInput, RevokePermitResult>(
  'revoke permits',
  async (regulator, input, context, unitOfWork) => {
    const uscc = parseUscc(input.uscc, 'uscc');
    const revoked = await decideOnStream(unitOfWork, partyAggregate(uscc), 'PermitRevoked', (party) =>
      decideRevokePermit(
        {
          uscc,
          permitNo: input.permitNo,
          reason: input.reason,
          regulator,
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
);
