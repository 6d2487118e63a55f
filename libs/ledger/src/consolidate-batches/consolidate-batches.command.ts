import {
  batchStream,
  decideConsolidateBatches,
  kgToGrams,
  normaliseTraceCode,
  partyStream,
  type BatchState,
  type ConsolidateBatchesCommand as DomainConsolidate,
} from '@wasteflow/domain';
import { batchModel, partyModel } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { batchWrites, kg } from '../use-case/plan-helpers';

export interface ConsolidateBatchesInput {
  readonly lines: readonly { readonly traceCode: string; readonly massKg: number }[];
  readonly occurredAt: string;
}

export type ConsolidateBatchesResult = {
  traceCode: string;
  inputs: { traceCode: string; massKg: number }[];
  massKg: number;
};

/**
 * POST /v1/consolidations (小箱进大箱, the custodian of every input): BatchesConsolidated creating the new
 * batch (a root code of the consolidator's district; its random part derived from the Idempotency-Key)
 * and BatchConsolidatedInto on each input.
 */
export const consolidateBatches = partyUseCase<ConsolidateBatchesInput, ConsolidateBatchesResult>(
  'consolidate batches',
  async (actorUscc, input, context, unitOfWork) => {
    const consolidator = await unitOfWork.load(partyStream(actorUscc), partyModel);
    const inputs = new Map<string, BatchState>();
    const lines = input.lines.map((line, i) => ({
      traceCode: normaliseTraceCode(line.traceCode, `lines[${i}].traceCode`),
      massGrams: kgToGrams(line.massKg, `lines[${i}].massKg`),
    }));
    for (const line of lines) {
      if (!inputs.has(line.traceCode))
        inputs.set(line.traceCode, (await unitOfWork.load(batchStream(line.traceCode), batchModel)).state);
    }
    const command: DomainConsolidate = {
      actorUscc,
      randomPart: context.randomPart('consolidate-batches'),
      lines,
      occurredAt: input.occurredAt,
      recordedAt: context.recordedAt,
    };
    let streams = decideConsolidateBatches(
      command,
      { consolidator: consolidator.state, inputs },
      context.options,
    );
    const target = await unitOfWork.loadCreated(batchStream(streams[0].traceCode), batchModel);
    if (target.state.status !== 'none') {
      // the domain refuses an existing code (BatchAlreadyExists)
      streams = decideConsolidateBatches(
        command,
        { consolidator: consolidator.state, inputs, target: target.state },
        context.options,
      );
    }
    const [created] = streams[0].events;
    if (created.type !== 'BatchesConsolidated') throw new Error('unexpected decision');
    return {
      writes: batchWrites(unitOfWork, streams),
      result: {
        traceCode: created.data.traceCode,
        inputs: created.data.inputs.map((i) => ({ traceCode: i.traceCode, massKg: kg(i.massGrams) })),
        massKg: kg(created.data.massGrams),
      },
    };
  },
);
