import { decideTreatWaste, kgToGrams, normaliseTraceCode, partyStream } from '@wasteflow/domain';
import { batchAggregate, partyModel } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { kg, timesOf } from '../use-case/plan-helpers';
import { handlerAnswer, handlerOf, type HandlerAnswer, type HandlerInput } from '../people/handler';

/** With the person who handled it (HandlerInput: kept in an erasable record, the event names it by id). */
export interface TreatWasteInput extends HandlerInput {
  /** Path parameter. */
  readonly traceCode: string;
  readonly operation: string;
  readonly massKg: number;
  readonly occurredAt: string;
  /** The custodian's registered facility that treated it (HJ 1259 table 4); optional. */
  readonly facilityCode?: string;
}

export type TreatWasteResult = {
  traceCode: string;
  event: string;
  operation: string;
  mode: string;
  massKg: number;
  remainingKg: number;
  permitNo?: string;
  facilityCode?: string;
} & HandlerAnswer;

/**
 * POST /v1/batches/{code}/treatments (the custodian; hazardous waste under a permit covering code and
 * operation): WasteUtilised (R, C2, C3) or WasteDisposed (D, C1, Y).
 */
export const treatWaste = partyUseCase<TreatWasteInput, TreatWasteResult>(
  'treat waste',
  async (actorUscc, input, context, unitOfWork) => {
    const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
    const { handlerPersonId, people } = handlerOf(input, context);
    const treated = await decideOnStream(
      unitOfWork,
      batchAggregate(traceCode),
      ['WasteUtilised', 'WasteDisposed'],
      async (batch) => {
        // the actor's party (the domain requires the custodian): its roles, permits and facilities; read, not written
        const custodian = (await unitOfWork.load(partyStream(actorUscc), partyModel)).state;
        return decideTreatWaste(
          {
            actorUscc,
            traceCode,
            operation: input.operation,
            massGrams: kgToGrams(input.massKg, 'massKg'),
            ...timesOf(context, input.occurredAt),
            ...(input.facilityCode !== undefined ? { facilityCode: input.facilityCode } : {}),
            ...(handlerPersonId === undefined ? {} : { handlerPersonId }),
          },
          { batch, custodian },
          context.options,
        );
      },
    );
    const { type: event, data: d } = treated.event;
    return {
      writes: [treated.write],
      people,
      result: {
        traceCode,
        event,
        operation: d.operation,
        mode: d.mode,
        massKg: kg(d.massGrams),
        remainingKg: kg(d.remainingGrams),
        ...(d.permitNo ? { permitNo: d.permitNo } : {}),
        ...(d.facilityCode ? { facilityCode: d.facilityCode } : {}),
        ...handlerAnswer(d),
      },
    };
  },
);
