import { decideRegisterFacility, parseUscc } from '@wasteflow/domain';
import { partyAggregate } from '../streams/stream-models';
import { regulatorUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';

export interface RegisterFacilityInput {
  /** The party (path parameter). */
  readonly uscc: string;
  readonly facilityCode: string;
  readonly operations: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly occurredAt?: string | null;
}

export type RegisterFacilityResult = {
  uscc: string;
  facilityCode: string;
  operations: string[];
  validFrom: string;
  validTo: string;
};

/**
 * POST /v1/parties/{uscc}/facilities (a regulator whose regions include the party): FacilityRegistered — an
 * own treatment facility (自行利用/处置设施) with which the party may treat what it holds without the
 * receiver role, for the operations it covers.
 */
export const registerFacility = regulatorUseCase<RegisterFacilityInput, RegisterFacilityResult>(
  'register facilities',
  async (regulator, input, context, unitOfWork) => {
    const uscc = parseUscc(input.uscc, 'uscc');
    const registered = await decideOnStream(unitOfWork, partyAggregate(uscc), 'FacilityRegistered', (party) =>
      decideRegisterFacility(
        {
          uscc,
          facilityCode: input.facilityCode,
          operations: input.operations,
          validFrom: input.validFrom,
          validTo: input.validTo,
          regulator,
          ...timesOf(context, input.occurredAt),
        },
        party,
        context.options,
      ),
    );
    const d = registered.event.data;
    return {
      writes: [registered.write],
      result: {
        uscc,
        facilityCode: d.facilityCode,
        operations: [...d.operations],
        validFrom: d.validFrom,
        validTo: d.validTo,
      },
    };
  },
);
