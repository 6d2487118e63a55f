import { decideRegisterFacility, parseUscc, partyStream } from '@wasteflow/domain';
import { partyModel } from '../streams/stream-models';
import { writeOf } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';

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
export const registerFacility: UseCase<RegisterFacilityInput, RegisterFacilityResult> = {
  type: 'register-facility',
  action: 'register facilities',
  allowed: ['regulator'],
  async plan(input, context, unitOfWork) {
    const principal = context.principal;
    // `allowed` admits regulators only; the narrowing gives the domain the scope and the token
    if (principal.kind !== 'regulator') throw new Error('register-facility runs for regulators only');
    const uscc = parseUscc(input.uscc, 'uscc');
    const party = await unitOfWork.load(partyStream(uscc), partyModel);
    const events = decideRegisterFacility(
      {
        uscc,
        facilityCode: input.facilityCode,
        operations: input.operations,
        validFrom: input.validFrom,
        validTo: input.validTo,
        regulator: {
          districts: principal.districts,
          categories: principal.categories,
          tokenId: principal.tokenId,
        },
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      party.state,
      context.options,
    );
    const [registered] = events;
    if (registered.type !== 'FacilityRegistered') throw new Error('unexpected decision');
    const d = registered.data;
    return {
      writes: [writeOf(partyStream(uscc), events)],
      result: {
        uscc,
        facilityCode: d.facilityCode,
        operations: [...d.operations],
        validFrom: d.validFrom,
        validTo: d.validTo,
      },
    };
  },
};
