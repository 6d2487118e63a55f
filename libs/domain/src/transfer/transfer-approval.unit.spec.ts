import {
  TransferApprovalAlreadyGranted,
  TransferApprovalExceeded,
  TransferApprovalNotApplicable,
  TransferApprovalNotCovering,
  TransferApprovalNotValid,
  TransferApprovalOutsideProvince,
  TransferApprovalRequired,
  TransferApprovalSameProvince,
  TransferApprovalUnknown,
  TransferApprovalValidityTooLong,
  InvalidTransferApprovalNo,
} from '../errors';
import { upcast } from '../events/decode-event';
import { domainEvent } from '../events/event-catalogue';
import { decideIssueManifest } from '../manifest/issue-manifest.decide';
import { decideReceiveManifest } from '../manifest/receive-manifest.decide';
import { decideGrantPermit } from '../party/grant-permit.decide';
import {
  aRegisteredParty,
  baseWorld,
  DEFAULT_OPTIONS,
  fixtureCatalogue,
  generate,
  GENERATOR,
  MANIFEST_1,
  givenState,
  grantPermitCommand,
  issue,
  issueManifestCommand,
  manifestNo,
  OTHER_GENERATOR,
  partyOf,
  pickUp,
  pickUpCommand,
  randomPart,
  receive,
  receiveCommand,
  RECEIVER,
  timed,
  World,
  issueState,
} from '../testing';
import { composeUscc } from '../values/uscc';
import {
  decideGrantTransferApproval,
  latestValidityEndMs,
  type GrantTransferApprovalCommand,
} from './grant-transfer-approval.decide';
import { decideTransferApprovalDraw } from './transfer-approval.rules';
import { stepTransferApproval, initialTransferApprovalState } from './transfer-approval.state';

/** A receiver in Kunshan, Jiangsu (province 32): another province than the Hangzhou shipper's (33). */
const JIANGSU_RECEIVER = composeUscc('91320583MA2REC009');
const OTHER_JIANGSU_RECEIVER = composeUscc('91320583MA2REC010');
const ZHEJIANG = { tokenId: 'tok-zj', districts: ['33'], categories: ['hazardous'] };
const APPROVAL = '浙环危转〔2025〕12号';

function jiangsuReceiver(uscc: string) {
  const registered = aRegisteredParty(uscc, ['receiver'], '320583');
  return [
    ...registered,
    ...decideGrantPermit(
      grantPermitCommand({ uscc, permitNo: '3205830001' }),
      partyOf(registered),
      DEFAULT_OPTIONS,
    ),
  ];
}

/** The base world (Hangzhou generators, carrier, receiver) and two receivers in Jiangsu. */
function crossProvinceWorld(): World {
  return baseWorld().apply([
    ...jiangsuReceiver(JIANGSU_RECEIVER),
    ...jiangsuReceiver(OTHER_JIANGSU_RECEIVER),
  ]);
}

function grantCommand(o: Partial<GrantTransferApprovalCommand> = {}): GrantTransferApprovalCommand {
  return {
    approvalNo: APPROVAL,
    shipperUscc: GENERATOR,
    receiverUscc: JIANGSU_RECEIVER,
    wasteCodes: ['900-249-08'],
    approvedGrams: 1_500_000,
    validFrom: '2025-03-01',
    validTo: '2026-02-28',
    regulator: ZHEJIANG,
    ...timed('08:30'),
    ...o,
  };
}

const decideGrant = (w: World, c: GrantTransferApprovalCommand) =>
  decideGrantTransferApproval(
    c,
    {
      approval: w.transferApproval(c.approvalNo),
      shipper: w.party(c.shipperUscc),
      receiver: w.party(c.receiverUscc),
    },
    DEFAULT_OPTIONS,
  );

function granted(w = crossProvinceWorld(), o: Partial<GrantTransferApprovalCommand> = {}): World {
  return w.apply(decideGrant(w, grantCommand(o)));
}

/** A batch of `grams` waste mineral oil (900-249-08) from GENERATOR. */
function batch(w: World, n: number, grams = 1_000_000, wasteCode = '900-249-08') {
  return generate(w, { randomPart: randomPart(n), massGrams: grams, wasteCode });
}

