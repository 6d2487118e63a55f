import { decideGrantPermit, type GrantPermitCommand } from '../party/grant-permit.decide';
import type { PartyEvent } from '../party/party.events';
import { evolveParty, initialPartyState, type PartyState } from '../party/party.state';
import { decideRegisterFacility, type RegisterFacilityCommand } from '../party/register-facility.decide';
import { decideRegisterParty, type RegisterPartyCommand } from '../party/register-party.decide';
import { decideRevokePermit, type RevokePermitCommand } from '../party/revoke-permit.decide';
import { fixtureEditions } from './fixtures';
import { deciderSpec } from './harness';

/** given/when/then over one decide function of the party stream (folded with evolveParty). */
const partyDecider = <C>(decide: (command: C, state: PartyState) => PartyEvent[]) =>
  deciderSpec<C, PartyState, PartyEvent, PartyEvent[]>({
    decide,
    evolve: evolveParty,
    initialState: initialPartyState,
  });

/** The party stream's deciders as specs: `partyDeciders.register.given([]).when(command).then([...])`. */
export const partyDeciders = {
  register: partyDecider<RegisterPartyCommand>(decideRegisterParty),
  /** Codes judged by the fixture catalogue. */
  grantPermit: partyDecider<GrantPermitCommand>((c, s) =>
    decideGrantPermit(c, s, { catalogues: fixtureEditions() }),
  ),
  revokePermit: partyDecider<RevokePermitCommand>(decideRevokePermit),
  registerFacility: partyDecider<RegisterFacilityCommand>(decideRegisterFacility),
};
