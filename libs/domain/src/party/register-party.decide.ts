import { PartyAlreadyRegistered } from '../errors';
import { compact } from '../util';
import { TEXT_BOUNDS } from '../values/text';
import { optionalText, requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { parseDistrictCode } from '../values/district';
import { parseRoles } from '../values/role';
import { parseUscc } from '../values/uscc';
import { checkCommandTime } from '../values/time';
import { optionalPersonId, optionalPhone } from '../values/person';
import type { PartyEvent, PartyFacts } from './party.events';
import type { PartyState } from './party.state';

/** Registration of a party by an admin (stream `party-<uscc>`): the facts PartyRegistered records. */
export interface RegisterPartyCommand extends CommandTime, PartyFacts {}

export function decideRegisterParty(
  command: RegisterPartyCommand,
  state: PartyState,
  options: DecideOptions = {},
): PartyEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const uscc = parseUscc(command.uscc, 'uscc');
  const name = requireText(command.name, 'name', 200);
  const roles = parseRoles(command.roles, 'roles');
  const districtCode = parseDistrictCode(command.districtCode, 'districtCode');
  const address = optionalText(command.address, 'address', TEXT_BOUNDS.name);
  const emergencyPhone = optionalPhone(command.emergencyPhone, 'emergencyPhone');
  const contactPersonId = optionalPersonId(command.contactPersonId, 'contactPersonId');
  if (state.status === 'registered') throw new PartyAlreadyRegistered(uscc);
  return [
    domainEvent(
      'PartyRegistered',
      compact({
        uscc,
        name,
        roles,
        districtCode,
        address,
        emergencyPhone,
        contactPersonId,
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
