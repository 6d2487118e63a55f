import {
  InvalidVehiclePlate,
  ManifestAlreadyCancelled,
  ManifestAlreadyPickedUp,
  ManifestNotFound,
  MassNotPositive,
  NotManifestCarrier,
  NotManifestShipper,
  OccurredOutOfOrder,
  InvalidText,
  DuplicateLine,
  InvalidValue,
  WeighedLineNotOnManifest,
} from '../errors';
import { decodeEvent } from '../events/decode-event';
import {
  CARRIER,
  GENERATOR,
  MANIFEST_1,
  RECEIVER,
  at,
  baseWorld,
  cancel,
  cancelCommand,
  generate,
  givenState,
  manifestNo,
  pickUp,
  pickUpCommand,
  randomPart,
  timed,
  twoBatchesIssued,
  type World,
  oneBatchIssued,
} from '../testing';
import { decideCancelManifest } from './cancel-manifest.decide';
import { decidePickUpManifest, type PickUpManifestCommand } from './pick-up-manifest.decide';

const pick = (world: World, command: PickUpManifestCommand) =>
  givenState(world).when((w) => decidePickUpManifest(command, w.manifest(command.manifestNo)));
const cancelling = (world: World, command = cancelCommand()) =>
  givenState(world).when((w) => decideCancelManifest(command, { manifest: w.manifest(command.manifestNo) }));

describe('pick up', () => {
  it('given an issued manifest, when its carrier picks it up, then ManifestPickedUp (v3) with the canonical plate, the batches in transit and the weighing judged', () => {
    const { world, code } = oneBatchIssued();
    pick(world, pickUpCommand({ vehiclePlate: '浙a·12345', weighedGrams: 1_003_000 })).then([
      {
        type: 'ManifestPickedUp',
        schemaVersion: 3,
        data: {
          ...MANIFEST_1,
          vehiclePlate: '浙A12345',
          weighedGrams: 1_003_000,
          shippedGrams: 1_000_000,
          traceCodes: [code],
          lines: [{ traceCode: code, discrepancy: false }],
          discrepancy: false,
          tolerance: 0.05,
          occurredAt: at('13:00'),
          late: false,
        },
      },
    ]);
  });

  it('refuses a carrier not named on the manifest (NotManifestCarrier)', () => {
    pick(oneBatchIssued().world, pickUpCommand({ actorUscc: RECEIVER })).thenThrows(NotManifestCarrier);
  });

  it('one vehicle, one trip: refuses a second pickup (ManifestAlreadyPickedUp) and a cancelled manifest (ManifestAlreadyCancelled)', () => {
    const { world } = oneBatchIssued();
    pick(pickUp(world, pickUpCommand()), pickUpCommand(timed('13:30'))).thenThrows(ManifestAlreadyPickedUp);
    pick(cancel(world), pickUpCommand()).thenThrows(ManifestAlreadyCancelled);
  });

  it('refuses an unknown manifest, a bad plate, a weighed mass of zero, a pickup before the issue', () => {
    const { world } = oneBatchIssued();
    pick(world, pickUpCommand({ manifestNo: manifestNo(9) })).thenThrows(ManifestNotFound);
    pick(world, pickUpCommand({ vehiclePlate: 'ABC' })).thenThrows(InvalidVehiclePlate);
    pick(world, pickUpCommand({ weighedGrams: 0 })).thenThrows(MassNotPositive);
    pick(world, pickUpCommand(timed('10:59'))).thenThrows(OccurredOutOfOrder);
  });
});

