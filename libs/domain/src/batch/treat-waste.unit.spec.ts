import type { OriginShare } from '../origin/composition';
import {
  BatchOnOpenManifest,
  FacilityDoesNotCover,
  FacilityNotNamed,
  InvalidOperationCode,
  InvalidValue,
  NoPermit,
  NotATreatmentOperation,
  NotAllowedToTreat,
  NotCustodian,
  OccurredOutOfOrder,
  PermitDoesNotCoverOperation,
  PermitNotValid,
  TreatmentExceedsHeldMass,
} from '../errors';
import {
  COLLECTOR,
  GENERATOR,
  givenStream,
  grantPermitCommand,
  registerFacilityCommand,
  RECEIVER,
  at,
  baseWorld,
  deliver,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  randomPart,
  revokePermitCommand,
  timed,
  treatCommand,
  type World,
  hazardousShare,
} from '../testing';
import { decideRevokePermit } from '../party/revoke-permit.decide';
import { decideRegisterFacility, type RegisterFacilityCommand } from '../party/register-facility.decide';
import { decideGrantPermit } from '../party/grant-permit.decide';
import { domainEvent } from '../events/event-catalogue';
import { batchStream } from '../streams';
import { evolveBatch } from './batch.state';
import { upcast } from '../events/decode-event';
import { decideTreatWaste, type TreatWasteCommand } from './treat-waste.decide';

const received = (): { world: World; code: string } => {
  const g = generate(baseWorld());
  return { world: deliver(g.world, [g.traceCode]), code: g.traceCode };
};
/** baseWorld with GENERATOR's own facility (R5, C2, 2025–2027) registered by the Hangzhou regulator. */
const facilityWorld = (o: Partial<RegisterFacilityCommand> = {}): World =>
  baseWorld().apply(decideRegisterFacility(registerFacilityCommand(o), baseWorld().party(GENERATOR)));
const slag = (world: World) =>
  generate(world, {
    category: 'industrial',
    subtype: 'slag',
    wasteCode: undefined,
    randomPart: randomPart(3),
  });
const slagShare = (grams: number): OriginShare => ({
  districtCode: '330106',
  category: 'industrial',
  subtype: 'slag',
  generatedMonth: '2025-03',
  grams,
});
const treat = (world: World, command: TreatWasteCommand) =>
  givenState(world).when((w) =>
    decideTreatWaste(command, { batch: w.batch(command.traceCode), custodian: w.party(command.actorUscc) }),
  );
const share = hazardousShare;

