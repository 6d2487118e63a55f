import { OutsideJurisdiction, PartyNotFound } from '../errors';
import {
  RECEIVER,
  aRegisteredReceiver,
  partyDeciders,
  grantPermitCommand,
  revokePermitCommand,
} from '../testing';

const { grantPermit: grant, revokePermit: revoke } = partyDeciders;

/** The receiver of the fixtures is in Xiaoshan (330109). */
const hangzhouEnvironment = { districts: ['3301'], categories: ['hazardous', 'industrial'] };

describe('a regulator acts within its jurisdiction', () => {
  it('given a party in one of its regions, when a regulator of hazardous waste grants, then PermitGranted', () => {
    const [granted] = grant
      .given(aRegisteredReceiver({ permit: false }))
      .when(grantPermitCommand({ regulator: hangzhouEnvironment }))
      .result();
    expect(granted.type).toBe('PermitGranted');
    // the scope decides, it is not recorded in the fact
    expect(granted.data).not.toHaveProperty('regulator');
    grant
      .given(aRegisteredReceiver({ permit: false }))
      .when(grantPermitCommand({ regulator: { districts: ['33', '330109'], categories: ['hazardous'] } }))
      .thenAssert((events) => expect(events).toHaveLength(1));
  });

  it('refuses a party outside its districts (OutsideJurisdiction, forbidden)', () => {
    const error = grant
      .given(aRegisteredReceiver({ permit: false }))
      .when(grantPermitCommand({ regulator: { districts: ['330106', '330108'], categories: ['hazardous'] } }))
      .thenThrows(OutsideJurisdiction, { uscc: RECEIVER, reason: 'district', districtCode: '330109' });
    expect(error.kind).toBe('forbidden');
    revoke
      .given(aRegisteredReceiver())
      .when(revokePermitCommand({ regulator: { districts: ['3302'], categories: ['hazardous'] } }))
      .thenThrows(OutsideJurisdiction, { reason: 'district' });
  });

  it('refuses a regulator whose categories do not include hazardous waste (OutsideJurisdiction)', () => {
    grant
      .given(aRegisteredReceiver({ permit: false }))
      .when(grantPermitCommand({ regulator: { districts: ['3301'], categories: ['construction'] } }))
      .thenThrows(OutsideJurisdiction, { reason: 'category' });
  });

  it('still reports an unknown party as PartyNotFound, and revokes within its jurisdiction', () => {
    grant
      .given([])
      .when(grantPermitCommand({ regulator: hangzhouEnvironment }))
      .thenThrows(PartyNotFound);
    revoke
      .given(aRegisteredReceiver())
      .when(revokePermitCommand({ regulator: hangzhouEnvironment }))
      .thenAssert((events) => expect(events[0].type).toBe('PermitRevoked'));
  });
});
