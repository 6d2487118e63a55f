import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { pagingOf } from '../query/read-scope';
import {
  CARRIER,
  GENERATOR,
  LedgerWorld,
  OTHER_GENERATOR,
  RECEIVER,
  cst,
} from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { loadReferenceData } from '../reference/reference-data';
import { createAlertsProjection } from './alerts.projection';
import { alerts } from './alerts.tables';

const alertsProjection = createAlertsProjection(loadReferenceData({}));
import { AlertsQuery, type AlertsRequest } from './alerts.query';

/**
 * Alerts over real events, evaluated against a clock given at query time. Monday 3 March 2025 in Hangzhou:
 *   H1 1000 kg shipped and received the same day with 100 kg missing (a discrepancy), stored by the receiver
 *      for more than a year, used up on 10 March 2026;
 *   H2  300 kg picked up on 3 March, due by the end of Monday 10 March, received on 12 March (late);
 *   H3  generated on 1 March, recorded on 5 March (a late entry);
 *   H5  picked up on 3 March but the pickup recorded on 7 March (a late entry), never received;
 *   H6  received in time and used up within the year: no alert at all.
 */
function scenario(): { l: LedgerWorld; h1: string; m1: string; m2: string; m5: string; h3: string } {
  const l = new LedgerWorld();
  const h1 = l.generate({ at: cst('2025-03-03T08:00'), grams: 1_000_000 });
  const h2 = l.generate({ at: cst('2025-03-03T08:10'), grams: 300_000 });
  const h5 = l.generate({ at: cst('2025-03-03T08:20'), grams: 50_000 });
  const h6 = l.generate({ at: cst('2025-03-03T08:30'), grams: 70_000 });
  const h3 = l.generate({
    at: cst('2025-03-01T09:00'),
    recordedAt: '2025-03-05T01:00:00.000Z',
    grams: 20_000,
  });
  const muck = l.generate({ at: cst('2025-03-03T08:40'), grams: 5_000_000, category: 'construction' });
  // one manifest, one category: the muck travels on its own manifest, received in time (no alert)
  const m0 = l.ship([muck], { at: cst('2025-03-03T09:50'), pickedUpAt: cst('2025-03-03T11:50') });
  l.receive(m0, cst('2025-03-03T14:50'));
  const m1 = l.ship([h1, h6], { at: cst('2025-03-03T10:00'), pickedUpAt: cst('2025-03-03T12:00') });
  l.receive(m1, cst('2025-03-03T15:00'), { [h1]: { received: 900_000 } });
  l.treat(h6, 'D10', 70_000, cst('2025-06-01T10:00'));
  const m2 = l.ship([h2], { at: cst('2025-03-03T10:30'), pickedUpAt: cst('2025-03-03T12:00') });
  const m5 = l.ship([h5], { at: cst('2025-03-03T10:40'), pickUp: false });
  l.pickUp(m5, cst('2025-03-03T12:00'), '2025-03-07T01:00:00.000Z');
  l.receive(m2, cst('2025-03-12T10:00'));
  return { l, h1, m1, m2, m5, h3 };
}