describe('weighing at both ends: the pickup (DESIGN §2)', () => {
  /** Two HW08 batches of 20 kg and 30 kg on one manifest. */
  const twoLines = () => twoBatchesIssued({ massGrams: 20_000 }, { massGrams: 30_000 });
  const picked = (world: World, command: PickUpManifestCommand, tolerance?: number) => {
    const [event] = givenState(world)
      .when((w) =>
        decidePickUpManifest(command, w.manifest(command.manifestNo), { discrepancyTolerance: tolerance }),
      )
      .result();
    if (event.type !== 'ManifestPickedUp') throw new Error(event.type);
    return event.data;
  };

  it('given a 20 kg manifest, when the carrier weighs 27 kg at pickup, then the pickup is recorded as a discrepancy (it was not before)', () => {
    const { world } = oneBatchIssued();
    const twenty = oneBatchIssued(baseWorld(), { massGrams: 20_000 });
    expect(picked(twenty.world, pickUpCommand({ weighedGrams: 27_000 }))).toMatchObject({
      weighedGrams: 27_000,
      shippedGrams: 20_000,
      discrepancy: true,
      tolerance: 0.05,
      lines: [{ traceCode: twenty.code, discrepancy: false }],
    });
    // within the tolerance (exactly 5 % is not beyond it), or not weighed: no discrepancy
    expect(picked(world, pickUpCommand({ weighedGrams: 1_050_000 })).discrepancy).toBe(false);
    expect(picked(world, pickUpCommand()).discrepancy).toBe(false);
    expect(picked(world, pickUpCommand({ weighedGrams: 1_050_000 }), 0.01).discrepancy).toBe(true);
  });

  it('judges each weighed line against its shipped mass, and the load when every line is weighed', () => {
    const { world, a, b } = twoLines();
    const [first, second] = [a, b].sort();
    const data = picked(
      world,
      pickUpCommand({
        lines: [
          { traceCode: b.toLowerCase(), weighedGrams: 30_500 },
          { traceCode: a, weighedGrams: 27_000 },
        ],
      }),
    );
    const byCode = Object.fromEntries(data.lines.map((l) => [l.traceCode, l]));
    expect(data.lines.map((l) => l.traceCode)).toEqual([first, second]);
    expect(byCode[a]).toEqual({
      traceCode: a,
      shippedGrams: 20_000,
      weighedGrams: 27_000,
      discrepancy: true,
    });
    expect(byCode[b]).toEqual({
      traceCode: b,
      shippedGrams: 30_000,
      weighedGrams: 30_500,
      discrepancy: false,
    });
    // the load: 57.5 kg of 50 kg
    expect(data).toMatchObject({ weighedGrams: 57_500, shippedGrams: 50_000, discrepancy: true });
    // one line weighed: the load is not known, only that line is judged
    const one = picked(world, pickUpCommand({ lines: [{ traceCode: b, weighedGrams: 30_000 }] }));
    expect(one.weighedGrams).toBeUndefined();
    expect(one.discrepancy).toBe(false);
  });

  it('refuses a weighed line not on the manifest, a line weighed twice, a load that is not the sum of its weighed lines', () => {
    const { world, a, b } = twoLines();
    const stranger = generate(baseWorld(), { randomPart: randomPart(7) }).traceCode;
    pick(world, pickUpCommand({ lines: [{ traceCode: stranger, weighedGrams: 1 }] })).thenThrows(
      WeighedLineNotOnManifest,
      { field: 'lines[0].traceCode' },
    );
    pick(
      world,
      pickUpCommand({
        lines: [
          { traceCode: a, weighedGrams: 1 },
          { traceCode: a, weighedGrams: 2 },
        ],
      }),
    ).thenThrows(DuplicateLine);
    pick(
      world,
      pickUpCommand({
        weighedGrams: 50_000,
        lines: [
          { traceCode: a, weighedGrams: 20_000 },
          { traceCode: b, weighedGrams: 31_000 },
        ],
      }),
    ).thenThrows(InvalidValue, { field: 'weighedGrams' });
    pick(world, pickUpCommand({ lines: [{ traceCode: a, weighedGrams: 0 }] })).thenThrows(MassNotPositive);
  });
});

describe('ManifestPickedUp version 1, as stored before the weighing was judged', () => {
  it('reads as version 3: every line unweighed, the total weighing judged against the default tolerance', () => {
    const v1 = {
      ...MANIFEST_1,
      vehiclePlate: '浙A12345',
      weighedGrams: 27_000,
      shippedGrams: 20_000,
      traceCodes: ['A', 'B'],
      occurredAt: at('13:00'),
      late: false,
    };
    const decoded = decodeEvent({ type: 'ManifestPickedUp', schemaVersion: 1, data: v1 });
    expect(decoded).toEqual({
      type: 'ManifestPickedUp',
      schemaVersion: 3,
      data: {
        ...v1,
        lines: [
          { traceCode: 'A', discrepancy: false },
          { traceCode: 'B', discrepancy: false },
        ],
        discrepancy: true,
        tolerance: 0.05,
      },
    });
    const { weighedGrams: _none, ...unweighed } = v1;
    expect(decodeEvent({ type: 'ManifestPickedUp', schemaVersion: 1, data: unweighed }).data).toMatchObject({
      discrepancy: false,
    });
  });
});