/** given `world`, when `command` is issued, then … */
const issuing = (world: World, command: ReturnType<typeof issueManifestCommand>) =>
  givenState(world).when((w) => decideIssueManifest(command, issueState(w, command), DEFAULT_OPTIONS));

/** Manifest 1 of `traceCode` from GENERATOR to the Jiangsu receiver under the approval (11:00). */
const underApproval = (traceCode: string, o: Partial<ReturnType<typeof issueManifestCommand>> = {}) =>
  issueManifestCommand([{ traceCode }], {
    receiverUscc: JIANGSU_RECEIVER,
    transferApprovalNo: APPROVAL,
    ...o,
  });

/** Issued under the approval (11:00) and picked up (13:00): the world and the receipt of all of it (15:00). */
function pickedUp(w: World, serial: number, traceCode: string, grams: number) {
  const no = manifestNo(serial);
  let world = issue(w, underApproval(traceCode, { manifestNo: no }));
  world = pickUp(world, pickUpCommand({ manifestNo: no }));
  const receipt = receiveCommand([{ traceCode, receivedGrams: grams, acceptedGrams: grams }], {
    manifestNo: no,
    actorUscc: JIANGSU_RECEIVER,
  });
  return { world, receipt };
}

const drawOf = (w: World, receipt: ReturnType<typeof receiveCommand>) => {
  const manifest = w.manifest(receipt.manifestNo);
  const [received] = decideReceiveManifest(receipt, { manifest, receiver: w.party(receipt.actorUscc) });
  if (received.type !== 'ManifestReceived') throw new Error('no receipt');
  return decideTransferApprovalDraw(received, { manifest, approval: w.transferApproval(APPROVAL) });
};

describe('cross-province transfer approvals (跨省转移审批): granting', () => {
  it('given a shipper in Zhejiang and a receiver in Jiangsu, when the Zhejiang regulator approves 1,500 kg of 900-249-08 for 12 months, then TransferApprovalGranted', () => {
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ wasteCodes: ['900-249-08', '900-214-08', '900-249-08'] })))
      .then([
        domainEvent('TransferApprovalGranted', {
          approvalNo: APPROVAL,
          shipperUscc: GENERATOR,
          shipperDistrictCode: '330106',
          receiverUscc: JIANGSU_RECEIVER,
          receiverDistrictCode: '320583',
          wasteCodes: ['900-214-08', '900-249-08'],
          approvedGrams: 1_500_000,
          validFrom: '2025-03-01',
          validTo: '2026-02-28',
          regulator: ZHEJIANG,
          catalogueEdition: fixtureCatalogue().edition,
          occurredAt: timed('08:30').occurredAt,
          late: false,
        }),
      ]);
  });

  it('given a Hangzhou (city) regulator, or the receiver’s province’s, when either approves, then transfer-approval-outside-province', () => {
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ regulator: { ...ZHEJIANG, districts: ['3301'] } })))
      .thenThrows(TransferApprovalOutsideProvince, { provinceCode: '33', districts: ['3301'] });
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ regulator: { ...ZHEJIANG, districts: ['32'] } })))
      .thenThrows(TransferApprovalOutsideProvince, { provinceCode: '33' });
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ regulator: { ...ZHEJIANG, categories: ['industrial'] } })))
      .thenThrows(TransferApprovalOutsideProvince);
  });

  it('when the validity runs longer than 12 months, then transfer-approval-validity-exceeded (12 months to the day is allowed)', () => {
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ validTo: '2026-03-01' })))
      .thenThrows(TransferApprovalValidityTooLong, { latestValidTo: '2026-02-28T23:59:59.999+08:00' });
    expect(latestValidityEndMs(Date.parse('2024-02-29T00:00:00+08:00'))).toBe(
      Date.parse('2025-03-01T00:00:00+08:00'),
    );
  });

  it('when the receiver is in the shipper’s own province, then transfer-approval-same-province', () => {
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ receiverUscc: RECEIVER })))
      .thenThrows(TransferApprovalSameProvince, { provinceCode: '33' });
  });

  it('given an approval of that number, when it is granted again, then transfer-approval-already-granted', () => {
    givenState(granted())
      .when((w) => decideGrant(w, grantCommand()))
      .thenThrows(TransferApprovalAlreadyGranted);
  });

  it('an approval number with a slash or a space is refused (it is a path segment)', () => {
    givenState(crossProvinceWorld())
      .when((w) => decideGrant(w, grantCommand({ approvalNo: 'a/b' })))
      .thenThrows(InvalidTransferApprovalNo);
  });
});

