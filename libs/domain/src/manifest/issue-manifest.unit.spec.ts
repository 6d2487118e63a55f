import {
  BatchDepleted,
  BatchInTransit,
  BatchOnOpenManifest,
  CarrierRoleRequired,
  DuplicateLine,
  InvalidManifestNumber,
  InvalidTimestamp,
  InvalidValue,
  ManifestAlreadyExists,
  ManifestLineMassMismatch,
  ManifestMixesCategories,
  ManifestNumberMismatch,
  NoPermit,
  NotCustodian,
  OccurredOutOfOrder,
  PartyNotFound,
  PermitDoesNotCoverWaste,
  PermitNotValid,
  ReceiverRoleRequired,
  ShipperIsReceiver,
} from '../errors';
import {
  COLLECTOR,
  GENERATOR,
  MANIFEST_1,
  OTHER_GENERATOR,
  RECEIVER,
  STRANGER,
  at,
  aRegisteredParty,
  aRegisteredReceiver,
  baseWorld,
  DEFAULT_OPTIONS,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  manifestNo,
  pickUp,
  pickUpCommand,
  randomPart,
  revokePermitCommand,
  timed,
  World,
  issueState,
  twoBatches,
} from '../testing';
import { decideRevokePermit } from '../party/revoke-permit.decide';
import { decideIssueManifest, type IssueManifestCommand } from './issue-manifest.decide';
import type { ManifestIssuedData } from './manifest.events';

const issueIn = (world: World, command: IssueManifestCommand) =>
  givenState(world).when((w) => decideIssueManifest(command, issueState(w, command), DEFAULT_OPTIONS));

/** The ManifestIssued (v4) of the fixture's manifest 1 (planned for 13:00), with the rest of its data. */
const manifest1Issued = (data: Omit<ManifestIssuedData, keyof typeof MANIFEST_1 | 'plannedAt'>) =>
  ({
    type: 'ManifestIssued',
    schemaVersion: 4,
    data: { ...MANIFEST_1, plannedAt: at('13:00'), ...data },
  }) as const;

/** GENERATOR's batches `a`, 400 kg of hazardous waste (900-249-08), and `b`, 30 t of construction muck. */
const hazardousAndMuck = () =>
  twoBatches(
    { massGrams: 400_000 },
    { category: 'construction', subtype: 'muck', wasteCode: undefined, massGrams: 30_000_000 },
  );
/** hazardousAndMuck and a third batch, 250 kg of 900-214-08 (random part 3). */
function withAThirdBatch(): { world: World; a: string; c: string } {
  const { world, a } = hazardousAndMuck();
  const g3 = generate(world, { randomPart: randomPart(3), massGrams: 250_000, wasteCode: '900-214-08' });
  return { world: g3.world, a, c: g3.traceCode };
}

