import {
  FacilityAlreadyRegistered,
  InvalidFacility,
  NotATreatmentOperation,
  OutsideJurisdiction,
  PartyNotFound,
} from '../errors';
import {
  partyDeciders,
  GENERATOR,
  HANGZHOU_REGULATOR,
  aGeneratorWithFacility,
  aRegisteredGenerator,
  at,
  givenStream,
  registerFacilityCommand,
} from '../testing';
import { partyStream } from '../streams';
import { evolveParty, initialPartyState } from './party.state';

const { registerFacility: register } = partyDeciders;

describe('own treatment facility (自行利用/处置设施备案, DESIGN §2 "Who may treat")', () => {
  it('given a generator in Xihu, when the Hangzhou regulator registers its facility, then FacilityRegistered with the operations in canonical order', () => {
    register
      .given(aRegisteredGenerator())
      .when(registerFacilityCommand({ operations: ['c2', 'R5', 'R5'] }))
      .then([
        {
          type: 'FacilityRegistered',
          schemaVersion: 1,
          data: {
            uscc: GENERATOR,
            facilityCode: 'ZJ-330106-F001',
            operations: ['R5', 'C2'],
            validFrom: '2025-01-01',
            validTo: '2027-12-31',
            regulatorTokenId: HANGZHOU_REGULATOR.tokenId,
            occurredAt: at('08:15'),
            late: false,
          },
        },
      ]);
  });

  it('the party state lists it (the read side shows it); the stream is consistent', () => {
    const events = aGeneratorWithFacility();
    expect(givenStream(partyStream(GENERATOR), events).whenChecked().result()).toMatchObject({
      consistent: true,
    });
    const state = events.reduce(evolveParty, initialPartyState);
    expect(state.status === 'registered' && state.facilities).toEqual([
      {
        facilityCode: 'ZJ-330106-F001',
        operations: ['R5', 'C2'],
        validFrom: '2025-01-01',
        validTo: '2027-12-31',
        registeredAt: at('08:15'),
        regulatorTokenId: HANGZHOU_REGULATOR.tokenId,
      },
    ]);
  });

  it('only a regulator whose regions include the party: Binjiang’s regulator is refused for a Xihu party (OutsideJurisdiction)', () => {
    register
      .given(aRegisteredGenerator())
      .when(registerFacilityCommand({ regulator: { ...HANGZHOU_REGULATOR, districts: ['330108'] } }))
      .thenThrows(OutsideJurisdiction, { reason: 'district', districtCode: '330106' });
  });

  it('refuses an unknown party (PartyNotFound), a code registered twice (FacilityAlreadyRegistered)', () => {
    register.given([]).when(registerFacilityCommand()).thenThrows(PartyNotFound);
    register
      .given(aGeneratorWithFacility())
      .when(registerFacilityCommand())
      .thenThrows(FacilityAlreadyRegistered);
  });

  it('refuses no operation, collect/store (not treatments) and a reversed validity', () => {
    register
      .given(aRegisteredGenerator())
      .when(registerFacilityCommand({ operations: [] }))
      .thenThrows(InvalidFacility, { field: 'operations' });
    register
      .given(aRegisteredGenerator())
      .when(registerFacilityCommand({ operations: ['store'] }))
      .thenThrows(NotATreatmentOperation);
    register
      .given(aRegisteredGenerator())
      .when(registerFacilityCommand({ validFrom: '2026-01-01', validTo: '2025-12-31' }))
      .thenThrows(InvalidFacility, { field: 'validTo' });
  });
});
