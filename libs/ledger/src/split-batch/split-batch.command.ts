import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { batchStream, decideSplitBatch, kgToGrams, normaliseTraceCode } from '@wasteflow/domain';
import { batchModel } from '../streams/stream-models';
import { actorUsccOf, batchWrites, kg } from '../use-case/plan-helpers';
import { LedgerCommand, type UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';

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
 * child (codes derived from the parent's next child indices); the remainder stays in the parent.
 */
export const splitBatch: UseCase<SplitBatchInput, SplitBatchResult> = {
  type: 'split-batch',
  action: 'split batches',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const actorUscc = actorUsccOf(context.principal);
    const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
    const parent = await unitOfWork.load(batchStream(traceCode), batchModel);
    const streams = decideSplitBatch(
      {
        actorUscc,
        traceCode,
        partsGrams: input.partsKg.map((part, i) => kgToGrams(part, `partsKg[${i}]`)),
        occurredAt: input.occurredAt,
        recordedAt: context.recordedAt,
      },
      parent.state,
      context.options,
    );
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
};

export class SplitBatchCommand extends LedgerCommand<SplitBatchInput, SplitBatchResult> {}

@CommandHandler(SplitBatchCommand)
export class SplitBatchHandler implements ICommandHandler<SplitBatchCommand> {
  constructor(private readonly runner: UseCaseRunner) {}

  execute(command: SplitBatchCommand) {
    return this.runner.run(splitBatch, command.envelope, command.input);
  }
}
