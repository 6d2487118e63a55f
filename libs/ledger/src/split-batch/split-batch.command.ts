import {
  batchStream,
  decideSplitBatch,
  kgToGrams,
  normaliseTraceCode,
  type BatchState,
  type SplitBatchCommand as DomainSplit,
} from '@wasteflow/domain';
import { batchModel } from '../streams/stream-models';
import { partyUseCase } from '../use-case/actor-use-cases';
import { batchWrites, kg } from '../use-case/plan-helpers';

export interface SplitBatchInput {
  /** The parent (path parameter). */
  readonly traceCode: string;
  readonly partsKg: readonly number[];
  readonly occurredAt: string;
}

export type SplitBatchResult = {
  traceCode: string;
  children: string[];
  partsKg: number[];
  remainingKg: number;
};

/**
 * POST /v1/batches/{code}/split (the custodian): BatchSplit on the parent, BatchSplitOff creating each
 * child (codes of 22 characters: the parent's prefix and a random part each from the command's entropy;
 * the lineage is in the events); the remainder stays in the parent.
 */
export const splitBatch = partyUseCase<SplitBatchInput, SplitBatchResult>(
  'split batches',
  async (actorUscc, input, context, unitOfWork) => {
    const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
    const parent = await unitOfWork.load(batchStream(traceCode), batchModel);
    const command: DomainSplit = {
      actorUscc,
      traceCode,
      partsGrams: input.partsKg.map((part, i) => kgToGrams(part, `partsKg[${i}]`)),
      // one random part per child from the command's entropy: the same on every retry of this command
      childRandomParts: input.partsKg.map((_, i) => context.randomPart(`split-batch#${i}`)),
      occurredAt: input.occurredAt,
      recordedAt: context.recordedAt,
    };
    let streams = decideSplitBatch(command, parent.state, context.options);
    // a child's code naming a stored batch (40 random bits: practically never) is refused by the domain
    const children = new Map<string, BatchState>();
    for (const s of streams.slice(1))
      children.set(s.traceCode, (await unitOfWork.loadCreated(batchStream(s.traceCode), batchModel)).state);
    if ([...children.values()].some((c) => c.status !== 'none'))
      streams = decideSplitBatch(command, parent.state, context.options, children);
    const [split] = streams[0].events;
    if (split.type !== 'BatchSplit') throw new Error('unexpected decision');
    return {
      writes: batchWrites(unitOfWork, streams),
      result: {
        traceCode,
        children: split.data.children.map((c) => c.traceCode),
        partsKg: split.data.children.map((c) => kg(c.massGrams)),
        remainingKg: kg(split.data.remainingGrams),
      },
    };
  },
);
