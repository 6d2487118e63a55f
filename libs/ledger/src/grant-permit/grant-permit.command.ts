import { decideGrantPermit, kgToGrams, parseUscc, partyStream } from '@wasteflow/domain';
import { partyModel } from '../streams/stream-models';
import { kg, writeOf } from '../use-case/plan-helpers';
import { regulatorScopeOf } from '../use-case/regulator';
import { optional, type UseCase } from '../use-case/use-case';

export interface GrantPermitInput {
  /** The party (path parameter). */
  readonly uscc: string;
  readonly permitNo: string;
  readonly wasteCodes?: readonly string[] | null;
  readonly hwCategories?: readonly string[] | null;
  readonly operations: readonly string[];
  readonly annualCapacityKg: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly occurredAt?: string | null;
}

export type GrantPermitResult = {
  uscc: string;
  permitNo: string;
  wasteCodes: string[];
  hwCategories: string[];
  operations: string[];
  annualCapacityKg: number;
  validFrom: string;
  validTo: string;
};

/** POST /v1/parties/{uscc}/permits (regulator, within its districts and categories): PermitGranted. */
export const grantPermit: UseCase<GrantPermitInput, GrantPermitResult> = {
  type: 'grant-permit',
  action: 'grant permits',
  allowed: ['regulator'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const party = await unitOfWork.load(partyStream(uscc), partyModel);
    const events = decideGrantPermit(
      {
        uscc,
        permitNo: input.permitNo,
        wasteCodes: optional(input.wasteCodes),
        hwCategories: optional(input.hwCategories),
        operations: input.operations,
        annualCapacityGrams: kgToGrams(input.annualCapacityKg, 'annualCapacityKg'),
        validFrom: input.validFrom,
        validTo: input.validTo,
        regulator: regulatorScopeOf(context.principal),
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      party.state,
      context.options,
    );
    const [granted] = events;
    if (granted.type !== 'PermitGranted') throw new Error('unexpected decision');
    const d = granted.data;
    return {
      writes: [writeOf(partyStream(uscc), events)],
      result: {
        uscc,
        permitNo: d.permitNo,
        wasteCodes: [...d.wasteCodes],
        hwCategories: [...d.hwCategories],
        operations: [...d.operations],
        annualCapacityKg: kg(d.annualCapacityGrams),
        validFrom: d.validFrom,
        validTo: d.validTo,
      },
    };
  },
};
