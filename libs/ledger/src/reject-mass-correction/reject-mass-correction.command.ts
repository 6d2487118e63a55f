import { decideRejectMassCorrection } from '@wasteflow/domain';
import { decideOnCorrectionRequest } from '../approve-mass-correction/correction-decider';
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
  action: 'reject mass corrections',
  allowed: ['party', 'regulator'],
  async plan(input, context, unitOfWork) {
    const rejected = await decideOnCorrectionRequest(
      unitOfWork,
      context,
      input,
      'MassCorrectionRejected',
      (request, batch) =>
        decideRejectMassCorrection({ ...request, reason: input.reason }, batch, context.options),
    );
    return {
      writes: [rejected.write],
      result: { traceCode: rejected.traceCode, requestId: input.requestId, status: 'rejected' },
    };
  },
};
