import type { AlertFacts } from '@wasteflow/domain';
import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { pagingOf } from '../query/read-scope';
import { CARRIER, GENERATOR, LedgerWorld, RECEIVER, cst } from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { loadReferenceData } from '../reference/reference-data';
import { createAlertsProjection } from './alerts.projection';
import { AlertsQuery, type AlertsRequest } from './alerts.query';

const alertsProjection = createAlertsProjection(loadReferenceData({}));

const HANGZHOU = { tokenId: 'tok-hz', districts: ['3301'], categories: ['hazardous'] };

/** What the alerts read model says of an overdue manifest of hazardous waste of the base world. */
function overdueFacts(manifestNo: string): AlertFacts {
  return {
    alertId: `overdue_manifest:${manifestNo}`,
    kind: 'overdue_manifest',
    parties: [
      { uscc: GENERATOR, role: 'shipper', districtCode: '330106' },
      { uscc: CARRIER, role: 'carrier', districtCode: '330105' },
      { uscc: RECEIVER, role: 'receiver', districtCode: '330109' },
    ],
    categories: ['hazardous'],
    raisedAt: '2025-03-11T00:00:00.000+08:00',
    readAt: '0',
  };
}

/**
 * The life of alerts (issue 16 item 7). Three hazardous manifests picked up on Monday 3 March 2025, never
 * received, overdue from 00:00 CST on Tuesday 11 March:
 *   A acknowledged by its carrier on 11 March, closed by a Hangzhou regulator on 12 March;
 *   B closed by the regulator on 12 March without any acknowledgement;
 *   C acknowledged by its receiver, not closed;
 *   D nobody acted on.
 */
describeOnBothDatabases('alert lifecycle', __filename, (open) => {
  it('folds acknowledgements and closures into the alert, lists alerts by state and keeps each step in its history', async () => {
    const fixture = await open('alerts_lifecycle');
    const l = new LedgerWorld();
    const [a, b, c, d] = ['08:00', '08:10', '08:20', '08:30'].map((t, i) =>
      l.ship([l.generate({ at: cst(`2025-03-03T${t}`), grams: 100_000 + i })], {
        at: cst(`2025-03-03T1${i}:00`),
        pickedUpAt: cst(`2025-03-03T1${i}:30`),
      }),
    );
    l.acknowledgeAlert(overdueFacts(a), CARRIER, '车辆故障，次日送达', cst('2025-03-11T09:00'));
    l.closeAlert(overdueFacts(a), HANGZHOU, '核实属实，已责令整改', cst('2025-03-12T15:00'));
    l.closeAlert(overdueFacts(b), HANGZHOU, '现场检查：已送达未登记', cst('2025-03-12T15:10'));
    l.acknowledgeAlert(overdueFacts(c), RECEIVER, '尚未收到，正在联系承运人', cst('2025-03-11T10:00'));
    const p = await projected(fixture, l, [alertsProjection], 3);
    try {
      const query = new AlertsQuery(p.dataSource);
      const now = new Date('2025-03-13T00:00:00+08:00');
      const ask = (o: Partial<AlertsRequest> = {}) =>
        query.alerts({
          scope: { kind: 'all' },
          paging: pagingOf(undefined, 100),
          now,
          kind: 'overdue_manifest',
          ...o,
        });
      const byState = async (state: 'open' | 'acknowledged' | 'closed') =>
        (await ask({ state })).alerts.map((x) => x.subject.manifestNo).sort();

      expect(await byState('open')).toEqual([d]);
      expect(await byState('acknowledged')).toEqual([c]);
      expect(await byState('closed')).toEqual([a, b].sort());
      expect((await ask()).total).toBe(4);
      // the life of an alert is apart from whether its condition holds: all four are still unresolved
      expect((await ask({ status: 'open', state: 'closed' })).total).toBe(2);

      const listed = (await ask()).alerts.find((x) => x.subject.manifestNo === a);
      expect(listed).toMatchObject({
        state: 'closed',
        status: 'open',
        acknowledged: {
          by: CARRIER,
          role: 'carrier',
          at: cst('2025-03-11T09:00'),
          note: '车辆故障，次日送达',
        },
        closed: {
          by: HANGZHOU,
          at: cst('2025-03-12T15:00'),
          finding: '核实属实，已责令整改',
          closedFrom: 'acknowledged',
        },
      });
      const untouched = (await ask()).alerts.find((x) => x.subject.manifestNo === d);
      expect(untouched).toMatchObject({ state: 'open', acknowledged: null, closed: null });

      const one = await query.alert(`overdue_manifest:${a}`, now);
      expect(one?.history.map((s) => [s.step, s.at])).toEqual([
        ['acknowledged', cst('2025-03-11T09:00')],
        ['closed', cst('2025-03-12T15:00')],
      ]);
      expect(one?.history.every((s) => /^\d+$/.test(s.position))).toBe(true);
      expect((await query.alert(`overdue_manifest:${b}`, now))?.closed).toMatchObject({ closedFrom: 'open' });

      // the facts the lifecycle's decisions read: whom it names, where, which category — once raised
      expect(await query.facts(`overdue_manifest:${d}`, now)).toEqual({
        ...overdueFacts(d),
        readAt: (await fixture.store.headPosition()).toString(),
      });
      expect(
        await query.facts(`overdue_manifest:${d}`, new Date('2025-03-10T23:59:59+08:00')),
      ).toBeUndefined();
      expect(await query.facts('overdue_manifest:20259999999999', now)).toBeUndefined();
    } finally {
      await p.close();
    }
  });
});