describe('treat (利用 / 处置)', () => {
  it('given hazardous waste received under a permit, when the receiver incinerates part, then WasteDisposed with mode, permit and consumed origins', () => {
    const { world, code } = received();
    treat(world, treatCommand(code)).then([
      {
        type: 'WasteDisposed',
        schemaVersion: 4,
        data: {
          traceCode: code,
          custodianUscc: RECEIVER,
          operation: 'D10',
          mode: 'incineration',
          massGrams: 500_000,
          composition: [share(500_000)],
          permitNo: '3301000001',
          remainingGrams: 500_000,
          occurredAt: at('16:00'),
          late: false,
        },
      },
    ]);
  });

  it('utilisation codes give WasteUtilised; the batch is depleted when all is treated', () => {
    const { world, code } = received();
    const [e] = treat(world, treatCommand(code, { operation: 'r9', massGrams: 1_000_000 })).result();
    expect(e.type).toBe('WasteUtilised');
    expect(e.type === 'WasteUtilised' && e.data.mode).toBe('utilisation');
    expect(evolveBatch(world.batch(code), e).status).toBe('depleted');
  });

  it('non-hazardous waste needs no permit: a generator with its own registered facility utilises its slag', () => {
    const g = generate(facilityWorld(), { category: 'industrial', subtype: 'slag', wasteCode: undefined });
    const [e] = treat(
      g.world,
      treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'C2', massGrams: 100_000 }),
    ).result();
    expect(e.type === 'WasteUtilised' && e.data).not.toHaveProperty('permitNo');
  });

  it('refuses more than is held (TreatmentExceedsHeldMass)', () => {
    const { world, code } = received();
    treat(world, treatCommand(code, { massGrams: 1_000_001 })).thenThrows(TreatmentExceedsHeldMass, {
      heldGrams: 1_000_000,
    });
  });

  it('refuses collect/store (NotATreatmentOperation) and unknown codes (InvalidOperationCode)', () => {
    const { world, code } = received();
    treat(world, treatCommand(code, { operation: 'store' })).thenThrows(NotATreatmentOperation);
    treat(world, treatCommand(code, { operation: 'R99' })).thenThrows(InvalidOperationCode);
  });

  it('refuses hazardous treatment without a permit (NoPermit), outside the permit operations (PermitDoesNotCoverOperation)', () => {
    const g = generate(baseWorld());
    treat(g.world, treatCommand(g.traceCode, { actorUscc: GENERATOR })).thenThrows(NoPermit);
    const { world, code } = received();
    treat(world, treatCommand(code, { operation: 'D1' })).thenThrows(PermitDoesNotCoverOperation);
  });

  it('refuses treatment by a collector, whose permit covers collect and store only (PermitDoesNotCoverOperation)', () => {
    const g = generate(baseWorld());
    const w = deliver(g.world, [g.traceCode], { receiverUscc: COLLECTOR });
    treat(w, treatCommand(g.traceCode, { actorUscc: COLLECTOR })).thenThrows(PermitDoesNotCoverOperation);
  });

  it('refuses treatment after the permit is revoked (PermitNotValid)', () => {
    const { world, code } = received();
    const revoked = world.apply(
      decideRevokePermit(revokePermitCommand(timed('15:30')), world.party(RECEIVER)),
    );
    treat(revoked, treatCommand(code)).thenThrows(PermitNotValid);
  });

  describe('permits judged twice (DESIGN §2)', () => {
    const revokedAt = (time: string) => {
      const { world, code } = received();
      const revoke = revokePermitCommand({ occurredAt: at(time), recordedAt: at(time) });
      return { world: world.apply(decideRevokePermit(revoke, world.party(RECEIVER))), code };
    };
    const treated = (world: World, command: TreatWasteCommand) => {
      const [event] = treat(world, command).result();
      if (event.type !== 'WasteDisposed') throw new Error(event.type);
      return event;
    };

    it('given a permit revoked at 16:00:01, when a treatment dated 16:00:00 is recorded at 16:00:03, then it is accepted only as a late entry naming the lapse', () => {
      const { world, code } = revokedAt('16:00:01');
      const event = treated(
        world,
        treatCommand(code, { occurredAt: at('16:00'), recordedAt: at('16:00:03') }),
      );
      expect(event.schemaVersion).toBe(4);
      expect(event.data).toMatchObject({
        permitNo: '3301000001',
        late: true,
        permitLapse: {
          permitNo: '3301000001',
          how: 'revoked',
          lapsedAt: at('16:00:01'),
          recordedAt: '2025-03-03T16:00:03.000+08:00',
        },
      });
    });

    it('a permit that expired between occurredAt and the recording is a lapse too; one valid at both times is none', () => {
      const { world, code } = received();
      // the fixture permit runs to 2027-12-31 (CST): a treatment of 31 December recorded on 2 January
      const expired = treated(
        world,
        treatCommand(code, {
          occurredAt: '2027-12-31T20:00:00+08:00',
          recordedAt: '2028-01-02T01:00:00.000Z',
        }),
      );
      expect(expired.data.permitLapse).toMatchObject({
        how: 'expired',
        lapsedAt: '2028-01-01T00:00:00.000+08:00',
      });
      expect(expired.data.late).toBe(true);
      const inTime = treated(world, treatCommand(code));
      expect(inTime.data.permitLapse).toBeUndefined();
      expect(inTime.data.late).toBe(false);
    });

    it('a treatment dated after the revocation is still refused (PermitNotValid): judged at occurredAt first', () => {
      const { world, code } = revokedAt('15:59');
      treat(world, treatCommand(code, { occurredAt: at('16:00'), recordedAt: at('16:01') })).thenThrows(
        PermitNotValid,
      );
    });
  });

  it('refuses anyone but the custodian (NotCustodian), a batch on a manifest (BatchOnOpenManifest), a date before receipt (OccurredOutOfOrder)', () => {
    const { world, code } = received();
    treat(world, treatCommand(code, { actorUscc: GENERATOR })).thenThrows(NotCustodian);
    treat(world, treatCommand(code, timed('14:00'))).thenThrows(OccurredOutOfOrder);
    const g = generate(baseWorld(), {
      category: 'industrial',
      subtype: 'slag',
      wasteCode: undefined,
      randomPart: randomPart(7),
    });
    const w = issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }]));
    treat(
      w,
      treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'C2', ...timed('12:00') }),
    ).thenThrows(BatchOnOpenManifest);
  });

  describe('who may treat (DESIGN §2, issue 10 row 5): a receiver, or a registered own facility covering the operation', () => {
    it('given a generator without the receiver role and no facility, when it utilises (R5) or disposes (D1) of its own slag, then NotAllowedToTreat', () => {
      const g = slag(baseWorld());
      for (const operation of ['R5', 'D1', 'C2'])
        treat(g.world, treatCommand(g.traceCode, { actorUscc: GENERATOR, operation })).thenThrows(
          NotAllowedToTreat,
          { actorUscc: GENERATOR, operation, facilityCodes: [] },
        );
    });

    it("given the generator's facility covering R5, when it utilises by R5, then WasteUtilised", () => {
      const g = slag(facilityWorld());
      treat(g.world, treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'R5' })).then([
        {
          type: 'WasteUtilised',
          schemaVersion: 4,
          data: {
            traceCode: g.traceCode,
            custodianUscc: GENERATOR,
            operation: 'R5',
            mode: 'utilisation',
            massGrams: 500_000,
            composition: [slagShare(500_000)],
            remainingGrams: 500_000,
            facilityCode: 'ZJ-330106-F001',
            occurredAt: at('16:00'),
            late: false,
          },
        },
      ]);
    });

    it('a facility covering D1 does not allow R5; one outside its validity allows nothing', () => {
      const d1 = slag(facilityWorld({ operations: ['D1'] }));
      treat(d1.world, treatCommand(d1.traceCode, { actorUscc: GENERATOR, operation: 'R5' })).thenThrows(
        NotAllowedToTreat,
        { operation: 'R5', facilityCodes: ['ZJ-330106-F001'] },
      );
      expect(
        treat(d1.world, treatCommand(d1.traceCode, { actorUscc: GENERATOR, operation: 'D1' })).result()[0]
          .type,
      ).toBe('WasteDisposed');
      const expired = slag(facilityWorld({ validFrom: '2024-01-01', validTo: '2025-03-02' }));
      treat(
        expired.world,
        treatCommand(expired.traceCode, { actorUscc: GENERATOR, operation: 'R5' }),
      ).thenThrows(NotAllowedToTreat);
    });

    it('hazardous waste needs the permit as well: a facility covering D10 without a permit is NoPermit; with one, WasteDisposed', () => {
      const g = generate(facilityWorld({ operations: ['D10'] }));
      treat(g.world, treatCommand(g.traceCode, { actorUscc: GENERATOR })).thenThrows(NoPermit);
      const permitted = g.world.apply(
        decideGrantPermit(
          grantPermitCommand({
            uscc: GENERATOR,
            permitNo: '3301060009',
            hwCategories: ['HW08'],
            wasteCodes: [],
          }),
          g.world.party(GENERATOR),
        ),
      );
      const [e] = treat(permitted, treatCommand(g.traceCode, { actorUscc: GENERATOR })).result();
      expect(e.type === 'WasteDisposed' && e.data.permitNo).toBe('3301060009');
    });

    it('a receiver holding custody still treats without any facility (its permit is the gate for hazardous waste)', () => {
      const { world, code } = received();
      expect(world.party(RECEIVER)).not.toHaveProperty('facilities');
      expect(treat(world, treatCommand(code, { operation: 'R9' })).result()[0].type).toBe('WasteUtilised');
    });

    it('given a stream holding a WasteUtilised a generator recorded before the rule, when it is replayed, then it folds and is consistent: nothing rewritten', () => {
      const g = slag(baseWorld());
      const generated = g.world.log.filter((e) => e.type === 'WasteGenerated');
      const before = domainEvent('WasteUtilised', {
        traceCode: g.traceCode,
        custodianUscc: GENERATOR,
        operation: 'R5',
        mode: 'utilisation',
        massGrams: 1_000_000,
        composition: [slagShare(1_000_000)],
        remainingGrams: 0,
        occurredAt: at('16:00'),
        late: false,
      });
      const stream = givenStream(batchStream(g.traceCode), [...generated, before]);
      expect(stream.whenChecked().result()).toMatchObject({ consistent: true, issues: [] });
      expect(stream.whenFolded().result()).toMatchObject({ heldGrams: 0, status: 'depleted' });
    });
  });
  describe('which facility treated it (issue 14, HJ 1259 table 4: WasteUtilised / WasteDisposed v3 facilityCode)', () => {
    /** GENERATOR with a second facility F002 (R5, D1) beside F001 (R5, C2). */
    const twoFacilities = () => {
      const one = facilityWorld();
      const second = registerFacilityCommand({ facilityCode: 'ZJ-330106-F002', operations: ['R5', 'D1'] });
      return slag(one.apply(decideRegisterFacility(second, one.party(GENERATOR))));
    };
    const facilityOf = (world: World, command: TreatWasteCommand) => {
      const [e] = treat(world, command).result();
      if (e.type !== 'WasteUtilised' && e.type !== 'WasteDisposed') throw new Error(e.type);
      return e.data.facilityCode;
    };

    it('given one facility covering the operation, when the treatment names it, then it is recorded; a code of no facility, or of one not covering the operation or not valid then, is FacilityDoesNotCover', () => {
      const g = slag(facilityWorld());
      const command = (o: Partial<TreatWasteCommand>) =>
        treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'R5', ...o });
      expect(facilityOf(g.world, command({ facilityCode: 'ZJ-330106-F001' }))).toBe('ZJ-330106-F001');
      treat(g.world, command({ facilityCode: 'ZJ-330106-F999' })).thenThrows(FacilityDoesNotCover, {
        field: 'facilityCode',
        facilityCode: 'ZJ-330106-F999',
        operation: 'R5',
        facilityCodes: ['ZJ-330106-F001'],
      });
      const two = twoFacilities();
      treat(
        two.world,
        treatCommand(two.traceCode, {
          actorUscc: GENERATOR,
          operation: 'D1',
          facilityCode: 'ZJ-330106-F001',
        }),
      ).thenThrows(FacilityDoesNotCover, {
        facilityCode: 'ZJ-330106-F001',
        facilityCodes: ['ZJ-330106-F002'],
      });
      const expiring = slag(facilityWorld({ validTo: '2025-03-03' }));
      const later = treatCommand(expiring.traceCode, {
        actorUscc: GENERATOR,
        operation: 'R5',
        facilityCode: 'ZJ-330106-F001',
        occurredAt: '2025-03-04T09:00:00+08:00',
        recordedAt: '2025-03-04T09:00:00+08:00',
      });
      treat(expiring.world, later).thenThrows(NotAllowedToTreat);
    });

    it('given two facilities covering R5, when the generator utilises by R5 without naming one, then FacilityNotNamed listing both; naming one records it; D1, covered by one only, records that one unnamed', () => {
      const g = twoFacilities();
      const r5 = (o: Partial<TreatWasteCommand> = {}) =>
        treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'R5', ...o });
      treat(g.world, r5()).thenThrows(FacilityNotNamed, {
        field: 'facilityCode',
        facilityCodes: ['ZJ-330106-F001', 'ZJ-330106-F002'],
      });
      expect(facilityOf(g.world, r5({ facilityCode: 'ZJ-330106-F002' }))).toBe('ZJ-330106-F002');
      expect(facilityOf(g.world, r5({ operation: 'D1' }))).toBe('ZJ-330106-F002');
    });

    it('a receiver without a facility records none (its permit is recorded; a permit names no facility here) and may not name one; with a registered facility it records it', () => {
      const { world, code } = received();
      const [e] = treat(world, treatCommand(code)).result();
      expect(e.type === 'WasteDisposed' && e.data).not.toHaveProperty('facilityCode');
      expect(e.type === 'WasteDisposed' && e.data.permitNo).toBe('3301000001');
      treat(world, treatCommand(code, { facilityCode: 'ZJ-330109-F001' })).thenThrows(FacilityDoesNotCover, {
        facilityCodes: [],
      });
      const withFacility = world.apply(
        decideRegisterFacility(
          registerFacilityCommand({ uscc: RECEIVER, facilityCode: 'ZJ-330109-F001', operations: ['D10'] }),
          world.party(RECEIVER),
        ),
      );
      expect(facilityOf(withFacility, treatCommand(code))).toBe('ZJ-330109-F001');
      expect(facilityOf(withFacility, treatCommand(code, { facilityCode: 'ZJ-330109-F001' }))).toBe(
        'ZJ-330109-F001',
      );
    });

    it('a blank facility code is refused as the field it is (InvalidValue facilityCode)', () => {
      const g = slag(facilityWorld());
      expect(() =>
        decideTreatWaste(
          treatCommand(g.traceCode, { actorUscc: GENERATOR, operation: 'R5', facilityCode: ' ' }),
          {
            batch: g.world.batch(g.traceCode),
            custodian: g.world.party(GENERATOR),
          },
        ),
      ).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'facilityCode' }) }));
    });

    it('v1–v3 WasteUtilised / WasteDisposed stored before the versions read as v4 without facilityCode or handler: nothing rewritten', () => {
      const data = {
        traceCode: 'X',
        custodianUscc: GENERATOR,
        operation: 'R5',
        mode: 'utilisation',
        massGrams: 1,
        composition: [],
        remainingGrams: 0,
        occurredAt: at('16:00'),
        late: false,
      };
      for (const type of ['WasteUtilised', 'WasteDisposed'])
        for (const version of [1, 2, 3])
          expect(upcast(type, version, { ...data })).toEqual({ type, schemaVersion: 4, data });
    });
  });

  it('given a handler, when the receiver treats, then v4 names them by reference only; a name where a reference belongs is refused', () => {
    const { world, code } = received();
    const handlerPersonId = `p-${'c'.repeat(32)}`;
    const [event] = treat(world, treatCommand(code, { handlerPersonId })).result();
    expect(event).toMatchObject({ type: 'WasteDisposed', schemaVersion: 4, data: { handlerPersonId } });
    const [utilised] = treat(world, treatCommand(code, { operation: 'R9', handlerPersonId })).result();
    expect(utilised).toMatchObject({ type: 'WasteUtilised', schemaVersion: 4, data: { handlerPersonId } });
    treat(world, treatCommand(code, { handlerPersonId: '王经办' })).thenThrows(InvalidValue, {
      field: 'handlerPersonId',
    });
  });
});
