import { decideGrantPermit, kgToGrams, parseUscc } from '@wasteflow/domain';
import { partyAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { kg, timesOf } from '../use-case/plan-helpers';
import { optional } from '../use-case/use-case';
import { regulatorUseCase } from '../use-case/actor-use-cases';

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
export const grantPermit = regulatorUseCase<GrantPermitInput, GrantPermitResult>(
  'grant permits',
  async (regulator, input, context, unitOfWork) => {
    const uscc = parseUscc(input.uscc, 'uscc');
    const granted = await decideOnStream(unitOfWork, partyAggregate(uscc), 'PermitGranted', (party) =>
      decideGrantPermit(
        {
          uscc,
          permitNo: input.permitNo,
          wasteCodes: optional(input.wasteCodes),
          hwCategories: optional(input.hwCategories),
          operations: input.operations,
          annualCapacityGrams: kgToGrams(input.annualCapacityKg, 'annualCapacityKg'),
          validFrom: input.validFrom,
          validTo: input.validTo,
          regulator,
          ...timesOf(context, input.occurredAt),
        },
        party,
        context.options,
      ),
    );
    const d = granted.event.data;
    return {
      writes: [granted.write],
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
);