describe('issue manifest (转移联单)', () => {
  it('given batches held by the shipper, when it issues, then ManifestIssued (lines sorted) and BatchConsigned on each batch', () => {
    const { world, a, c } = withAThirdBatch();
    const [first, second] = [a, c].sort();
    const line = (code: string) =>
      code === a
        ? { traceCode: a, category: 'hazardous' as const, wasteCode: '900-249-08', massGrams: 400_000 }
        : { traceCode: c, category: 'hazardous' as const, wasteCode: '900-214-08', massGrams: 250_000 };
    const common = { occurredAt: at('11:00'), late: false };
    issueIn(world, issueManifestCommand([{ traceCode: c }, { traceCode: a, massGrams: 400_000 }])).then({
      manifest: [
        manifest1Issued({
          lines: [line(first), line(second)],
          totalGrams: 650_000,
          hazardous: true,
          ...common,
        }),
      ],
      batches: [first, second].map((code) => ({
        traceCode: code,
        isNew: false,
        events: [
          {
            type: 'BatchConsigned' as const,
            schemaVersion: 1 as const,
            data: {
              traceCode: code,
              ...MANIFEST_1,
              massGrams: line(code).massGrams,
              ...common,
            },
          },
        ],
      })),
    });
  });

  it('given a batch held by the shipper, when it back-fills a paper manifest (纸质联单补录) weeks after, then ManifestIssued with paper: true and its real time', () => {
    const { world, c } = withAThirdBatch();
    const recordedAt = '2026-12-01T09:00:00+08:00';
    const command = issueManifestCommand([{ traceCode: c }], { paper: true, recordedAt });
    issueIn(world, command).then({
      manifest: [
        manifest1Issued({
          lines: [{ traceCode: c, category: 'hazardous', wasteCode: '900-214-08', massGrams: 250_000 }],
          totalGrams: 250_000,
          hazardous: true,
          paper: true,
          occurredAt: at('11:00'),
          late: true,
        }),
      ],
      batches: [
        {
          traceCode: c,
          isNew: false,
          events: [
            {
              type: 'BatchConsigned',
              schemaVersion: 1,
              data: {
                traceCode: c,
                ...MANIFEST_1,
                massGrams: 250_000,
                occurredAt: at('11:00'),
                late: true,
              },
            },
          ],
        },
      ],
    });
    issueIn(
      world,
      issueManifestCommand([{ traceCode: c }], { paper: 'yes' as unknown as boolean }),
    ).thenThrows(InvalidValue, { field: 'paper' });
  });

  it('given a hazardous and a construction batch held by the shipper, when it issues one manifest of both, then ManifestMixesCategories (one manifest, one category)', () => {
    const { world, a, b } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: b }, { traceCode: a }])).thenThrows(
      ManifestMixesCategories,
      { field: 'lines', categories: ['construction', 'hazardous'] },
    );
    // a stranger holding neither learns nothing of their categories: who may act comes first
    issueIn(
      world,
      issueManifestCommand([{ traceCode: b }, { traceCode: a }], { actorUscc: OTHER_GENERATOR }),
    ).thenThrows(NotCustodian);
  });

  it('locks the batches: a consigned batch cannot go on another manifest (BatchOnOpenManifest) nor one in transit (BatchInTransit)', () => {
    const { world, a } = hazardousAndMuck();
    const w = issue(world, issueManifestCommand([{ traceCode: a }]));
    issueIn(w, issueManifestCommand([{ traceCode: a }], { manifestNo: manifestNo(2) })).thenThrows(
      BatchOnOpenManifest,
    );
    issueIn(
      pickUp(w, pickUpCommand()),
      issueManifestCommand([{ traceCode: a }], { manifestNo: manifestNo(2), ...timed('14:00') }),
    ).thenThrows(BatchInTransit);
  });

  it('refuses a number already used (ManifestAlreadyExists)', () => {
    const { world, a, b } = hazardousAndMuck();
    issueIn(
      issue(world, issueManifestCommand([{ traceCode: a }])),
      issueManifestCommand([{ traceCode: b }]),
    ).thenThrows(ManifestAlreadyExists);
  });

  it('refuses lines the shipper does not hold (NotCustodian), unknown ones alike (NotCustodian naming the line), empty (BatchDepleted)', () => {
    const { world, a } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: a }], { actorUscc: OTHER_GENERATOR })).thenThrows(
      NotCustodian,
    );
    issueIn(
      world,
      issueManifestCommand([{ traceCode: generate(baseWorld(), { randomPart: randomPart(9) }).traceCode }]),
    ).thenThrows(NotCustodian, { field: 'lines[0].traceCode' });
    const depleted = world.apply([
      { type: 'WasteUtilised', schemaVersion: 4, data: { ...treated(world, a), remainingGrams: 0 } },
    ]);
    issueIn(depleted, issueManifestCommand([{ traceCode: a }], timed('12:00'))).thenThrows(BatchDepleted);
  });

  it('ships whole batches only (ManifestLineMassMismatch) and refuses duplicate or no lines', () => {
    const { world, a } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: a, massGrams: 300_000 }])).thenThrows(
      ManifestLineMassMismatch,
      { heldGrams: 400_000 },
    );
    issueIn(world, issueManifestCommand([{ traceCode: a }, { traceCode: a.toLowerCase() }])).thenThrows(
      DuplicateLine,
    );
    issueIn(world, issueManifestCommand([])).thenThrows(InvalidValue);
  });

  it('requires the carrier role of the carrier (CarrierRoleRequired), for every category', () => {
    const { world, b } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: b }], { carrierUscc: OTHER_GENERATOR })).thenThrows(
      CarrierRoleRequired,
    );
    // a collector that also carries may carry
    expect(() =>
      issueIn(world, issueManifestCommand([{ traceCode: b }], { carrierUscc: COLLECTOR })).result(),
    ).not.toThrow();
  });

  it('requires a receiver or collector (ReceiverRoleRequired) other than the shipper (ShipperIsReceiver), registered (PartyNotFound)', () => {
    const { world, b } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: b }], { receiverUscc: OTHER_GENERATOR })).thenThrows(
      ReceiverRoleRequired,
    );
    issueIn(world, issueManifestCommand([{ traceCode: b }], { receiverUscc: GENERATOR })).thenThrows(
      ShipperIsReceiver,
    );
    issueIn(world, issueManifestCommand([{ traceCode: b }], { receiverUscc: STRANGER })).thenThrows(
      PartyNotFound,
      { field: 'receiverUscc' },
    );
    issueIn(world, issueManifestCommand([{ traceCode: b }], { carrierUscc: STRANGER })).thenThrows(
      PartyNotFound,
      { field: 'carrierUscc' },
    );
  });

  it('checks who may act before what the manifest may be: a party holding none of the batches is NotCustodian (403), even naming itself as receiver', () => {
    const { world, b } = hazardousAndMuck();
    issueIn(
      world,
      issueManifestCommand([{ traceCode: b }], { actorUscc: RECEIVER, receiverUscc: RECEIVER }),
    ).thenThrows(NotCustodian, { traceCode: b, actorUscc: RECEIVER });
    issueIn(
      world,
      issueManifestCommand([{ traceCode: b }], { actorUscc: RECEIVER, carrierUscc: OTHER_GENERATOR }),
    ).thenThrows(NotCustodian);
  });

  it("for hazardous waste requires the receiver's permit valid at that time and covering the code", () => {
    const { world, a, b } = hazardousAndMuck();
    const noPermit = world.apply(aRegisteredReceiver({ uscc: STRANGER, permit: false }));
    issueIn(noPermit, issueManifestCommand([{ traceCode: a }], { receiverUscc: STRANGER })).thenThrows(
      NoPermit,
    );
    // non-hazardous waste needs no permit
    expect(() =>
      issueIn(noPermit, issueManifestCommand([{ traceCode: b }], { receiverUscc: STRANGER })).result(),
    ).not.toThrow();
    const otherCode = world.apply(
      aRegisteredReceiver({ uscc: STRANGER, permit: { hwCategories: ['HW49'], wasteCodes: [] } }),
    );
    issueIn(otherCode, issueManifestCommand([{ traceCode: a }], { receiverUscc: STRANGER })).thenThrows(
      PermitDoesNotCoverWaste,
    );
    const expired = world.apply(
      aRegisteredReceiver({ uscc: STRANGER, permit: { validFrom: '2024-01-01', validTo: '2025-03-02' } }),
    );
    issueIn(expired, issueManifestCommand([{ traceCode: a }], { receiverUscc: STRANGER })).thenThrows(
      PermitNotValid,
    );
  });

  it('given the receiver’s permit revoked at 11:00:01, when a manifest dated 11:00 is recorded at 11:00:03, then it is issued only as a late entry naming the lapse (permits judged twice)', () => {
    const { world, a } = hazardousAndMuck();
    const revoke = revokePermitCommand({ occurredAt: at('11:00:01'), recordedAt: at('11:00:01') });
    const revoked = world.apply(decideRevokePermit(revoke, world.party(RECEIVER)));
    const result = issueIn(
      revoked,
      issueManifestCommand([{ traceCode: a }], { occurredAt: at('11:00'), recordedAt: at('11:00:03') }),
    ).result();
    const [issued] = result.manifest;
    if (issued.type !== 'ManifestIssued') throw new Error(issued.type);
    expect(issued.data.late).toBe(true);
    expect(issued.data.permitLapse).toMatchObject({ permitNo: '3301000001', how: 'revoked' });
    expect(result.batches[0].events[0].data.late).toBe(true);
  });

  it('refuses a number not allocated in the shipper city (ManifestNumberMismatch) or malformed (InvalidManifestNumber)', () => {
    const { world, a } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: a }], { manifestNo: '20253302000001' })).thenThrows(
      ManifestNumberMismatch,
    );
    issueIn(world, issueManifestCommand([{ traceCode: a }], { manifestNo: '2025330100001' })).thenThrows(
      InvalidManifestNumber,
    );
  });

  it('refuses an issue dated before the shipper held the batch (OccurredOutOfOrder) and a malformed plannedAt', () => {
    const { world, a } = hazardousAndMuck();
    issueIn(world, issueManifestCommand([{ traceCode: a }], timed('08:30'))).thenThrows(OccurredOutOfOrder);
    issueIn(world, issueManifestCommand([{ traceCode: a }], { plannedAt: 'tomorrow' })).thenThrows(
      InvalidTimestamp,
      { field: 'plannedAt' },
    );
  });

  it('lets a registered party with several roles act in each', () => {
    const w = baseWorld().apply(aRegisteredParty(STRANGER, ['generator', 'carrier'], '330102'));
    const g = generate(w, {
      actorUscc: STRANGER,
      category: 'household',
      subtype: 'perishable',
      wasteCode: undefined,
    });
    expect(() =>
      issueIn(
        g.world,
        issueManifestCommand([{ traceCode: g.traceCode }], { actorUscc: STRANGER, carrierUscc: STRANGER }),
      ).result(),
    ).not.toThrow();
  });
});

function treated(world: World, code: string) {
  const b = world.batch(code);
  if (b.status === 'none') throw new Error('no batch');
  return {
    traceCode: code,
    custodianUscc: GENERATOR,
    operation: 'R9' as const,
    mode: 'utilisation' as const,
    massGrams: b.heldGrams,
    composition: b.composition,
    occurredAt: at('10:00'),
    late: false,
  };
}
