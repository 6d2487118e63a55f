import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  getOk,
  Keys,
  registerExtraParty,
  send,
} from '../support/fixtures';
import { extraReceiver } from '../support/extra-fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: permit annual capacity at receipt (issue 16 item 1)';

/** A receiver of its own with one HW08 permit of 10 kg a year, so the test can fill it. */
const SMALL = extraReceiver('330114', 16, '杭州钱塘小型处置有限公司');
const SMALL_PERMIT = {
  permitNo: '3301001601',
  hwCategories: ['HW08'],
  operations: ['D10', 'store'],
  annualCapacityKg: 10,
  validFrom: '2026-01-01',
  validTo: '2030-12-31',
};

describeEachStore(SUITE, (kind) => {
  let receiver = '';
  const keys = new Keys(`capacity-${kind}`);
  const clock = new ManualClock(new Date(CLOCK_START));
  const app = seededApp(kind, SUITE, __filename, 'capacity', { clock });
  const get = (path: string, token: string) => getOk(app.t, path, token);

  /** A hazardous HW08 batch of `massKg` on a manifest to the small receiver, picked up: its number and line. */
  async function pickedUp(massKg: number): Promise<{ manifestNo: string; traceCode: string }> {
    const traceCode = await app.build.generate(massKg);
    const manifestNo = await app.build.issue([traceCode], { body: { receiverUscc: SMALL.uscc } });
    await app.build.pickUp(manifestNo);
    return { manifestNo, traceCode };
  }

  const receive = (m: { manifestNo: string; traceCode: string }, massKg: number) =>
    send(
      app.t,
      `/v1/manifests/${m.manifestNo}/receipt`,
      receiver,
      {
        occurredAt: AT.received,
        lines: [{ traceCode: m.traceCode, receivedKg: massKg, acceptedKg: massKg }],
      },
      keys.next(),
    );

  beforeAll(async () => {
    receiver = await registerExtraParty(app.t, keys, SMALL, {
      by: app.world.tokens.regulator as string,
      body: SMALL_PERMIT,
    });
  });

  it('given a 10 kg permit, when 9 kg are accepted, then the receipt draws on it, the permit shows 9 kg used and a 90 % warning is raised', async () => {
    const received = await expect201(receive(await pickedUp(9), 9));
    const position = received.headers['x-ledger-position'];
    clock.set('2026-03-02T02:10:00Z'); // past the receipt's occurredAt (10:02 CST), when the alert holds
    const permits = await get(`/v1/parties/${SMALL.uscc}/permits`, app.world.tokens.regulator as string);
    expect(permits.permits).toEqual([
      expect.objectContaining({
        permitNo: SMALL_PERMIT.permitNo,
        annualCapacityKg: 10,
        capacityUsed: [{ yearStart: '2026-01-01', usedKg: 9, remainingKg: 1 }],
      }),
    ]);
    const alerts = await get(
      `/v1/alerts?kind=permit_capacity_warning&minPosition=${position}`,
      app.world.tokens.regulator as string,
    );
    expect(alerts.alerts).toEqual([
      expect.objectContaining({
        kind: 'permit_capacity_warning',
        status: 'open',
        details: expect.objectContaining({
          permitNo: SMALL_PERMIT.permitNo,
          capacityKg: 10,
          usedKg: 9,
          remainingKg: 1,
        }),
      }),
    ]);
    // the receiver sees its own warning; another receiver does not
    expect((await get('/v1/alerts?kind=permit_capacity_warning', receiver)).total).toBe(1);
    expect(
      (await get('/v1/alerts?kind=permit_capacity_warning', app.world.tokens.receiver as string)).total,
    ).toBe(0);
  });

  it('given 9 kg used of 10, when 2 kg more would be accepted, then 422 permit-capacity-exceeded, nothing appended, and the permit still shows 9 kg', async () => {
    clock.set(CLOCK_START); // the manifest is issued at the clock's time, before the fixture's pickup
    const m = await pickedUp(2);
    const before = await app.t.headPosition();
    const body = expectProblem(await receive(m, 2), 422, { rule: 'permit-capacity-exceeded' });
    expect(body).toMatchObject({
      permitNo: SMALL_PERMIT.permitNo,
      capacityKg: 10,
      usedKg: 9,
      requestedKg: 2,
      remainingKg: 1,
    });
    await expectHeadUnchanged(app.t, before, 'refused receipt');
    const permits = await get(`/v1/parties/${SMALL.uscc}/permits`, receiver);
    expect(permits.permits[0].capacityUsed).toEqual([{ yearStart: '2026-01-01', usedKg: 9, remainingKg: 1 }]);
    // the rest of the year's capacity can still be used: 1 kg accepted, 1 kg rejected back to the shipper
    await expect201(
      send(
        app.t,
        `/v1/manifests/${m.manifestNo}/receipt`,
        receiver,
        {
          occurredAt: AT.received,
          lines: [{ traceCode: m.traceCode, receivedKg: 2, acceptedKg: 1, reason: '超出年经营规模' }],
        },
        keys.next(),
      ),
    );
    expect((await get(`/v1/parties/${SMALL.uscc}/permits`, receiver)).permits[0].capacityUsed).toEqual([
      { yearStart: '2026-01-01', usedKg: 10, remainingKg: 0 },
    ]);
  });
});
