import {
  AcceptedExceedsReceived,
  BatchAlreadyExists,
  DuplicateLine,
  InvalidValue,
  ManifestAlreadyCancelled,
  ManifestAlreadyReceived,
  ManifestNotPickedUp,
  NotManifestReceiver,
  OccurredOutOfOrder,
  PermitNotValid,
  ReceiptLinesMismatch,
  ReceivedExceedsShipped,
  RejectionReasonRequired,
} from '../errors';
import {
  CARRIER,
  MANIFEST_1,
  RECEIVER,
  at,
  cancel,
  givenState,
  manifestNo,
  pickUp,
  pickUpCommand,
  receive,
  receiveCommand,
  revokePermitCommand,
  timed,
  twoBatchesIssued,
  type World,
  oneBatchIssued,
} from '../testing';
import { decodeEvent } from '../events/decode-event';
import { childTraceCode } from '../values/trace-code';
import { decideRevokePermit } from '../party/revoke-permit.decide';
import { decideReceiveManifest, type ReceiveManifestCommand } from './receive-manifest.decide';

/**
 * Two hazardous HW08 batches on one manifest (a manifest carries one category), picked up: `a` of 1000 kg,
 * `b` of 2000 kg; `inFull`, the receipt lines accepting both whole.
 */
function pickedUp() {
  const { world, a, b } = twoBatchesIssued({}, { wasteCode: '900-214-08', massGrams: 2_000_000 });
  const inFull = [
    { traceCode: a, receivedGrams: 1_000_000, acceptedGrams: 1_000_000 },
    { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 2_000_000 },
  ];
  return { world: pickUp(world, pickUpCommand()), a, b, inFull };
}
const receiveIn = (world: World, command: ReceiveManifestCommand, tolerance?: number) =>
  givenState(world).when((w) =>
    decideReceiveManifest(
      command,
      { manifest: w.manifest(command.manifestNo), receiver: w.party(command.actorUscc) },
      { discrepancyTolerance: tolerance },
    ),
  );

/** The receiver's receipt of `lines` (at the fixture's time), in `world`. */
const receivingLines = (world: World, lines: Parameters<typeof receiveCommand>[0]) =>
  receiveIn(world, receiveCommand(lines));

