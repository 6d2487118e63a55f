import {
  InvalidDistrictCode,
  InvalidHwCategory,
  InvalidPermit,
  InvalidRole,
  InvalidUscc,
  InvalidText,
  InvalidValue,
  InvalidOperationCode,
  MassNotPositive,
  OccurredInFuture,
  PartyAlreadyRegistered,
  PartyNotFound,
  PermitAlreadyGranted,
  PermitAlreadyRevoked,
  PermitNotFound,
  UnknownWasteCode,
} from '../errors';
import {
  partyDeciders,
  givenStream,
  GENERATOR,
  RECEIVER,
  XIHU,
  aRegisteredParty,
  aRegisteredReceiver,
  fixtureCatalogue,
  grantPermitCommand,
  registerPartyCommand,
  revokePermitCommand,
  partyOf,
  at,
  timed,
} from '../testing';
import { partyStream } from '../streams';
import { evolveParty, initialPartyState, hasRole } from './party.state';
import { decideRevokePermit } from './revoke-permit.decide';

const { register, grantPermit: grant, revokePermit: revoke } = partyDeciders;

const registeredReceiver = aRegisteredReceiver({ permit: false });

describe('Party', () => {
  describe('register', () => {
    it('given nothing, when registering, then PartyRegistered with canonical roles', () => {
      register
        .given([])
        .when(
          registerPartyCommand({
            uscc: ` ${GENERATOR.toLowerCase()}`,
            roles: ['carrier', 'generator'],
            name: ' 杭州示例 ',
          }),
        )
        .then([
          {
            type: 'PartyRegistered',
            schemaVersion: 3,
            data: {
              uscc: GENERATOR,
              name: '杭州示例',
              roles: ['generator', 'carrier'],
              districtCode: XIHU,
              occurredAt: at('08:00'),
              late: false,
            },
          },
        ]);
    });

    it('given nothing, when registering with an address and an emergency phone, then both are recorded (v2) and folded', () => {
      const [event] = register
        .given([])
        .when(
          registerPartyCommand({ address: ' 杭州市西湖区文三路 90 号 ', emergencyPhone: ' 0571-8888 0000 ' }),
        )
        .result();
      expect(event.data).toMatchObject({
        address: '杭州市西湖区文三路 90 号',
        emergencyPhone: '0571-8888 0000',
      });
      const state = evolveParty(initialPartyState, event);
      expect(state).toMatchObject({ address: '杭州市西湖区文三路 90 号', emergencyPhone: '0571-8888 0000' });
    });

    it('given nothing, when registering with a contact person, then v3 records only the reference to the person’s record (ADR 14) and folds it', () => {
      const contactPersonId = `p-${'c'.repeat(32)}`;
      const [event] = register.given([]).when(registerPartyCommand({ contactPersonId })).result();
      expect(event).toMatchObject({ schemaVersion: 3, data: { contactPersonId } });
      expect(evolveParty(initialPartyState, event)).toMatchObject({ contactPersonId });
      register
        .given([])
        .when(registerPartyCommand({ contactPersonId: '李四 13800000000' }))
        .thenThrows(InvalidValue, { field: 'contactPersonId' });
    });

    it('refuses a second registration (PartyAlreadyRegistered)', () => {
      register
        .given(aRegisteredParty(GENERATOR, ['generator']))
        .when(registerPartyCommand())
        .thenThrows(PartyAlreadyRegistered, { uscc: GENERATOR });
    });

    it.each([
      { input: { uscc: '91350100M000100Y44' }, error: InvalidUscc, field: 'uscc' },
      { input: { districtCode: '3301' }, error: InvalidDistrictCode, field: 'districtCode' },
      { input: { roles: [] }, error: InvalidRole, field: 'roles' },
      { input: { name: '  ' }, error: InvalidText, field: 'name' },
      // an emergency phone that is not a phone number
      { input: { emergencyPhone: 'call me' }, error: InvalidValue, field: 'emergencyPhone' },
    ])('refuses malformed input with the field named: $field ($error.name)', ({ input, error, field }) => {
      register.given([]).when(registerPartyCommand(input)).thenThrows(error, { field });
    });

    it('refuses an occurredAt in the future (OccurredInFuture) and flags a backdated one late', () => {
      register
        .given([])
        .when(registerPartyCommand({ occurredAt: at('08:10'), recordedAt: '2025-03-03T00:00:00.000Z' }))
        .thenThrows(OccurredInFuture);
      const [e] = register
        .given([])
        .when(
          registerPartyCommand({
            occurredAt: at('2025-02-01T08:00'),
            recordedAt: '2025-03-03T00:00:00.000Z',
          }),
        )
        .result();
      expect(e.data.late).toBe(true);
    });
  });

  describe('grant permit', () => {
    it('given a registered receiver, when granting, then PermitGranted with sorted, canonical coverage', () => {
      grant
        .given(registeredReceiver)
        .when(
          grantPermitCommand({
            wasteCodes: ['900-249-08', '841-001-01'],
            hwCategories: ['hw49', 'HW08'],
            operations: ['store', 'r9', 'D10', 'R9'],
          }),
        )
        .then([
          {
            type: 'PermitGranted',
            schemaVersion: 1,
            data: {
              uscc: RECEIVER,
              permitNo: '3301000001',
              wasteCodes: ['841-001-01', '900-249-08'],
              hwCategories: ['HW08', 'HW49'],
              operations: ['R9', 'D10', 'store'],
              annualCapacityGrams: 10_000_000_000,
              validFrom: '2025-01-01',
              validTo: '2027-12-31',
              catalogueEdition: fixtureCatalogue().edition,
              occurredAt: at('08:10'),
              late: false,
            },
          },
        ]);
    });

    it('refuses a party that is not registered (PartyNotFound)', () => {
      grant.given([]).when(grantPermitCommand()).thenThrows(PartyNotFound);
    });

    it('refuses a permit number already granted (PermitAlreadyGranted)', () => {
      grant.given(aRegisteredReceiver()).when(grantPermitCommand()).thenThrows(PermitAlreadyGranted);
    });

    it('refuses a permit that covers nothing, allows nothing, or ends before it starts (InvalidPermit)', () => {
      grant
        .given(registeredReceiver)
        .when(grantPermitCommand({ wasteCodes: [], hwCategories: [] }))
        .thenThrows(InvalidPermit);
      grant
        .given(registeredReceiver)
        .when(grantPermitCommand({ operations: [] }))
        .thenThrows(InvalidPermit);
      grant
        .given(registeredReceiver)
        .when(grantPermitCommand({ validFrom: '2026-01-01', validTo: '2025-12-31' }))
        .thenThrows(InvalidPermit, { field: 'validTo' });
    });

    it.each([
      ['an unknown waste code', { wasteCodes: ['900-250-08'] }, UnknownWasteCode, { field: 'wasteCodes[0]' }],
      ['an unknown HW category', { hwCategories: ['HW42'] }, InvalidHwCategory, undefined],
      ['an unknown operation', { operations: ['R99'] }, InvalidOperationCode, { field: 'operations[0]' }],
      ['a non-positive capacity', { annualCapacityGrams: 0 }, MassNotPositive, undefined],
    ] as const)('refuses %s', (_, change, error, details) => {
      grant.given(registeredReceiver).when(grantPermitCommand(change)).thenThrows(error, details);
    });
  });

  describe('revoke permit', () => {
    it('given a granted permit, when revoking, then PermitRevoked and the state records it', () => {
      const given = revoke.given(aRegisteredReceiver());
      const events = given.when(revokePermitCommand()).then([
        {
          type: 'PermitRevoked',
          schemaVersion: 1,
          data: {
            uscc: RECEIVER,
            permitNo: '3301000001',
            reason: '超范围经营',
            occurredAt: at('08:20'),
            late: false,
          },
        },
      ]);
      const after = events.reduce(evolveParty, given.state);
      expect(after.status === 'registered' && after.permits[0].revokedAt).toBe(at('08:20'));
    });

    it('refuses an unknown permit (PermitNotFound), a second revocation (PermitAlreadyRevoked) and an unknown party (PartyNotFound)', () => {
      revoke.given(registeredReceiver).when(revokePermitCommand()).thenThrows(PermitNotFound);
      const revoked = [
        ...aRegisteredReceiver(),
        ...decideRevokePermit(revokePermitCommand(), partyOf(aRegisteredReceiver())),
      ];
      revoke
        .given(revoked)
        .when(revokePermitCommand({ ...timed('09:00') }))
        .thenThrows(PermitAlreadyRevoked);
      revoke.given([]).when(revokePermitCommand()).thenThrows(PartyNotFound);
      revoke
        .given(aRegisteredReceiver())
        .when(revokePermitCommand({ reason: '' }))
        .thenThrows(InvalidText, { field: 'reason' });
    });
  });

  describe('evolve', () => {
    it('knows roles', () => {
      const s = partyOf(aRegisteredParty(GENERATOR, ['generator', 'carrier']));
      expect(hasRole(s, 'carrier')).toBe(true);
      expect(hasRole(s, 'receiver')).toBe(false);
      expect(hasRole(initialPartyState, 'carrier')).toBe(false);
    });

    it('given events that do not fit, when folded, then no failure; when checked, then event-not-applicable', () => {
      const [registered] = aRegisteredParty(GENERATOR, ['generator']);
      const stream = partyStream(GENERATOR);
      givenStream(stream, [registered, registered])
        .whenFolded()
        .thenAssert((state) => expect(state).toEqual(partyOf([registered])));
      givenStream(stream, [registered, registered])
        .whenChecked()
        .thenAssert((c) =>
          expect(c.issues).toEqual([
            {
              revision: 1,
              type: 'PartyRegistered',
              rule: 'event-not-applicable',
              reason: 'party already registered',
            },
          ]),
        );
      const [, granted] = aRegisteredReceiver();
      givenStream(partyStream(RECEIVER), [granted])
        .whenFolded()
        .thenAssert((state) => expect(state).toEqual(initialPartyState));
      givenStream(partyStream(RECEIVER), [granted])
        .whenChecked()
        .thenAssert((c) => expect(c.issues.map((i) => i.reason)).toEqual(['party not registered']));
    });
  });
});