describe('the people and the vehicle at pickup (ManifestPickedUp v3, issue 14)', () => {
  const DRIVER = `p-${'a'.repeat(32)}`;
  const ESCORT = `p-${'b'.repeat(32)}`;

  it('given an issued manifest, when the carrier names a driver, an escort, the vehicle type and its licence, then v3 records the references and the texts, never a name', () => {
    const { world } = oneBatchIssued();
    const [event] = pick(
      world,
      pickUpCommand({
        driverPersonId: DRIVER,
        escortPersonId: ESCORT,
        vehicleType: ' 危险货物厢式运输车 ',
        transportLicenceNo: '浙交运管许可杭字330100001234号',
      }),
    ).result();
    expect(event).toMatchObject({
      type: 'ManifestPickedUp',
      schemaVersion: 3,
      data: {
        driverPersonId: DRIVER,
        escortPersonId: ESCORT,
        vehicleType: '危险货物厢式运输车',
        transportLicenceNo: '浙交运管许可杭字330100001234号',
      },
    });
  });

  it('refuses a person reference that is not one (a name given where a reference belongs) and a licence that breaks the text rule', () => {
    const { world } = oneBatchIssued();
    pick(world, pickUpCommand({ driverPersonId: '张三' })).thenThrows(InvalidValue, {
      field: 'driverPersonId',
    });
    pick(world, pickUpCommand({ escortPersonId: `p-${'A'.repeat(32)}` })).thenThrows(InvalidValue, {
      field: 'escortPersonId',
    });
    pick(world, pickUpCommand({ transportLicenceNo: 'x\u0000y' })).thenThrows(InvalidText, {
      field: 'transportLicenceNo',
    });
  });

  it('a stored version 2 reads as version 3 without people: nothing to show, nothing invented', () => {
    const v2 = {
      ...MANIFEST_1,
      vehiclePlate: '浙A12345',
      shippedGrams: 20_000,
      traceCodes: ['A'],
      lines: [{ traceCode: 'A', discrepancy: false }],
      discrepancy: false,
      tolerance: 0.05,
      occurredAt: at('13:00'),
      late: false,
    };
    expect(decodeEvent({ type: 'ManifestPickedUp', schemaVersion: 2, data: v2 })).toEqual({
      type: 'ManifestPickedUp',
      schemaVersion: 3,
      data: v2,
    });
  });
});

describe('cancel', () => {
  it('given an issued manifest, when its shipper cancels before pickup, then ManifestCancelled and every batch released', () => {
    const { world, code } = oneBatchIssued();
    const common = { occurredAt: at('12:00'), late: false };
    const result = cancelling(world).then({
      manifest: [
        {
          type: 'ManifestCancelled',
          schemaVersion: 1,
          data: {
            manifestNo: manifestNo(1),
            shipperUscc: GENERATOR,
            reason: '车辆故障',
            traceCodes: [code],
            ...common,
          },
        },
      ],
      batches: [
        {
          traceCode: code,
          isNew: false,
          events: [
            {
              type: 'BatchConsignmentReleased',
              schemaVersion: 1,
              data: { traceCode: code, manifestNo: manifestNo(1), reason: '车辆故障', ...common },
            },
          ],
        },
      ],
    });
    const after = world.apply(result.manifest).applyBatches(result.batches);
    expect(after.batch(code).status).toBe('held');
    expect(after.manifest(manifestNo(1)).status).toBe('cancelled');
  });

  it('only before pickup (ManifestAlreadyPickedUp), once (ManifestAlreadyCancelled), by the shipper (NotManifestShipper), with a reason', () => {
    const { world } = oneBatchIssued();
    cancelling(pickUp(world, pickUpCommand()), cancelCommand(timed('14:00'))).thenThrows(
      ManifestAlreadyPickedUp,
    );
    cancelling(cancel(world), cancelCommand(timed('12:30'))).thenThrows(ManifestAlreadyCancelled);
    cancelling(world, cancelCommand({ actorUscc: CARRIER })).thenThrows(NotManifestShipper);
    cancelling(world, cancelCommand({ reason: '' })).thenThrows(InvalidText, { field: 'reason' });
    cancelling(world, cancelCommand({ manifestNo: manifestNo(5) })).thenThrows(ManifestNotFound);
  });
});
