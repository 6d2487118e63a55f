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
} from '../errors';
import {
  CARRIER,
  GENERATOR,
  RECEIVER,
  at,
  baseWorld,
  cancelCommand,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  manifestNo,
  pickUp,
  pickUpCommand,
  timed,
  type World,
} from '../testing';
import { decideCancelManifest } from './cancel-manifest.decide';
import { decidePickUpManifest, type PickUpManifestCommand } from './pick-up-manifest.decide';

function issued(): { world: World; code: string } {
  const g = generate(baseWorld());
  return { world: issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }])), code: g.traceCode };
}
const pick = (world: World, command: PickUpManifestCommand) =>
  givenState(world).when((w) => decidePickUpManifest(command, w.manifest(command.manifestNo)));
const cancel = (world: World, command = cancelCommand()) =>
  givenState(world).when((w) => decideCancelManifest(command, { manifest: w.manifest(command.manifestNo) }));

describe('pick up', () => {
  it('given an issued manifest, when its carrier picks it up, then ManifestPickedUp with the canonical plate and the batches in transit', () => {
    const { world, code } = issued();
    pick(world, pickUpCommand({ vehiclePlate: '浙a·12345', weighedGrams: 1_003_000 })).then([
      {
        type: 'ManifestPickedUp',
        schemaVersion: 1,
        data: {
          manifestNo: manifestNo(1),
          shipperUscc: GENERATOR,
          carrierUscc: CARRIER,
          receiverUscc: RECEIVER,
          vehiclePlate: '浙A12345',
          weighedGrams: 1_003_000,
          shippedGrams: 1_000_000,
          traceCodes: [code],
          occurredAt: at('13:00'),
          late: false,
        },
      },
    ]);
  });

  it('refuses a carrier not named on the manifest (NotManifestCarrier)', () => {
    pick(issued().world, pickUpCommand({ actorUscc: RECEIVER })).thenThrows(NotManifestCarrier);
  });

  it('one vehicle, one trip: refuses a second pickup (ManifestAlreadyPickedUp) and a cancelled manifest (ManifestAlreadyCancelled)', () => {
    const { world } = issued();
    pick(pickUp(world, pickUpCommand()), pickUpCommand(timed('13:30'))).thenThrows(ManifestAlreadyPickedUp);
    const cancelled = world.applyManifest(
      decideCancelManifest(cancelCommand(), { manifest: world.manifest(manifestNo(1)) }).manifest,
    );
    pick(cancelled, pickUpCommand()).thenThrows(ManifestAlreadyCancelled);
  });

  it('refuses an unknown manifest, a bad plate, a weighed mass of zero, a pickup before the issue', () => {
    const { world } = issued();
    pick(world, pickUpCommand({ manifestNo: manifestNo(9) })).thenThrows(ManifestNotFound);
    pick(world, pickUpCommand({ vehiclePlate: 'ABC' })).thenThrows(InvalidVehiclePlate);
    pick(world, pickUpCommand({ weighedGrams: 0 })).thenThrows(MassNotPositive);
    pick(world, pickUpCommand(timed('10:59'))).thenThrows(OccurredOutOfOrder);
  });
});

describe('cancel', () => {
  it('given an issued manifest, when its shipper cancels before pickup, then ManifestCancelled and every batch released', () => {
    const { world, code } = issued();
    const common = { occurredAt: at('12:00'), late: false };
    const result = cancel(world).then({
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
    const { world } = issued();
    cancel(pickUp(world, pickUpCommand()), cancelCommand(timed('14:00'))).thenThrows(ManifestAlreadyPickedUp);
    const r = decideCancelManifest(cancelCommand(), { manifest: world.manifest(manifestNo(1)) });
    cancel(world.apply(r.manifest), cancelCommand(timed('12:30'))).thenThrows(ManifestAlreadyCancelled);
    cancel(world, cancelCommand({ actorUscc: CARRIER })).thenThrows(NotManifestShipper);
    cancel(world, cancelCommand({ reason: '' })).thenThrows(InvalidText, { field: 'reason' });
    cancel(world, cancelCommand({ manifestNo: manifestNo(5) })).thenThrows(ManifestNotFound);
  });
});
