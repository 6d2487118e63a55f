import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  batchStream,
  decideCorrectMass,
  InvalidMass,
  kgToGrams,
  normaliseTraceCode,
} from '@wasteflow/domain';
import { batchModel } from '../streams/stream-models';
import { actorUsccOf, kg, writeOf } from '../use-case/plan-helpers';
import { LedgerCommand, type UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';

export interface CorrectMassInput {
  /** Path parameter. */
  readonly traceCode: string;
  /** Signed, non-zero, at most 3 decimals. */
  readonly deltaKg: number;
  readonly reason: string;
  readonly approvals: readonly {
    readonly approverId: string;
    readonly role: string;
    readonly approvedAt: string;
  }[];
  readonly occurredAt: string;
}

export type CorrectMassResult = { traceCode: string; deltaKg: number; massKgAfter: number };

/** Signed kilograms (at most 3 decimals) to signed grams, the magnitude checked by the domain's Mass. */
function signedGrams(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidMass(field, null, 'a number is required');
  if (value === 0) throw new InvalidMass(field, 0, 'a correction is non-zero');
  return Math.sign(value) * kgToGrams(Math.abs(value), field);
}

/**
 * POST /v1/batches/{code}/corrections (the custodian, with an approval by someone else): MassCorrected, a
 * compensating event (never an edit in place). Not in DESIGN's first table; see DESIGN.md §4.
 */
export const correctMass: UseCase<CorrectMassInput, CorrectMassResult> = {
  type: 'correct-mass',
  action: 'correct masses',
  allowed: ['party'],
  async plan(input, context, unitOfWork) {
    const actorUscc = actorUsccOf(context.principal);
    const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
    const batch = await unitOfWork.load(batchStream(traceCode), batchModel);
    const events = decideCorrectMass(
      {
        actorUscc,
        traceCode,
        deltaGrams: signedGrams(input.deltaKg, 'deltaKg'),
        reason: input.reason,
        approvals: input.approvals,
        occurredAt: input.occurredAt,
        recordedAt: context.recordedAt,
      },
      batch.state,
      context.options,
    );
    const [corrected] = events;
    if (corrected.type !== 'MassCorrected') throw new Error('unexpected decision');
    return {
      writes: [writeOf(batchStream(traceCode), events)],
      result: {
        traceCode,
        deltaKg: kg(corrected.data.deltaGrams),
        massKgAfter: kg(corrected.data.massGramsAfter),
      },
    };
  },
};

export class CorrectMassCommand extends LedgerCommand<CorrectMassInput, CorrectMassResult> {}

@CommandHandler(CorrectMassCommand)
export class CorrectMassHandler implements ICommandHandler<CorrectMassCommand> {
  constructor(private readonly runner: UseCaseRunner) {}

  execute(command: CorrectMassCommand) {
    return this.runner.run(correctMass, command.envelope, command.input);
  }
}