describeOnBothDatabases('alerts projection', __filename, (open) => {
  it('raises discrepancies, overdue manifests and storage as the clock passes their deadlines, and late entries', async () => {
    const fixture = await open('alerts');
    const { l, h1, m1, m2, m5, h3 } = scenario();
    const p = await projected(fixture, l, [alertsProjection], 4);
    try {
      const query = new AlertsQuery(p.dataSource);
      const ask = (now: string, o: Partial<AlertsRequest> = {}) =>
        query.alerts({ scope: { kind: 'all' }, paging: pagingOf(undefined, 100), now: new Date(now), ...o });
      const ids = async (now: string, o: Partial<AlertsRequest> = {}) =>
        (await ask(now, o)).alerts.map((a) => `${a.kind} ${a.status}`).sort();

      // before the manifest deadline (end of Monday 10 March): discrepancy and late entries only
      const before = await ask('2025-03-10T23:59:59+08:00');
      expect(before.alerts.map((a) => a.kind).sort()).toEqual(['discrepancy', 'late_entry', 'late_entry']);
      expect(before.position).toBe((await fixture.store.headPosition()).toString());
      const discrepancy = before.alerts.find((a) => a.kind === 'discrepancy');
      expect(discrepancy).toEqual({
        id: `discrepancy:${m1}:${h1}`,
        kind: 'discrepancy',
        status: 'open',
        subject: { manifestNo: m1, traceCode: h1 },
        parties: [
          { uscc: GENERATOR, role: 'shipper', districtCode: '330106' },
          { uscc: CARRIER, role: 'carrier', districtCode: '330105' },
          { uscc: RECEIVER, role: 'receiver', districtCode: '330109' },
        ],
        district: '330106',
        category: 'hazardous',
        categories: ['hazardous'],
        raisedAt: cst('2025-03-03T15:00'),
        resolvedAt: null,
        details: {
          stage: 'receipt',
          shippedKg: 1000,
          receivedKg: 900,
          lostKg: 100,
          deviation: 0.1,
          tolerance: 0.05,
        },
        state: 'open',
        acknowledged: null,
        closed: null,
      });
      const late = before.alerts.filter((a) => a.kind === 'late_entry');
      expect(
        late.map((a) => a.subject).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual(
        [{ manifestNo: m5 }, { traceCode: h3 }].sort((a, b) =>
          JSON.stringify(a).localeCompare(JSON.stringify(b)),
        ),
      );
      expect(late.find((a) => a.subject.traceCode === h3)).toMatchObject({
        raisedAt: '2025-03-05T01:00:00.000Z',
        parties: [{ uscc: GENERATOR, role: 'generator', districtCode: '330106' }],
        details: { eventType: 'WasteGenerated', occurredAt: cst('2025-03-01T09:00'), delayHours: 96 },
      });
      expect(late.find((a) => a.subject.manifestNo === m5)).toMatchObject({
        district: '330105',
        parties: [
          { uscc: CARRIER, role: 'carrier', districtCode: '330105' },
          { uscc: GENERATOR, role: 'shipper', districtCode: '330106' },
          { uscc: RECEIVER, role: 'receiver', districtCode: '330109' },
        ],
        details: { eventType: 'ManifestPickedUp' },
      });

      // at the deadline both picked-up manifests not received by then are overdue: m2 resolved late, m5 open
      expect(await ids('2025-03-11T00:00:00+08:00', { kind: 'overdue_manifest' })).toEqual([
        'overdue_manifest open',
        'overdue_manifest resolved',
      ]);
      const m2Alert = (
        await ask('2025-03-20T00:00:00+08:00', { kind: 'overdue_manifest', status: 'resolved' })
      ).alerts;
      expect(m2Alert).toEqual([
        expect.objectContaining({
          subject: { manifestNo: m2 },
          raisedAt: '2025-03-11T00:00:00.000+08:00',
          resolvedAt: cst('2025-03-12T10:00'),
          details: expect.objectContaining({
            receivedLate: true,
            lateByHours: 34,
            pickedUpAt: cst('2025-03-03T12:00'),
          }),
        }),
      ]);
      // m1 was received in time: never overdue
      expect(
        (await ask('2026-01-01T00:00:00+08:00')).alerts.filter(
          (a) => a.subject.manifestNo === m1 && a.kind === 'overdue_manifest',
        ),
      ).toEqual([]);

      // storage: hazardous H1 only (H6 used up in time, construction never), strictly after a year
      expect(await ids('2026-03-03T15:00:00+08:00', { kind: 'overdue_storage' })).toEqual([]);
      const stored = await ask('2026-03-03T15:00:00.001+08:00', { kind: 'overdue_storage' });
      expect(stored.alerts).toEqual([
        expect.objectContaining({
          status: 'open',
          subject: { traceCode: h1 },
          parties: [{ uscc: RECEIVER, role: 'holder', districtCode: '330109' }],
          district: '330109',
          raisedAt: '2026-03-03T15:00:00.000+08:00',
          details: expect.objectContaining({ storageSince: cst('2025-03-03T15:00') }),
        }),
      ]);
      expect(await query.openCounts(new Date('2026-03-04T00:00:00+08:00'))).toEqual({
        discrepancy: 1,
        overdue_manifest: 1,
        overdue_storage: 1,
        late_entry: 2,
        permit_capacity_warning: 0,
        overdue_medical_storage: 0,
        after_revocation: 0,
      });

      // leaving storage resolves it, keeping that it was overdue
      l.treat(h1, 'R9', 900_000, cst('2026-03-10T10:00'));
      await p.catchUp();
      expect((await ask('2026-03-11T00:00:00+08:00', { kind: 'overdue_storage' })).alerts).toEqual([
        expect.objectContaining({
          status: 'resolved',
          resolvedAt: cst('2026-03-10T10:00'),
          details: expect.objectContaining({ leftStorageBy: 'WasteUtilised' }),
        }),
      ]);
      // H2, received on 12 March 2025 and still stored, is overdue a year later
      expect(await ids('2026-03-12T10:00:00.001+08:00', { kind: 'overdue_storage' })).toEqual([
        'overdue_storage open',
        'overdue_storage resolved',
      ]);

      // scopes and filters
      const now = '2026-03-11T00:00:00+08:00';
      expect((await ask(now, { scope: { kind: 'party', uscc: OTHER_GENERATOR } })).total).toBe(0);
      expect(await ids(now, { scope: { kind: 'party', uscc: RECEIVER } })).toEqual([
        'discrepancy open',
        'late_entry open',
        'overdue_manifest open',
        'overdue_manifest resolved',
        'overdue_storage resolved',
      ]);
      expect(await ids(now, { party: GENERATOR, status: 'open' })).toEqual([
        'discrepancy open',
        'late_entry open',
        'late_entry open',
        'overdue_manifest open',
      ]);
      expect(
        await ids(now, { scope: { kind: 'regulator', regions: ['330109'], categories: ['hazardous'] } }),
      ).toEqual([
        'discrepancy open',
        'late_entry open',
        'overdue_manifest open',
        'overdue_manifest resolved',
        'overdue_storage resolved',
      ]);
      expect(
        (await ask(now, { scope: { kind: 'regulator', regions: ['3301'], categories: ['construction'] } }))
          .total,
      ).toBe(0);
      expect(
        (await ask(now, { scope: { kind: 'regulator', regions: ['3302'], categories: ['hazardous'] } }))
          .total,
      ).toBe(0);
      expect(await ids(now, { region: '330105', kind: 'late_entry' })).toEqual(['late_entry open']);
      expect(await ids(now, { from: new Date('2026-01-01T00:00:00+08:00') })).toEqual([
        'overdue_storage resolved',
      ]);
      expect(await ids(now, { to: new Date('2025-03-04T00:00:00+08:00') })).toEqual(['discrepancy open']);
      const page = await ask(now, { paging: { page: 2, pageSize: 2 } });
      expect(page).toMatchObject({ page: 2, pageSize: 2, total: 6 });
      // newest first
      const all = (await ask(now)).alerts.map((a) => a.raisedAt);
      expect(all.map((t) => Date.parse(t))).toEqual([...all.map((t) => Date.parse(t))].sort((a, b) => b - a));
      expect(page.alerts.map((a) => a.raisedAt)).toEqual(all.slice(2, 4));

      // a rebuild reaches the same alerts
      const dump = async () =>
        (await p.runner.dumpTable(alerts))
          .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
          .sort();
      const live = await dump();
      await p.runner.rebuild({ batchSize: 1000 });
      expect(await dump()).toEqual(live);
    } finally {
      await p.close();
    }
  });
});
