import { decideApproveMassCorrection } from '@wasteflow/domain';
import { kg } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';
import { decideOnCorrectionRequest } from './correction-decider';

export interface ApproveMassCorrectionInput {
  /** Path parameters. */
  readonly traceCode: string;
  readonly requestId: string;
  readonly note?: string | null;
}

export type ApproveMassCorrectionResult = {
  traceCode: string;
  requestId: string;
  status: 'approved';
  deltaKg: number;
  massKgAfter: number;
};

/**
 * POST /v1/batches/{code}/correction-requests/{requestId}/approve (the counterparty of the batch's last
 * transfer, or a regulator in scope; never the requester): MassCorrectionApproved with the MassCorrected
 * (v2) that applies it (ADR 0018).
 */
export const approveMassCorrection: UseCase<ApproveMassCorrectionInput, ApproveMassCorrectionResult> = {
  action: 'approve mass corrections',
  allowed: ['party', 'regulator'],
  async plan(input, context, unitOfWork) {
    const note = optional(input.note);
    const corrected = await decideOnCorrectionRequest(
      unitOfWork,
      context,
      input,
      'MassCorrected',
      (request, batch) =>
        decideApproveMassCorrection(
          { ...request, ...(note === undefined ? {} : { note }) },
          batch,
          context.options,
        ),
    );
    return {
      writes: [corrected.write],
      result: {
        traceCode: corrected.traceCode,
        requestId: input.requestId,
        status: 'approved',
        deltaKg: kg(corrected.event.data.deltaGrams),
        massKgAfter: kg(corrected.event.data.massGramsAfter),
      },
    };
  },
};
