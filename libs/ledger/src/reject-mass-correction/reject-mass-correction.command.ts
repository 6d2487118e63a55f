import { batchStream, decideRejectMassCorrection } from '@wasteflow/domain';
import { correctionDeciderOf, loadForDecision } from '../approve-mass-correction/correction-decider';
import { writeOf } from '../use-case/plan-helpers';
import type { UseCase } from '../use-case/use-case';

export interface RejectMassCorrectionInput {
  /** Path parameters. */
  readonly traceCode: string;
  readonly requestId: string;
  readonly reason: string;
}

export type RejectMassCorrectionResult = { traceCode: string; requestId: string; status: 'rejected' };

/**
 * POST /v1/batches/{code}/correction-requests/{requestId}/reject (who may approve may reject):
 * MassCorrectionRejected — the mass stays as it was (ADR 0018).
 */
export const rejectMassCorrection: UseCase<RejectMassCorrectionInput, RejectMassCorrectionResult> = {
  type: 'reject-mass-correction',
  action: 'reject mass corrections',
  allowed: ['party', 'regulator'],
  async plan(input, context, unitOfWork) {
    const decider = correctionDeciderOf(context.principal);
    const { traceCode, batch, custodianDistrictCode } = await loadForDecision(
      unitOfWork,
      input.traceCode,
      decider,
    );
    const events = decideRejectMassCorrection(
      {
        traceCode,
        requestId: input.requestId,
        decider,
        ...(custodianDistrictCode === undefined ? {} : { custodianDistrictCode }),
        reason: input.reason,
        occurredAt: context.recordedAt,
        recordedAt: context.recordedAt,
      },
      batch,
      context.options,
    );
    return {
      writes: [writeOf(batchStream(traceCode), events)],
      result: { traceCode, requestId: input.requestId, status: 'rejected' },
    };
  },
};