describe('receive', () => {
  it('given a picked-up manifest, when a line is partly rejected with a return code already in use or without a random part, then BatchAlreadyExists / InvalidValue', () => {
    const { world, a, b } = pickedUp();
    const partial = (returnRandomPart?: string) =>
      decideReceiveManifest(
        {
          ...receiveCommand([
            { traceCode: a, receivedGrams: 1_000_000, acceptedGrams: 1_000_000 },
            { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 1_000_000, reason: '含水率超标' },
          ]),
          lines: [
            { traceCode: a, receivedGrams: 1_000_000, acceptedGrams: 1_000_000 },
            {
              traceCode: b,
              receivedGrams: 2_000_000,
              acceptedGrams: 1_000_000,
              reason: '含水率超标',
              returnRandomPart,
            },
          ],
        },
        {
          manifest: world.manifest(manifestNo(1)),
          receiver: world.party(RECEIVER),
          returns: new Map([[childTraceCode(b, 'TAKEN000'), world.batch(a)]]),
        },
      );
    expect(() => partial('TAKEN000')).toThrow(BatchAlreadyExists);
    expect(() => partial(b.slice(13, 21))).toThrow(BatchAlreadyExists);
    expect(() => partial(undefined)).toThrow(InvalidValue);
    const [e] = partial('FREE0000');
    expect(e.type === 'ManifestReceived' && e.data.lines.map((l) => l.returnTraceCode)).toEqual([
      undefined,
      childTraceCode(b, 'FREE0000'),
    ]);
  });

  it('given a picked-up manifest, when the receiver weighs each line, then ManifestReceived with lost, rejected, outcome and discrepancy per line', () => {
    const { world, a, b } = pickedUp();
    const lines = {
      [a]: {
        traceCode: a,
        shippedGrams: 1_000_000,
        receivedGrams: 940_000,
        acceptedGrams: 940_000,
        rejectedGrams: 0,
        lostGrams: 60_000,
        outcome: 'accepted' as const,
        discrepancy: true,
      },
      [b]: {
        traceCode: b,
        shippedGrams: 2_000_000,
        receivedGrams: 1_990_000,
        acceptedGrams: 1_500_000,
        rejectedGrams: 490_000,
        lostGrams: 10_000,
        outcome: 'partial' as const,
        reason: '含水率超标',
        discrepancy: false,
        // the child taking the rejected mass back: b's prefix + the line's random part (22 characters)
        returnTraceCode: childTraceCode(b, 'RET0RN00'),
      },
    };
    receivingLines(world, [
      {
        traceCode: b,
        receivedGrams: 1_990_000,
        acceptedGrams: 1_500_000,
        reason: '含水率超标',
        returnRandomPart: 'RET0RN00',
      },
      { traceCode: a, receivedGrams: 940_000, acceptedGrams: 940_000 },
    ]).then([
      {
        type: 'ManifestReceived',
        schemaVersion: 5,
        data: {
          ...MANIFEST_1,
          lines: [a, b].sort().map((c) => lines[c]),
          tolerance: 0.05,
          occurredAt: at('15:00'),
          late: false,
        },
      },
    ]);
  });

  it('given a picked-up manifest, when a line arrives with 0 kg received, then its outcome is lost (not accepted) and its whole mass lost in transit', () => {
    const { world, a, b } = pickedUp();
    const [e] = receivingLines(world, [
      { traceCode: a, receivedGrams: 0, acceptedGrams: 0 },
      { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 2_000_000 },
    ]).result();
    if (e.type !== 'ManifestReceived') throw new Error(e.type);
    expect(e.data.lines.find((l) => l.traceCode === a)).toMatchObject({
      receivedGrams: 0,
      acceptedGrams: 0,
      rejectedGrams: 0,
      lostGrams: 1_000_000,
      outcome: 'lost',
      discrepancy: true,
    });
    expect(e.data.lines.find((l) => l.traceCode === b)?.outcome).toBe('accepted');
  });

  it('reads a stored version 1 receipt with a line of 0 kg received as lost (version 1 labelled it accepted)', () => {
    const line = (traceCode: string, receivedGrams: number) => ({
      traceCode,
      shippedGrams: 1_000,
      receivedGrams,
      acceptedGrams: receivedGrams,
      rejectedGrams: 0,
      lostGrams: 1_000 - receivedGrams,
      outcome: 'accepted',
      discrepancy: receivedGrams === 0,
    });
    const v1 = {
      ...MANIFEST_1,
      lines: [line('A', 0), line('B', 1_000)],
      tolerance: 0.05,
      occurredAt: at('15:00'),
      late: false,
    };
    const decoded = decodeEvent({ type: 'ManifestReceived', schemaVersion: 1, data: v1 });
    expect(decoded.schemaVersion).toBe(5);
    expect(decoded.type === 'ManifestReceived' && decoded.data.lines.map((l) => l.outcome)).toEqual([
      'lost',
      'accepted',
    ]);
  });

  it('given a handler, when the receiver records the receipt, then ManifestReceived v5 names them by reference only; a name is refused', () => {
    const { world, inFull: lines } = pickedUp();
    const handlerPersonId = `p-${'b'.repeat(32)}`;
    const [event] = receiveIn(world, receiveCommand(lines, { handlerPersonId })).result();
    expect(event).toMatchObject({ type: 'ManifestReceived', schemaVersion: 5, data: { handlerPersonId } });
    const [without] = receiveIn(world, receiveCommand(lines)).result();
    expect(without.data).not.toHaveProperty('handlerPersonId');
    receiveIn(world, receiveCommand(lines, { handlerPersonId: '王经办' })).thenThrows(InvalidValue, {
      field: 'handlerPersonId',
    });
  });

  it.each([2, 3, 4])(
    'reads a stored version %i receipt as version 5 unchanged, without a handler',
    (version) => {
      const v = {
        ...MANIFEST_1,
        lines: [
          {
            traceCode: 'A',
            shippedGrams: 1_000,
            receivedGrams: 1_000,
            acceptedGrams: 1_000,
            rejectedGrams: 0,
            lostGrams: 0,
            outcome: 'accepted',
            discrepancy: false,
          },
        ],
        tolerance: 0.05,
        occurredAt: at('15:00'),
        late: false,
      };
      expect(decodeEvent({ type: 'ManifestReceived', schemaVersion: version, data: v })).toEqual({
        type: 'ManifestReceived',
        schemaVersion: 5,
        data: v,
      });
    },
  );

  it('a full rejection is outcome rejected; a discrepancy is beyond the tolerance only', () => {
    const { world, a, b } = pickedUp();
    const [e] = receiveIn(
      world,
      receiveCommand([
        { traceCode: a, receivedGrams: 950_000, acceptedGrams: 0, reason: '包装破损' },
        { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 2_000_000 },
      ]),
      0.05,
    ).result();
    expect(e.type === 'ManifestReceived' && e.data.lines.map((l) => [l.outcome, l.discrepancy])).toEqual(
      [a, b].sort().map((c) => (c === a ? ['rejected', false] : ['accepted', false])),
    );
    const [tight] = receiveIn(
      world,
      receiveCommand([
        { traceCode: a, receivedGrams: 950_000, acceptedGrams: 950_000 },
        { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 2_000_000 },
      ]),
      0.01,
    ).result();
    expect(
      tight.type === 'ManifestReceived' && tight.data.lines.find((l) => l.traceCode === a)?.discrepancy,
    ).toBe(true);
  });

  it.each([
    [
      'received more than shipped',
      { receivedGrams: 1_000_001, acceptedGrams: 0, reason: 'x' },
      ReceivedExceedsShipped,
    ],
    ['accepted more than received', { receivedGrams: 10, acceptedGrams: 11 }, AcceptedExceedsReceived],
  ])('can only lose mass, never create it: %s', (_, lineOfA, error) => {
    const { world, a, b } = pickedUp();
    receivingLines(world, [
      { traceCode: a, ...lineOfA },
      { traceCode: b, receivedGrams: 1, acceptedGrams: 1 },
    ]).thenThrows(error);
  });

  it('needs a reason when rejecting (RejectionReasonRequired) and exactly the manifest lines (ReceiptLinesMismatch, DuplicateLine)', () => {
    const { world, a, b } = pickedUp();
    receivingLines(world, [
      { traceCode: b, receivedGrams: 1, acceptedGrams: 1 },
      { traceCode: a, receivedGrams: 10, acceptedGrams: 5 },
    ]).thenThrows(RejectionReasonRequired, {
      // the field of the request (its second line), not of the event's lines sorted by code
      field: 'lines[1].reason',
      traceCode: a,
    });
    receivingLines(world, [{ traceCode: a, receivedGrams: 10, acceptedGrams: 10 }]).thenThrows(
      ReceiptLinesMismatch,
      { missing: [b], unexpected: [] },
    );
    receivingLines(world, [
      { traceCode: a, receivedGrams: 10, acceptedGrams: 10 },
      { traceCode: a, receivedGrams: 10, acceptedGrams: 10 },
    ]).thenThrows(DuplicateLine);
  });

  it('only by the receiver it is addressed to (NotManifestReceiver)', () => {
    const { world, a, b } = pickedUp();
    receiveIn(
      world,
      receiveCommand(
        [
          { traceCode: a, receivedGrams: 1, acceptedGrams: 1 },
          { traceCode: b, receivedGrams: 1, acceptedGrams: 1 },
        ],
        { actorUscc: CARRIER },
      ),
    ).thenThrows(NotManifestReceiver);
  });

  it('only once, after pickup, not after cancellation', () => {
    const { world, inFull } = pickedUp();
    const full = receiveCommand(inFull);
    receiveIn(receive(world, full), receiveCommand(full.lines, timed('16:00'))).thenThrows(
      ManifestAlreadyReceived,
    );
    const { world: onlyIssued, code } = oneBatchIssued();
    const line = [{ traceCode: code, receivedGrams: 1, acceptedGrams: 1 }];
    receiveIn(onlyIssued, receiveCommand(line)).thenThrows(ManifestNotPickedUp);
    receiveIn(cancel(onlyIssued), receiveCommand(line)).thenThrows(ManifestAlreadyCancelled);
    receiveIn(world, receiveCommand(full.lines, timed('12:59'))).thenThrows(OccurredOutOfOrder);
  });

  it('given the receiver’s permit revoked at 15:00:01, when a receipt dated 15:00 is recorded at 15:00:03, then it is accepted only as a late entry naming the lapse (permits judged twice)', () => {
    const { world, inFull } = pickedUp();
    const revoke = revokePermitCommand({ occurredAt: at('15:00:01'), recordedAt: at('15:00:01') });
    const revoked = world.apply(decideRevokePermit(revoke, world.party(RECEIVER)));
    const [e] = receiveIn(
      revoked,
      receiveCommand(inFull, { occurredAt: at('15:00'), recordedAt: at('15:00:03') }),
    ).result();
    if (e.type !== 'ManifestReceived') throw new Error(e.type);
    expect(e.data.late).toBe(true);
    expect(e.data.permitLapse).toMatchObject({
      permitNo: '3301000001',
      how: 'revoked',
      lapsedAt: at('15:00:01'),
    });
  });

  it("checks the receiver's permit again at receipt, for the accepted hazardous mass (PermitNotValid)", () => {
    const { world, a, b, inFull } = pickedUp();
    const revoked = world.apply(
      decideRevokePermit(revokePermitCommand(timed('14:00')), world.party(RECEIVER)),
    );
    receiveIn(revoked, receiveCommand(inFull)).thenThrows(PermitNotValid);
    // rejecting everything needs no permit
    expect(() =>
      receiveIn(
        revoked,
        receiveCommand([
          { traceCode: a, receivedGrams: 1_000_000, acceptedGrams: 0, reason: '无证' },
          { traceCode: b, receivedGrams: 2_000_000, acceptedGrams: 0, reason: '无证' },
        ]),
      ).result(),
    ).not.toThrow();
  });
});
