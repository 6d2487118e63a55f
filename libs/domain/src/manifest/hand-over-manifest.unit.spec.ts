import {
  CarrierRoleRequired,
  HandoverToSelf,
  InvalidText,
  InvalidVehiclePlate,
  ManifestAlreadyCancelled,
  ManifestAlreadyReceived,
  ManifestNotPickedUp,
  NotCurrentCarrier,
  OccurredOutOfOrder,
  PartyNotFound,
  InvalidValue,
} from '../errors';
import { decodeEvent } from '../events/decode-event';
import { checkStream } from '../consistency';
import { manifestStream } from '../streams';
import {
  CARRIER,
  CARRIER_2,
  GENERATOR,
  MANIFEST_1,
  RECEIVER,
  STRANGER,
  aRegisteredCarrier,
  asExisting,
  at,
  baseWorld,
  cancel,
  givenState,
  handOver,
  handOverCommand,
  manifestNo,
  receive,
  receiveCommand,
  timed,
  type World,
  oneBatchInTransit,
  oneBatchIssued,
} from '../testing';
import { custodyEventsFor } from './custody-events';
import { decideHandOverManifest, type HandOverManifestCommand } from './hand-over-manifest.decide';
import { decideReceiveManifest } from './receive-manifest.decide';
import { traceCodesOf } from './manifest.events';

const NINGBO = '330203';

/** The base world with a second carrier registered (Ningbo). */
function world(): World {
  return baseWorld().apply(aRegisteredCarrier(CARRIER_2, NINGBO));
}

const issued = () => oneBatchIssued(world());
/** Issued 11:00, picked up by CARRIER 13:00 with 浙A12345. */
const inTransit = () => oneBatchInTransit(world());

/** The second leg as handOverCommand's defaults make it: from CARRIER to CARRIER_2 at the Beilun port. */
const SECOND_LEG = {
  fromCarrierUscc: CARRIER,
  carrierUscc: CARRIER_2,
  vehiclePlate: '浙B67890',
  place: '宁波北仑港联运站',
  leg: 2,
};

const handing = (w: World, command: HandOverManifestCommand) =>
  givenState(w).when((s) =>
    decideHandOverManifest(command, {
      manifest: s.manifest(command.manifestNo),
      nextCarrier: s.party(command.nextCarrierUscc),
    }),
  );

