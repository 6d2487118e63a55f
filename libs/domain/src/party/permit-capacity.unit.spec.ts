import { PermitCapacityExceeded } from '../errors';
import {
  aRegisteredCarrier,
  aRegisteredGenerator,
  aRegisteredReceiver,
  CARRIER,
  deliver,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  manifestNo,
  pickUp,
  pickUpCommand,
  RECEIVER,
  receiveCommand,
  randomPart,
  World,
} from '../testing';
import { decideReceiveManifest } from '../manifest/receive-manifest.decide';
import type { RegisteredParty } from './party.state';
import { crossesCapacityWarning, decidePermitCapacity, permitYearStart } from './permit-capacity';
import { permitWindow } from './permit';

/** A receiver whose one permit (HW08) allows 1,500 kg a permit year, from 1 January 2025. */
function smallPermitWorld(): World {
  return World.of([
    ...aRegisteredGenerator(),
    ...aRegisteredCarrier(CARRIER),
    ...aRegisteredReceiver({ permit: { annualCapacityGrams: 1_500_000, wasteCodes: [] } }),
  ]);
}

/** A batch of `grams` on manifest `serial`, issued and picked up on `day`. */
function pickedUp(world: World, serial: number, grams: number, day = '2025-03-03') {
  const g = generate(world, {
    randomPart: randomPart(serial),
    massGrams: grams,
    occurredAt: `${day}T09:00:00+08:00`,
    recordedAt: `${day}T01:01:00Z`,
  });
  const no = manifestNo(serial, undefined, Number(day.slice(0, 4)));
  const t = (hh: string) => ({
    occurredAt: `${day}T${hh}:00:00+08:00`,
    recordedAt: `${day}T${Number(hh) - 8}:01:00Z`.replace(/T(\d):/, 'T0$1:'),
  });
  let w = issue(g.world, issueManifestCommand([{ traceCode: g.traceCode }], { manifestNo: no, ...t('11') }));
  w = pickUp(w, pickUpCommand({ manifestNo: no, ...t('13') }));
  const receipt = receiveCommand([{ traceCode: g.traceCode, receivedGrams: grams, acceptedGrams: grams }], {
    manifestNo: no,
    ...t('15'),
  });
  return { world: w, receipt };
}

const decideBoth = (w: World, receipt: ReturnType<typeof pickedUp>['receipt']) => {
  const state = { manifest: w.manifest(receipt.manifestNo), receiver: w.party(RECEIVER) };
  const [received] = decideReceiveManifest(receipt, state);
  if (received.type !== 'ManifestReceived') throw new Error('no receipt');
  return decidePermitCapacity(received, state);
};

/** `receivedGrams` delivered on manifest 1 (the world then), and manifest 2 of `grams` picked up on `day`. */
function afterOneDelivery(receivedGrams: number, grams: number, day?: string) {
  const g = generate(smallPermitWorld(), { randomPart: randomPart(1), massGrams: receivedGrams });
  const delivered = deliver(g.world, [g.traceCode], { manifestNo: manifestNo(1) });
  return { delivered, ...pickedUp(delivered, 2, grams, day) };
}

describe('permit capacity (危险废物经营许可证: 年经营规模)', () => {
  it('given 1,000 kg received in the permit year, when 500 kg more are accepted, then the draw reaches the capacity exactly', () => {
    const { delivered, world, receipt } = afterOneDelivery(1_000_000, 500_000);
    const permit = (delivered.party(RECEIVER) as RegisteredParty).permits[0];
    expect(permit.usedGrams).toEqual({ '2025-01-01': 1_000_000 });
    givenState(world)
      .when((w) => decideBoth(w, receipt))
      .thenAssert(([drawn]) =>
        expect(drawn.data).toMatchObject({
          permitNo: '3301000001',
          yearStart: '2025-01-01',
          grams: 500_000,
          usedGramsAfter: 1_500_000,
          capacityGrams: 1_500_000,
        }),
      );
  });

  it('given 1,000 kg received in the permit year, when 501 kg more would be accepted, then permit-capacity-exceeded', () => {
    const { world, receipt } = afterOneDelivery(1_000_000, 501_000);
    givenState(world)
      .when((w) => decideBoth(w, receipt))
      .thenThrows(PermitCapacityExceeded, {
        permitNo: '3301000001',
        capacityKg: 1500,
        usedKg: 1000,
        requestedKg: 501,
        remainingKg: 500,
      });
  });

  it('given a full permit year, when the next permit year begins, then the capacity is whole again', () => {
    const { world, receipt } = afterOneDelivery(1_500_000, 1_000_000, '2026-01-05');
    givenState(world)
      .when((w) => decideBoth(w, receipt))
      .thenAssert(([drawn]) =>
        expect(drawn.data).toMatchObject({ yearStart: '2026-01-01', usedGramsAfter: 1_000_000 }),
      );
  });

  it('a rejected line draws nothing: only accepted mass counts', () => {
    const g = generate(smallPermitWorld(), { randomPart: randomPart(1), massGrams: 2_000_000 });
    const { world, receipt } = pickedUp(g.world, 1, 2_000_000);
    const rejected = { ...receipt, lines: [{ ...receipt.lines[0], acceptedGrams: 0, reason: '包装破损' }] };
    givenState(world)
      .when((w) => decideBoth(w, rejected))
      .then([]);
  });

  it('permit years run from anniversaries of validFrom (29 February → 1 March)', () => {
    const permit = { validFrom: '2024-02-29', validTo: '2030-12-31' };
    const at = (iso: string) => Date.parse(iso);
    expect(permitYearStart(permit, at('2024-06-01T00:00:00+08:00'))).toBe('2024-02-29');
    expect(permitYearStart(permit, at('2025-02-28T23:59:59+08:00'))).toBe('2024-02-29');
    expect(permitYearStart(permit, at('2025-03-01T00:00:00+08:00'))).toBe('2025-03-01');
    expect(permitYearStart(permit, at('2028-02-29T00:00:00+08:00'))).toBe('2028-02-29');
    expect(permitWindow(permit).fromMs).toBe(at('2024-02-29T00:00:00+08:00'));
  });

  it('the warning is raised once, by the draw that reaches 90 %', () => {
    expect(crossesCapacityWarning(900, 100, 1000)).toBe(true);
    expect(crossesCapacityWarning(950, 50, 1000)).toBe(false); // was at 90 % already
    expect(crossesCapacityWarning(899, 899, 1000)).toBe(false);
  });
});
