import { decideRequestMassCorrection, InvalidMass, kgToGrams, normaliseTraceCode } from '@wasteflow/domain';
import { batchAggregate } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { kg, timesOf } from '../use-case/plan-helpers';

export interface RequestMassCorrectionInput {
  /** Path parameter. */
  readonly traceCode: string;
  /** Signed, non-zero, at most 3 decimals. */
  readonly deltaKg: number;
  readonly reason: string;
  readonly occurredAt: string;
}

export type RequestMassCorrectionResult = {
  traceCode: string;
  requestId: string;
  status: 'pending';
  deltaKg: number;
  heldKg: number;
};

/** Signed kilograms (at most 3 decimals) to signed grams, the magnitude checked by the domain's Mass. */
export function signedGrams(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidMass(field, null, 'a number is required');
  if (value === 0) throw new InvalidMass(field, 0, 'a correction is non-zero');
  return Math.sign(value) * kgToGrams(Math.abs(value), field);
}

/**
 * POST /v1/batches/{code}/correction-requests (the custodian): MassCorrectionRequested — the mass changes
 * only when a party with standing approves it (approve-mass-correction; ADR 0018).
 */
export const requestMassCorrection = partyUseCase<RequestMassCorrectionInput, RequestMassCorrectionResult>(
  'request mass corrections',
  async (actorUscc, input, context, unitOfWork) => {
    const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
    const requested = await decideOnStream(
      unitOfWork,
      batchAggregate(traceCode),
      'MassCorrectionRequested',
      (batch) =>
        decideRequestMassCorrection(
          {
            actorUscc,
            traceCode,
            deltaGrams: signedGrams(input.deltaKg, 'deltaKg'),
            reason: input.reason,
            ...timesOf(context, input.occurredAt),
          },
          batch,
          context.options,
        ),
    );
    const batch = requested.state;
    if (batch.status === 'none') throw new Error('unexpected decision: a request on no batch');
    return {
      writes: [requested.write],
      result: {
        traceCode,
        requestId: requested.event.data.requestId,
        status: 'pending',
        deltaKg: kg(requested.event.data.deltaGrams),
        heldKg: kg(batch.heldGrams),
      },
    };
  },
);
