import { BatchNotFound, BatchNotOnManifest, BatchOnOpenManifest } from '../errors';
import {
  CARRIER,
  GENERATOR,
  RECEIVER,
  asExisting,
  at,
  baseWorld,
  cancelCommand,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  manifestNo,
  pickUpCommand,
  randomPart,
  receive,
  receiveCommand,
  timed,
  type World,
  hazardousShare,
  issueState,
  oneBatchInTransit,
  oneBatchIssued,
} from '../testing';
import { decideCancelManifest } from './cancel-manifest.decide';
import { custodyEventsFor } from './custody-events';
import { decideIssueManifest } from './issue-manifest.decide';
import { decidePickUpManifest } from './pick-up-manifest.decide';
import { decideReceiveManifest } from './receive-manifest.decide';
import { traceCodesOf, type ManifestEvent } from './manifest.events';
import { childTraceCode, legacyChildTraceCode } from '../values/trace-code';

const share = hazardousShare;

function receiptEvent(world: World, lines: Parameters<typeof receiveCommand>[0]): ManifestEvent {
  return decideReceiveManifest(receiveCommand(lines), {
    manifest: world.manifest(manifestNo(1)),
    receiver: world.party(RECEIVER),
  })[0];
}

/** given `world`, when the process manager reacts to `event` for the batch `code`, then … */
const custodyIn = (world: World, event: ManifestEvent, code: string) =>
  givenState(world).when((s) => custodyEventsFor(event, s.batch(code)));

/** Each custody reaction, applied, then asked again: nothing more. */
function expectIdempotent(world: World, event: ManifestEvent): World {
  let w = world.apply([event]);
  for (const code of traceCodesOf(event)) w = w.applyBatches(custodyEventsFor(event, w.batch(code), code));
  for (const code of traceCodesOf(event)) expect(custodyEventsFor(event, w.batch(code), code)).toEqual([]);
  return w;
}

