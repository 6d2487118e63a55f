import {
  decideRegisterParty,
  parsePersonDetails,
  parseUscc,
  partyStream,
  type PartyRole,
} from '@wasteflow/domain';
import type { PersonToRecord } from '../people/people-records';
import { partyModel } from '../streams/stream-models';
import { writeOf } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';

export interface RegisterPartyInput {
  readonly uscc: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly districtCode: string;
  readonly address?: string | null;
  readonly emergencyPhone?: string | null;
  /** The unit's contact person (personal data: an erasable record, the event names it by id). */
  readonly contactPerson?: { readonly name: string; readonly phone?: string | null } | null;
  /** Defaults to the time of recording. */
  readonly occurredAt?: string;
}

export type RegisterPartyResult = {
  uscc: string;
  name: string;
  roles: string[];
  districtCode: string;
  /** The contact person's reference (never the name: the answer is kept for retries). */
  contactPersonId?: string;
};

/** POST /v1/parties (admin): PartyRegistered in `party-<USCC>`. */
export const registerParty: UseCase<RegisterPartyInput, RegisterPartyResult> = {
  type: 'register-party',
  action: 'register parties',
  allowed: ['admin'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const party = await unitOfWork.load(partyStream(uscc), partyModel);
    const contact = optional(input.contactPerson);
    const people: PersonToRecord[] =
      contact === undefined
        ? []
        : [{ personId: context.personId('contact'), ...parsePersonDetails(contact, 'contactPerson') }];
    const events = decideRegisterParty(
      {
        uscc,
        name: input.name,
        roles: input.roles as PartyRole[],
        districtCode: input.districtCode,
        address: input.address ?? undefined,
        emergencyPhone: input.emergencyPhone ?? undefined,
        contactPersonId: people[0]?.personId,
        occurredAt: input.occurredAt ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      party.state,
      context.options,
    );
    const [registered] = events;
    if (registered.type !== 'PartyRegistered') throw new Error('unexpected decision');
    const d = registered.data;
    return {
      writes: [writeOf(partyStream(uscc), events)],
      people,
      result: {
        uscc: d.uscc,
        name: d.name,
        roles: [...d.roles],
        districtCode: d.districtCode,
        ...(d.contactPersonId === undefined ? {} : { contactPersonId: d.contactPersonId }),
      },
    };
  },
};