describe('cross-province transfer approvals (跨省转移审批): manifests', () => {
  it('given no approval, when hazardous waste is sent to Jiangsu, then transfer-approval-required', () => {
    const g = batch(crossProvinceWorld(), 1);
    issuing(
      g.world,
      issueManifestCommand([{ traceCode: g.traceCode }], { receiverUscc: JIANGSU_RECEIVER }),
    ).thenThrows(TransferApprovalRequired, { shipperProvince: '33', receiverProvince: '32' });
  });

  it('given an approval of another shipper, or none of that number, then transfer-approval-unknown (the same answer)', () => {
    const w0 = granted(crossProvinceWorld(), { shipperUscc: OTHER_GENERATOR });
    const g = batch(w0, 1);
    const command = underApproval(g.traceCode);
    issuing(g.world, command).thenThrows(TransferApprovalUnknown, {
      approvalNo: APPROVAL,
      shipperUscc: GENERATOR,
    });
    issuing(g.world, { ...command, transferApprovalNo: '浙环危转〔2025〕99号' }).thenThrows(
      TransferApprovalUnknown,
    );
  });

  it('given an approval for another receiver, or other codes, then transfer-approval-not-covering', () => {
    const g = batch(granted(), 1, 1_000_000, '900-214-08');
    issuing(g.world, underApproval(g.traceCode)).thenThrows(TransferApprovalNotCovering, {
      reason: 'wasteCode',
      value: '900-214-08',
    });
    const h = batch(granted(), 1);
    issuing(h.world, underApproval(h.traceCode, { receiverUscc: OTHER_JIANGSU_RECEIVER })).thenThrows(
      TransferApprovalNotCovering,
      { reason: 'receiver', field: 'receiverUscc' },
    );
  });

  it('given an approval valid until yesterday, when a manifest is issued under it, then transfer-approval-not-valid', () => {
    const g = batch(granted(crossProvinceWorld(), { validFrom: '2025-01-01', validTo: '2025-03-02' }), 1);
    issuing(g.world, underApproval(g.traceCode)).thenThrows(TransferApprovalNotValid, {
      validTo: '2025-03-02',
    });
  });

  it('given 1,500 kg approved, when a 2,000 kg manifest is issued under it, then transfer-approval-exceeded at issue', () => {
    const g = batch(granted(), 1, 2_000_000);
    issuing(g.world, underApproval(g.traceCode)).thenThrows(TransferApprovalExceeded, {
      at: 'issue',
      approvedKg: 1500,
      remainingKg: 1500,
      requestedKg: 2000,
    });
  });

  it('given an approval, when a covered manifest is issued under it, then ManifestIssued names the approval', () => {
    const g = batch(granted(), 1);
    issuing(g.world, underApproval(g.traceCode)).thenAssert(({ manifest: [issued] }) => {
      expect(issued.schemaVersion).toBe(4);
      expect(issued.data).toMatchObject({ receiverUscc: JIANGSU_RECEIVER, transferApprovalNo: APPROVAL });
    });
  });

  it('a manifest within the province needs nothing, and naming an approval on it is transfer-approval-not-applicable', () => {
    const g = batch(granted(), 1);
    issuing(g.world, issueManifestCommand([{ traceCode: g.traceCode }])).thenAssert(
      ({ manifest: [issued] }) => expect(issued.data).not.toHaveProperty('transferApprovalNo'),
    );
    issuing(
      g.world,
      issueManifestCommand([{ traceCode: g.traceCode }], { transferApprovalNo: APPROVAL }),
    ).thenThrows(TransferApprovalNotApplicable);
  });

  it('non-hazardous waste to another province needs no approval', () => {
    const g = generate(crossProvinceWorld(), {
      randomPart: randomPart(1),
      category: 'industrial',
      subtype: 'slag',
      wasteCode: undefined,
    });
    issuing(
      g.world,
      issueManifestCommand([{ traceCode: g.traceCode }], { receiverUscc: JIANGSU_RECEIVER }),
    ).thenAssert(({ manifest: [issued] }) => expect(issued.data).toMatchObject({ hazardous: false }));
  });
});