describe('custodyEventsFor (the process manager keeping batches in step with manifests)', () => {
  const common = { occurredAt: at('15:00'), late: false };
  /** The receipt's BatchReceived of `traceCode`: custody passes from GENERATOR to RECEIVER with `massGrams`. */
  const batchReceived = (traceCode: string, massGrams: number) => ({
    type: 'BatchReceived' as const,
    schemaVersion: 1 as const,
    data: {
      traceCode,
      manifestNo: manifestNo(1),
      receiverUscc: RECEIVER,
      previousCustodianUscc: GENERATOR,
      massGrams,
      ...common,
    },
  });

  it('pickup: the batch is shipped (in transit; legal custody stays with the shipper)', () => {
    const { world: w, code } = oneBatchIssued();
    const [picked] = decidePickUpManifest(pickUpCommand(), w.manifest(manifestNo(1)));
    custodyIn(w, picked, code).then([
      {
        traceCode: code,
        isNew: false,
        events: [
          {
            type: 'BatchShipped',
            schemaVersion: 1,
            data: {
              traceCode: code,
              manifestNo: manifestNo(1),
              shipperUscc: GENERATOR,
              carrierUscc: CARRIER,
              vehiclePlate: '浙A12345',
              massGrams: 1_000_000,
              occurredAt: at('13:00'),
              late: false,
            },
          },
        ],
      },
    ]);
    const after = expectIdempotent(w, picked);
    expect(asExisting(after.batch(code))).toMatchObject({
      status: 'in_transit',
      custodianUscc: GENERATOR,
      manifest: { stage: 'in_transit' },
    });
  });

  it('full acceptance: custody passes to the receiver and storage age starts', () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [
      { traceCode: code, receivedGrams: 1_000_000, acceptedGrams: 1_000_000 },
    ]);
    custodyIn(world, event, code).then([
      {
        traceCode: code,
        isNew: false,
        events: [batchReceived(code, 1_000_000)],
      },
    ]);
    const after = expectIdempotent(world, event);
    expect(asExisting(after.batch(code))).toMatchObject({
      status: 'held',
      custodianUscc: RECEIVER,
      storageSince: at('15:00'),
      settledManifests: [manifestNo(1)],
    });
    expect(asExisting(after.batch(code)).manifest).toBeUndefined();
  });

  it('a receipt recorded before version 4 (no return code) replays to the legacy child code it gave then', () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [
      { traceCode: code, receivedGrams: 1_000_000, acceptedGrams: 600_000, reason: '含油率不符' },
    ]);
    if (event.type !== 'ManifestReceived') throw new Error(event.type);
    const v3 = {
      ...event,
      schemaVersion: 3,
      data: { ...event.data, lines: event.data.lines.map(({ returnTraceCode: _, ...l }) => l) },
    } as unknown as ManifestEvent;
    const streams = custodyEventsFor(v3, world.apply([v3]).batch(code));
    expect(streams.map((s) => s.traceCode)).toEqual([code, legacyChildTraceCode(code, 0)]);
    // and version 4 names a code of 22 characters, used as it is
    const v4 = custodyEventsFor(event, world.apply([event]).batch(code));
    expect(v4[1].traceCode).toHaveLength(22);
    expect(v4[1].traceCode).not.toBe(legacyChildTraceCode(code, 0));
  });

  it('loss in transit then partial rejection: lost mass leaves, the rejected mass becomes a child back with the shipper, the code stays with the receiver', () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [
      {
        traceCode: code,
        receivedGrams: 900_000,
        acceptedGrams: 600_000,
        reason: '含油率不符',
        returnRandomPart: 'RET0RN00',
      },
    ]);
    const child = childTraceCode(code, 'RET0RN00');
    custodyIn(world, event, code).then([
      {
        traceCode: code,
        isNew: false,
        events: [
          {
            type: 'BatchLostInTransit',
            schemaVersion: 1,
            data: {
              traceCode: code,
              manifestNo: manifestNo(1),
              lostGrams: 100_000,
              composition: [share(100_000)],
              remainingGrams: 900_000,
              ...common,
            },
          },
          {
            type: 'BatchRejectionSplitOff',
            schemaVersion: 1,
            data: {
              traceCode: code,
              manifestNo: manifestNo(1),
              childTraceCode: child,
              childIndex: 0,
              massGrams: 300_000,
              composition: [share(300_000)],
              reason: '含油率不符',
              remainingGrams: 600_000,
              ...common,
            },
          },
          batchReceived(code, 600_000),
        ],
      },
      {
        traceCode: child,
        isNew: true,
        events: [
          {
            type: 'BatchReturnedFromRejection',
            schemaVersion: 1,
            data: {
              traceCode: child,
              parentTraceCode: code,
              childIndex: 0,
              manifestNo: manifestNo(1),
              custodianUscc: GENERATOR,
              category: 'hazardous',
              wasteCode: '900-249-08',
              catalogueEdition: '2021-fixture',
              massGrams: 300_000,
              composition: [share(300_000)],
              reason: '含油率不符',
              ...common,
            },
          },
        ],
      },
    ]);
    const after = expectIdempotent(world, event);
    expect(asExisting(after.batch(code))).toMatchObject({
      custodianUscc: RECEIVER,
      heldGrams: 600_000,
      nextChildIndex: 1,
    });
    expect(asExisting(after.batch(child))).toMatchObject({
      custodianUscc: GENERATOR,
      heldGrams: 300_000,
      status: 'held',
      creation: 'returned',
      parentTraceCode: code,
    });
  });

  it('full rejection: the batch itself returns to the shipper, who may ship it again', () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [
      { traceCode: code, receivedGrams: 1_000_000, acceptedGrams: 0, reason: '超出许可范围' },
    ]);
    const after = expectIdempotent(world, event);
    expect(after.log.slice(-1)[0]).toEqual({
      type: 'BatchReturnedToShipper',
      schemaVersion: 1,
      data: {
        traceCode: code,
        manifestNo: manifestNo(1),
        shipperUscc: GENERATOR,
        massGrams: 1_000_000,
        reason: '超出许可范围',
        ...common,
      },
    });
    expect(asExisting(after.batch(code))).toMatchObject({
      status: 'held',
      custodianUscc: GENERATOR,
      heldGrams: 1_000_000,
      custodySince: at('15:00'),
    });
    expect(() =>
      issue(
        after,
        issueManifestCommand([{ traceCode: code }], { manifestNo: manifestNo(2), ...timed('16:00') }),
      ),
    ).not.toThrow();
  });

  it("total loss: the batch is depleted in the shipper's custody and the manifest settled", () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [{ traceCode: code, receivedGrams: 0, acceptedGrams: 0 }]);
    const after = expectIdempotent(world, event);
    expect(asExisting(after.batch(code))).toMatchObject({
      status: 'depleted',
      heldGrams: 0,
      custodianUscc: GENERATOR,
      settledManifests: [manifestNo(1)],
    });
  });

  it('issue and cancel: consign and release, idempotently', () => {
    const g = generate(baseWorld());
    const command = issueManifestCommand([{ traceCode: g.traceCode }]);
    const r = decideIssueManifest(command, issueState(g.world, command));
    expect(custodyEventsFor(r.manifest[0], g.world.batch(g.traceCode))).toEqual(r.batches);
    const issued = expectIdempotent(g.world, r.manifest[0]);
    const cancelled = decideCancelManifest(cancelCommand(), { manifest: issued.manifest(manifestNo(1)) });
    expect(custodyEventsFor(cancelled.manifest[0], issued.batch(g.traceCode))).toEqual(cancelled.batches);
    const after = expectIdempotent(issued, cancelled.manifest[0]);
    expect(after.batch(g.traceCode).status).toBe('held');
    // a batch consigned elsewhere cannot be consigned again
    const other = issue(
      g.world,
      issueManifestCommand([{ traceCode: g.traceCode }], { manifestNo: manifestNo(2) }),
    );
    expect(() => custodyEventsFor(r.manifest[0], other.batch(g.traceCode))).toThrow(BatchOnOpenManifest);
  });

  it('ignores batches not on the event, refuses an unknown batch (BatchNotFound) or one not on the manifest (BatchNotOnManifest)', () => {
    const { world, code } = oneBatchInTransit();
    const other = generate(world, { randomPart: randomPart(5) });
    const [picked] = decidePickUpManifest(
      pickUpCommand({ manifestNo: manifestNo(1) }),
      issue(generate(baseWorld()).world, issueManifestCommand([{ traceCode: code }])).manifest(manifestNo(1)),
    );
    expect(custodyEventsFor(picked, other.world.batch(other.traceCode))).toEqual([]);
    expect(() => custodyEventsFor(picked, { status: 'none' }, code)).toThrow(BatchNotFound);
    const fresh = generate(baseWorld());
    expect(() => custodyEventsFor(picked, fresh.world.batch(fresh.traceCode))).toThrow(BatchNotOnManifest);
    const receipt = receiptEvent(world, [{ traceCode: code, receivedGrams: 1, acceptedGrams: 1 }]);
    expect(() => custodyEventsFor(receipt, fresh.world.batch(fresh.traceCode))).toThrow(BatchNotOnManifest);
  });

  it('is deterministic: the same event and state give byte-identical events', () => {
    const { world, code } = oneBatchInTransit();
    const event = receiptEvent(world, [
      { traceCode: code, receivedGrams: 999_999, acceptedGrams: 333_333, reason: 'r' },
    ]);
    expect(JSON.stringify(custodyEventsFor(event, world.batch(code)))).toBe(
      JSON.stringify(custodyEventsFor(event, world.batch(code))),
    );
    const w = receive(
      world,
      receiveCommand([{ traceCode: code, receivedGrams: 999_999, acceptedGrams: 333_333, reason: 'r' }]),
    );
    expect(asExisting(w.batch(code)).heldGrams).toBe(333_333);
  });
});
