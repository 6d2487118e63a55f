import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  describeEachStore,
  OTHER_RECEIVER_PERMIT,
  PARTIES,
  PLATE,
  expect201,
  expectNothingAppendedSince,
  expectProblem,
  send,
  type PartyName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

/**
 * The domain rules added after the first hostile-client review (issue 10, DESIGN §2), through the real
 * app over HTTP: each request here was answered 201 before its rule existed.
 */
const SUITE = 'domain rules after the hostile-client review (issue 10)';

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'rules10');
  const token = (name: PartyName) => app.world.tokens[name] as string;
  const keys = () => app.build.keys;

  async function generateIndustrial(massKg = 20): Promise<string> {
    const response = await expect201(
      send(
        app.t,
        '/v1/batches',
        token('generator'),
        { category: 'industrial', subtype: 'slag', massKg, occurredAt: AT.generated },
        keys().next('industrial'),
      ),
    );
    return response.body.traceCode as string;
  }

  describe('one manifest, one kind of waste (row 9)', () => {
    it('refuses a manifest mixing hazardous and industrial batches: 422 manifest-mixes-categories, nothing appended', async () => {
      const hazardous = await app.build.generate(5);
      const industrial = await generateIndustrial();
      const before = await app.t.headPosition();
      const response = await send(
        app.t,
        '/v1/manifests',
        token('generator'),
        app.build.manifestBody([hazardous, industrial]),
        keys().next('mixed'),
      );
      const problem = expectProblem(response, 422, { rule: 'manifest-mixes-categories' });
      expect(problem.categories).toEqual(['hazardous', 'industrial']);
      await expectNothingAppendedSince(app.t, before, 'a refused mixed manifest');
      // each category on its own manifest is accepted
      await app.build.issue([hazardous]);
      await app.build.issue([industrial]);
    });
  });

  describe('weighing at both ends (row 15)', () => {
    /** The discrepancy alerts of a manifest, read 10 minutes later (an alert shows once the clock reaches it). */
    const alertsOf = async (manifestNo: string, position: string) => {
      const clock = app.t.clock as ManualClock;
      clock.set(new Date(Date.parse(CLOCK_START) + 10 * 60_000));
      try {
        const response = await app.t.http
          .get(`/v1/alerts?kind=discrepancy&minPosition=${position}`)
          .set('Authorization', `Bearer ${app.world.tokens.regulator as string}`)
          .expect(200);
        return (
          response.body.alerts as {
            subject: { manifestNo?: string; traceCode?: string };
            details: Record<string, unknown>;
          }[]
        ).filter((a) => a.subject.manifestNo === manifestNo);
      } finally {
        clock.set(CLOCK_START);
      }
    };

    it('a pickup weighed at 27 kg on a 20 kg manifest is a discrepancy: in the answer, the manifest and GET /v1/alerts (stage pickup)', async () => {
      const { traceCode, manifestNo } = await app.build.consigned(20);
      const response = await expect201(
        send(
          app.t,
          `/v1/manifests/${manifestNo}/pickup`,
          token('carrier'),
          { vehiclePlate: PLATE, occurredAt: AT.pickedUp, weighedKg: 27 },
          keys().next('pickup-27'),
        ),
      );
      expect(response.body).toMatchObject({
        shippedKg: 20,
        weighedKg: 27,
        discrepancy: true,
        tolerance: 0.05,
        lines: [{ traceCode, discrepancy: false }],
      });
      const position = response.body.position as string;
      const manifest = await app.t.http
        .get(`/v1/manifests/${manifestNo}?minPosition=${position}`)
        .set('Authorization', `Bearer ${token('carrier')}`)
        .expect(200);
      expect(manifest.body).toMatchObject({ weighedKg: 27, discrepancy: true });
      const alerts = await alertsOf(manifestNo, position);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].details).toMatchObject({
        stage: 'pickup',
        shippedKg: 20,
        weighedKg: 27,
        tolerance: 0.05,
      });
    });

    it('weighs lines at pickup: a line beyond the tolerance is its own alert (stage pickup), distinct from the receipt’s (stage receipt)', async () => {
      const a = await app.build.generate(20);
      const b = await app.build.generate(30);
      const manifestNo = await app.build.issue([a, b]);
      const pickup = await expect201(
        send(
          app.t,
          `/v1/manifests/${manifestNo}/pickup`,
          token('carrier'),
          {
            vehiclePlate: PLATE,
            occurredAt: AT.pickedUp,
            lines: [
              { traceCode: a, weighedKg: 27 },
              { traceCode: b, weighedKg: 30.2 },
            ],
          },
          keys().next('pickup-lines'),
        ),
      );
      expect(pickup.body).toMatchObject({ weighedKg: 57.2, discrepancy: true });
      const receipt = await expect201(
        send(
          app.t,
          `/v1/manifests/${manifestNo}/receipt`,
          token('receiver'),
          {
            occurredAt: AT.received,
            lines: [
              { traceCode: a, receivedKg: 20, acceptedKg: 20 },
              { traceCode: b, receivedKg: 25, acceptedKg: 25 },
            ],
          },
          keys().next('receipt-lines'),
        ),
      );
      const alerts = await alertsOf(manifestNo, receipt.body.position as string);
      const stages = alerts.map((x) => `${String(x.details.stage)} ${x.subject.traceCode ?? ''}`).sort();
      expect(stages).toEqual([`pickup ${a}`, `receipt ${b}`].sort());
      // a weighed line not on the manifest is refused, nothing appended
      const other = await app.build.consigned(5);
      const before = await app.t.headPosition();
      expectProblem(
        await send(
          app.t,
          `/v1/manifests/${other.manifestNo}/pickup`,
          token('carrier'),
          { vehiclePlate: PLATE, occurredAt: AT.pickedUp, lines: [{ traceCode: a, weighedKg: 5 }] },
          keys().next('pickup-stranger-line'),
        ),
        400,
        { rule: 'weighed-line-not-on-manifest', fields: ['lines[0].traceCode'] },
      );
      await expectNothingAppendedSince(app.t, before, 'a pickup weighing a line of another manifest');
    });

    it('a receipt line of 0 kg received is lost, not accepted', async () => {
      const { traceCode, manifestNo } = await app.build.inTransit(10);
      const receipt = await expect201(
        send(
          app.t,
          `/v1/manifests/${manifestNo}/receipt`,
          token('receiver'),
          { occurredAt: AT.received, lines: [{ traceCode, receivedKg: 0, acceptedKg: 0 }] },
          keys().next('receipt-lost'),
        ),
      );
      expect(receipt.body.lines).toEqual([expect.objectContaining({ traceCode, outcome: 'lost' })]);
      const manifest = await app.t.http
        .get(`/v1/manifests/${manifestNo}?minPosition=${receipt.body.position as string}`)
        .set('Authorization', `Bearer ${token('receiver')}`)
        .expect(200);
      expect(manifest.body.lines).toEqual([
        expect.objectContaining({ traceCode, outcome: 'lost', lostKg: 10, receivedKg: 0 }),
      ]);
    });
  });

  describe('permits judged twice (row 8)', () => {
    it('a treatment dated 1 s before the permit’s revocation, recorded 2 s after it: accepted only as a late entry, with an after_revocation alert', async () => {
      const traceCode = await app.build.generate(10);
      const manifestNo = await app.build.issue([traceCode], { receiver: 'otherReceiver' });
      await app.build.pickUp(manifestNo);
      await app.build.receiveInFull(manifestNo, [{ traceCode, massKg: 10 }], 'otherReceiver');
      const clock = app.t.clock as ManualClock;
      try {
        await expect201(
          send(
            app.t,
            `/v1/parties/${PARTIES.otherReceiver.uscc}/permits/${OTHER_RECEIVER_PERMIT.permitNo}/revoke`,
            app.world.tokens.regulator,
            { reason: '超出许可范围经营', occurredAt: '2026-03-02T10:03:01+08:00' },
            keys().next('revoke'),
          ),
        );
        clock.set('2026-03-02T02:03:03Z'); // 10:03:03 in Hangzhou: 2 s after the revocation
        const treated = await expect201(
          send(
            app.t,
            `/v1/batches/${traceCode}/treatments`,
            token('otherReceiver'),
            { operation: 'D10', massKg: 4, occurredAt: '2026-03-02T10:03:00+08:00' },
            keys().next('treat-after-revocation'),
          ),
        );
        const [stored] = await app.t.store.readStream(`batch-${traceCode}`, {
          fromRevision: BigInt(treated.body.revision as string),
        });
        expect(stored.type).toBe('WasteDisposed');
        expect(stored.data).toMatchObject({
          late: true,
          permitNo: OTHER_RECEIVER_PERMIT.permitNo,
          permitLapse: { permitNo: OTHER_RECEIVER_PERMIT.permitNo, how: 'revoked' },
        });
        clock.set('2026-03-02T02:10:00Z');
        const alerts = await app.t.http
          .get(`/v1/alerts?minPosition=${treated.body.position as string}`)
          .set('Authorization', `Bearer ${app.world.tokens.regulator as string}`)
          .expect(200);
        const mine = (
          alerts.body.alerts as { kind: string; subject: { traceCode?: string }; details: object }[]
        ).filter((a) => a.subject.traceCode === traceCode);
        expect(mine.map((a) => a.kind).sort()).toEqual(['after_revocation', 'late_entry']);
        expect(mine.find((a) => a.kind === 'after_revocation')?.details).toMatchObject({
          eventType: 'WasteDisposed',
          permitNo: OTHER_RECEIVER_PERMIT.permitNo,
          how: 'revoked',
          occurredAt: '2026-03-02T10:03:00+08:00',
        });
        // dated after the revocation it is refused outright: judged at occurredAt first
        expectProblem(
          await send(
            app.t,
            `/v1/batches/${traceCode}/treatments`,
            token('otherReceiver'),
            { operation: 'D10', massKg: 1, occurredAt: '2026-03-02T10:03:02+08:00' },
            keys().next('treat-revoked'),
          ),
          422,
          { rule: 'permit-not-valid' },
        );
      } finally {
        clock.set(CLOCK_START);
      }
    });
  });
});
