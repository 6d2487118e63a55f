import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { pagingOf } from '../query/read-scope';
import { CARRIER, LedgerWorld, cst } from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { loadReferenceData } from '../reference/reference-data';
import { createAlertsProjection } from './alerts.projection';
import { AlertsQuery } from './alerts.query';

const alertsProjection = createAlertsProjection(loadReferenceData({}));

/**
 * 纸质联单补录 (issue 16 item 6). Two paper manifests picked up on Monday 3 March 2025 in Hangzhou; the 10th
 * working day after it is Monday 17 March, so an entry from 18 March 00:00 CST on is late:
 *   P1 back-filled on 20 March (13 working days): one late_entry, saying paper back-fill;
 *   P2 back-filled on 14 March (9 working days, well past 72 hours): no late entry at all;
 *   H  an ordinary pickup recorded 4 days late: the 72-hour late entry, as before.
 */
describeOnBothDatabases('paper back-fill alerts', __filename, (open) => {
  it('raises a late entry for a paper manifest entered more than 10 working days after its pickup, and only then', async () => {
    const fixture = await open('alerts_paper');
    const l = new LedgerWorld();
    const [a, b, c] = ['08:00', '08:10', '08:20'].map((t) =>
      l.generate({ at: cst(`2025-03-03T${t}`), grams: 100_000 }),
    );
    const pickedUpAt = cst('2025-03-03T12:00');
    const p1 = l.ship([a], {
      at: cst('2025-03-03T10:00'),
      pickedUpAt,
      paper: true,
      recordedAt: '2025-03-20T01:00:00.000Z',
    });
    l.ship([b], {
      at: cst('2025-03-03T10:10'),
      pickedUpAt,
      paper: true,
      recordedAt: '2025-03-14T01:00:00.000Z',
    });
    const m3 = l.ship([c], { at: cst('2025-03-03T10:20'), pickUp: false });
    l.pickUp(m3, pickedUpAt, '2025-03-07T01:00:00.000Z');
    const p = await projected(fixture, l, [alertsProjection], 4);
    try {
      const late = (
        await new AlertsQuery(p.dataSource).alerts({
          scope: { kind: 'all' },
          paging: pagingOf(undefined, 100),
          now: new Date('2025-04-01T00:00:00+08:00'),
          kind: 'late_entry',
        })
      ).alerts;
      expect(late.map((x) => x.subject.manifestNo).sort()).toEqual([p1, m3].sort());
      expect(late.find((x) => x.subject.manifestNo === p1)).toMatchObject({
        id: `late_entry:paper:${p1}`,
        kind: 'late_entry',
        status: 'open',
        raisedAt: '2025-03-20T01:00:00.000Z',
        parties: [
          expect.objectContaining({ uscc: CARRIER, role: 'carrier' }),
          expect.anything(),
          expect.anything(),
        ],
        details: {
          eventType: 'ManifestPickedUp',
          paper: true,
          occurredAt: pickedUpAt,
          recordedAt: '2025-03-20T01:00:00.000Z',
          workingDays: 10,
          dueAt: '2025-03-18T00:00:00.000+08:00',
        },
      });
      expect(late.find((x) => x.subject.manifestNo === m3)?.details).toMatchObject({ delayHours: 93 });
    } finally {
      await p.close();
    }
  });
});
