import { decideRegisterParty, parsePersonDetails, parseUscc, type PartyRole } from '@wasteflow/domain';
import type { PersonToRecord } from '../people/people-records';
import { partyAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';
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
  action: 'register parties',
  allowed: ['admin'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const contact = optional(input.contactPerson);
    const people: PersonToRecord[] =
      contact === undefined
        ? []
        : [{ personId: context.personId('contact'), ...parsePersonDetails(contact, 'contactPerson') }];
    const registered = await decideOnStream(unitOfWork, partyAggregate(uscc), 'PartyRegistered', (party) =>
      decideRegisterParty(
        {
          uscc,
          name: input.name,
          roles: input.roles as PartyRole[],
          districtCode: input.districtCode,
          address: optional(input.address),
          emergencyPhone: optional(input.emergencyPhone),
          contactPersonId: people[0]?.personId,
          ...timesOf(context, input.occurredAt),
        },
        party,
        context.options,
      ),
    );
    const d = registered.event.data;
    return {
      writes: [registered.write],
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