describe('hand over (多式联运): the carrier in transit passes the manifest to the next carrier', () => {
  it('given a picked-up manifest, when its carrier hands it over, then ManifestHandedOver v2 names both carriers, the plate, the place and leg 2', () => {
    const { world: w, code } = inTransit();
    handing(w, handOverCommand({ vehiclePlate: '浙b·67890' })).then([
      {
        type: 'ManifestHandedOver',
        schemaVersion: 2,
        data: {
          ...MANIFEST_1,
          ...SECOND_LEG,
          traceCodes: [code],
          occurredAt: at('14:00'),
          late: false,
        },
      },
    ]);
  });

  it('with the next leg’s crew: v2 records the driver and escort by reference, the vehicle type and the licence; a name where a reference belongs is refused', () => {
    const { world: w } = inTransit();
    const crew = {
      driverPersonId: `p-${'d'.repeat(32)}`,
      escortPersonId: `p-${'e'.repeat(32)}`,
      vehicleType: '危险货物罐式运输车',
      transportLicenceNo: '浙交运管许可甬字330200005678号',
    };
    const [event] = handing(w, handOverCommand(crew)).result();
    expect(event).toMatchObject({ type: 'ManifestHandedOver', schemaVersion: 2, data: crew });
    handing(w, handOverCommand({ driverPersonId: '王司机' })).thenThrows(InvalidValue, {
      field: 'driverPersonId',
    });
  });

  it('a stored version 1 reads as version 2 without a crew', () => {
    const v1 = {
      ...MANIFEST_1,
      ...SECOND_LEG,
      traceCodes: ['A'],
      occurredAt: at('14:00'),
      late: false,
    };
    expect(decodeEvent({ type: 'ManifestHandedOver', schemaVersion: 1, data: v1 })).toEqual({
      type: 'ManifestHandedOver',
      schemaVersion: 2,
      data: v1,
    });
  });

  it('then the batch follows: BatchHandedOver with its whole mass, the next carrier holds it, legal custody stays with the shipper, and asked again nothing more', () => {
    const { world: w, code } = inTransit();
    const before = asExisting(w.batch(code));
    const [event] = handing(w, handOverCommand()).result();
    const withManifest = w.apply([event]);
    const streams = custodyEventsFor(event, withManifest.batch(code), code);
    expect(streams).toEqual([
      {
        traceCode: code,
        isNew: false,
        events: [
          {
            type: 'BatchHandedOver',
            schemaVersion: 1,
            data: {
              traceCode: code,
              manifestNo: manifestNo(1),
              ...SECOND_LEG,
              massGrams: before.heldGrams,
              occurredAt: at('14:00'),
              late: false,
            },
          },
        ],
      },
    ]);
    const after = withManifest.applyBatches(streams);
    const b = asExisting(after.batch(code));
    expect(b.status).toBe('in_transit');
    expect(b.heldGrams).toBe(before.heldGrams);
    expect(b.composition).toEqual(before.composition);
    expect(b.custodianUscc).toBe(GENERATOR);
    expect(b.manifest).toMatchObject({ carrierUscc: CARRIER_2, leg: 2, stage: 'in_transit' });
    for (const c of traceCodesOf(event)) expect(custodyEventsFor(event, after.batch(c), c)).toEqual([]);
  });

  it('the manifest keeps every leg in order, and a third leg may go back to the first carrier', () => {
    const { world: w } = inTransit();
    const two = handOver(w, handOverCommand());
    const three = handOver(
      two,
      handOverCommand({
        actorUscc: CARRIER_2,
        nextCarrierUscc: CARRIER,
        vehiclePlate: '浙A54321',
        place: '杭州东站货场',
        ...timed('15:00'),
      }),
    );
    const m = three.manifest(manifestNo(1));
    if (m.status === 'none') throw new Error('no manifest');
    expect(m.carrierUscc).toBe(CARRIER);
    expect(m.legs).toEqual([
      { leg: 1, carrierUscc: CARRIER, vehiclePlate: '浙A12345', occurredAt: at('13:00') },
      {
        leg: 2,
        carrierUscc: CARRIER_2,
        vehiclePlate: '浙B67890',
        occurredAt: at('14:00'),
        place: '宁波北仑港联运站',
      },
      {
        leg: 3,
        carrierUscc: CARRIER,
        vehiclePlate: '浙A54321',
        occurredAt: at('15:00'),
        place: '杭州东站货场',
      },
    ]);
    const events = three.log.filter((e) => e.type.startsWith('Manifest'));
    expect(checkStream(manifestStream(manifestNo(1)), events)).toMatchObject({ consistent: true });
  });

  it('the receipt comes from the last carrier: ManifestReceived names it, and custody passes to the receiver with the mass conserved', () => {
    const { world: w, code } = inTransit();
    const handed = handOver(w, handOverCommand());
    const held = asExisting(handed.batch(code)).heldGrams;
    const lines = [{ traceCode: code, receivedGrams: held, acceptedGrams: held }];
    const [received] = decideReceiveManifest(receiveCommand(lines), {
      manifest: handed.manifest(manifestNo(1)),
      receiver: handed.party(RECEIVER),
    });
    expect(received.data).toMatchObject({ carrierUscc: CARRIER_2, shipperUscc: GENERATOR });
    const done = receive(handed, receiveCommand(lines));
    const b = asExisting(done.batch(code));
    expect(b).toMatchObject({ status: 'held', custodianUscc: RECEIVER, heldGrams: held });
  });

  it('given a manifest handed over, when the first carrier hands it over again, then NotCurrentCarrier (403)', () => {
    const { world: w } = inTransit();
    handing(handOver(w, handOverCommand()), handOverCommand({ ...timed('14:30') })).thenThrows(
      NotCurrentCarrier,
      { manifestNo: manifestNo(1), actorUscc: CARRIER },
    );
  });

  it('when a party that is not its carrier hands it over, then NotCurrentCarrier', () => {
    const { world: w } = inTransit();
    handing(w, handOverCommand({ actorUscc: STRANGER })).thenThrows(NotCurrentCarrier);
    handing(w, handOverCommand({ actorUscc: CARRIER_2, nextCarrierUscc: CARRIER })).thenThrows(
      NotCurrentCarrier,
    );
  });

  it('given an issued manifest not yet picked up, when its carrier hands it over, then ManifestNotPickedUp', () => {
    const { world: w } = issued();
    handing(w, handOverCommand()).thenThrows(ManifestNotPickedUp);
  });

  it('given a received manifest, when its carrier hands it over, then ManifestAlreadyReceived', () => {
    const { world: w, code } = inTransit();
    const held = asExisting(w.batch(code)).heldGrams;
    const done = receive(w, receiveCommand([{ traceCode: code, receivedGrams: held, acceptedGrams: held }]));
    handing(done, handOverCommand({ ...timed('16:00') })).thenThrows(ManifestAlreadyReceived);
  });

  it('given a cancelled manifest, when its carrier hands it over, then ManifestAlreadyCancelled', () => {
    handing(cancel(issued().world), handOverCommand()).thenThrows(ManifestAlreadyCancelled);
  });

  it.each([
    { who: 'the carrier itself', nextCarrierUscc: CARRIER, error: HandoverToSelf },
    { who: 'not registered', nextCarrierUscc: STRANGER, error: PartyNotFound },
    { who: 'not holding the carrier role', nextCarrierUscc: RECEIVER, error: CarrierRoleRequired },
  ])(
    'when the next carrier is $who, then $error.name naming nextCarrierUscc',
    ({ nextCarrierUscc, error }) => {
      const { world: w } = inTransit();
      handing(w, handOverCommand({ nextCarrierUscc })).thenThrows(error, { field: 'nextCarrierUscc' });
    },
  );

  it('when the hand-over is dated before the pickup, or before the previous hand-over, then OccurredOutOfOrder', () => {
    const { world: w } = inTransit();
    handing(w, handOverCommand({ ...timed('12:59') })).thenThrows(OccurredOutOfOrder);
    const two = handOver(w, handOverCommand());
    handing(
      two,
      handOverCommand({ actorUscc: CARRIER_2, nextCarrierUscc: CARRIER, ...timed('13:30') }),
    ).thenThrows(OccurredOutOfOrder);
  });

  it('when the plate or the place is not valid, then InvalidVehiclePlate or InvalidText', () => {
    const { world: w } = inTransit();
    handing(w, handOverCommand({ vehiclePlate: 'XYZ' })).thenThrows(InvalidVehiclePlate);
    handing(w, handOverCommand({ place: '站\u0000台' })).thenThrows(InvalidText, { field: 'place' });
    handing(w, handOverCommand({ place: '  ' })).thenThrows(InvalidText, { field: 'place' });
  });
});