describe('cross-province transfer approvals (跨省转移审批): receipts draw on them', () => {
  it('given a manifest of 1,000 kg under a 1,500 kg approval, when 900 kg are accepted, then TransferApprovalDrawn of 900 kg and 600 kg remain', () => {
    const g = batch(granted(), 1);
    const { world, receipt } = pickedUp(g.world, 1, g.traceCode, 1_000_000);
    const partial = {
      ...receipt,
      lines: [{ ...receipt.lines[0], receivedGrams: 1_000_000, acceptedGrams: 900_000, reason: '含水超标' }],
    };
    const [drawn] = givenState(world)
      .when((w) => drawOf(w, partial))
      .then([
        domainEvent('TransferApprovalDrawn', {
          approvalNo: APPROVAL,
          shipperUscc: GENERATOR,
          shipperDistrictCode: '330106',
          receiverUscc: JIANGSU_RECEIVER,
          receiverDistrictCode: '320583',
          manifestNo: manifestNo(1),
          grams: 900_000,
          drawnGramsAfter: 900_000,
          approvedGrams: 1_500_000,
          occurredAt: partial.occurredAt,
          late: false,
        }),
      ]);
    const after = world.apply([drawn]).transferApproval(APPROVAL);
    expect(after).toMatchObject({ drawnGrams: 900_000, manifests: [manifestNo(1)] });
  });

  it('given two manifests issued while enough was left, when the second receipt would draw beyond the approved mass, then transfer-approval-exceeded at receipt', () => {
    const a = batch(granted(), 1);
    const b = batch(a.world, 2);
    // both issued while 1,500 kg were left: each 1,000 kg fits then
    const first = pickedUp(b.world, 1, a.traceCode, 1_000_000);
    const second = pickedUp(first.world, 2, b.traceCode, 1_000_000);
    const afterFirst = receive(second.world, first.receipt);
    expect(afterFirst.transferApproval(APPROVAL)).toMatchObject({ drawnGrams: 1_000_000 });
    givenState(afterFirst)
      .when((w) => drawOf(w, second.receipt))
      .thenThrows(TransferApprovalExceeded, {
        at: 'receipt',
        drawnKg: 1000,
        requestedKg: 1000,
        remainingKg: 500,
      });
  });

  it('a manifest within the province draws on no approval', () => {
    const g = batch(granted(), 1);
    const w = issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }]));
    const p = pickUp(w, pickUpCommand());
    givenState(p)
      .when((world) =>
        drawOf(
          world,
          receiveCommand([{ traceCode: g.traceCode, receivedGrams: 1_000_000, acceptedGrams: 1_000_000 }]),
        ),
      )
      .then([]);
  });
});

describe('cross-province transfer approvals: the stream folds totally, and old manifests replay', () => {
  it('a draw on no approval, or one that does not follow the last, does not fit', () => {
    const draw = domainEvent('TransferApprovalDrawn', {
      approvalNo: APPROVAL,
      shipperUscc: GENERATOR,
      shipperDistrictCode: '330106',
      receiverUscc: JIANGSU_RECEIVER,
      receiverDistrictCode: '320583',
      manifestNo: manifestNo(1),
      grams: 1000,
      drawnGramsAfter: 2000,
      approvedGrams: 1_500_000,
      occurredAt: timed('15:00').occurredAt,
      late: false,
    });
    expect(stepTransferApproval(initialTransferApprovalState, draw).problems).toHaveLength(1);
    const approval = granted().transferApproval(APPROVAL);
    const step = stepTransferApproval(approval, draw);
    expect(step.problems).toHaveLength(1);
    expect(step.state).toBe(approval);
  });

  it('ManifestIssued v3 (no approval) upcasts to v4 unchanged', () => {
    const v3 = {
      ...MANIFEST_1,
      plannedAt: '2025-03-03T13:00:00+08:00',
      lines: [],
      totalGrams: 0,
      hazardous: false,
      paper: true,
      occurredAt: timed('11:00').occurredAt,
      late: false,
    };
    expect(upcast('ManifestIssued', 3, v3)).toEqual({ type: 'ManifestIssued', schemaVersion: 4, data: v3 });
  });
});
