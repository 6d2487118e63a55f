import { batchStream, decideApproveMassCorrection } from '@wasteflow/domain';
import { kg, writeOf } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';
import { correctionDeciderOf, loadForDecision } from './correction-decider';

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
  type: 'approve-mass-correction',
  action: 'approve mass corrections',
  allowed: ['party', 'regulator'],
  async plan(input, context, unitOfWork) {
    const decider = correctionDeciderOf(context.principal);
    const { traceCode, batch, custodianDistrictCode } = await loadForDecision(
      unitOfWork,
      input.traceCode,
      decider,
    );
    const note = optional(input.note);
    const events = decideApproveMassCorrection(
      {
        traceCode,
        requestId: input.requestId,
        decider,
        ...(custodianDistrictCode === undefined ? {} : { custodianDistrictCode }),
        ...(note === undefined ? {} : { note }),
        occurredAt: context.recordedAt,
        recordedAt: context.recordedAt,
      },
      batch,
      context.options,
    );
    const corrected = events.find((e) => e.type === 'MassCorrected');
    if (corrected?.type !== 'MassCorrected') throw new Error('unexpected decision');
    return {
      writes: [writeOf(batchStream(traceCode), events)],
      result: {
        traceCode,
        requestId: input.requestId,
        status: 'approved',
        deltaKg: kg(corrected.data.deltaGrams),
        massKgAfter: kg(corrected.data.massGramsAfter),
      },
    };
  },
};
