import { CARRIER_2, GENERATOR, RECEIVER } from '@wasteflow/domain/testing';
import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { createAlertsProjection } from '../alerts/alerts.projection';
import { AlertsQuery } from '../alerts/alerts.query';
import { CARRIER, LedgerWorld, cst } from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { inventoryProjection } from '../inventory/inventory.projection';
import { InventoryQuery } from '../inventory/inventory.query';
import { pagingOf } from '../query/read-scope';
import { loadReferenceData } from '../reference/reference-data';
import { traceProjection } from '../trace/trace.projection';
import { TraceQuery } from '../trace/trace.query';
import { createManifestsProjection } from './manifest.projection';
import { ManifestQuery } from './manifest.query';

const reference = loadReferenceData({});
const PROJECTIONS = [
  createManifestsProjection(reference),
  traceProjection,
  inventoryProjection,
  createAlertsProjection(reference),
];

/**
 * 多式联运 (issue 16 item 5) on the read side: a manifest picked up by CARRIER on Monday 3 March 2025 12:00,
 * handed over to CARRIER_2 at 14:00 (recorded 4 days late), received at 16:00. The manifests view lists
 * both legs and is on both carriers' lists; the trace has the hand-over step; the inventory shows CARRIER_2
 * with the waste while in transit; the late hand-over is a late entry naming both carriers; the receipt
 * deadline still counts from the pickup.
 */
describeOnBothDatabases('manifest legs (多式联运)', __filename, (open) => {
  it('shows every leg: manifests view, trace step, inventory carrier, a late hand-over alerted, the deadline from pickup', async () => {
    const fixture = await open('manifest_legs');
    const l = new LedgerWorld();
    l.registerCarrier(CARRIER_2, '330203');
    const code = l.generate({ at: cst('2025-03-03T08:00'), grams: 100_000 });
    const no = l.ship([code], { at: cst('2025-03-03T10:00'), pickedUpAt: cst('2025-03-03T12:00') });
    l.handOver(no, cst('2025-03-03T14:00'), {
      nextCarrier: CARRIER_2,
      vehiclePlate: '浙B67890',
      place: '宁波北仑港联运站',
      recordedAt: '2025-03-07T06:00:00.000Z',
    });
    const p = await projected(fixture, l, PROJECTIONS, 3);
    try {
      const now = new Date('2025-03-07T08:00:00Z');
      const manifests = new ManifestQuery(p.dataSource);
      const { view, access } = await manifests.find(no, now);
      expect(view.legs).toEqual([
        {
          leg: 1,
          carrier: { uscc: CARRIER, name: expect.any(String) },
          vehiclePlate: '浙A12345',
          startedAt: cst('2025-03-03T12:00'),
        },
        {
          leg: 2,
          carrier: { uscc: CARRIER_2, name: expect.any(String) },
          vehiclePlate: '浙B67890',
          startedAt: cst('2025-03-03T14:00'),
          place: '宁波北仑港联运站',
        },
      ]);
      expect(view.currentCarrierUscc).toBe(CARRIER_2);
      expect(view.carrier.uscc).toBe(CARRIER);
      // the receipt deadline is the pickup's: 5 working days after Monday 3 March
      expect(view.dueAt).toBe('2025-03-11T00:00:00.000+08:00');
      expect(access.parties).toEqual(expect.arrayContaining([GENERATOR, CARRIER, CARRIER_2, RECEIVER]));
      for (const party of [CARRIER, CARRIER_2]) {
        const page = await manifests.list(
          { kind: 'party', partyUscc: party },
          { page: 1, pageSize: 10 },
          now,
        );
        expect(page.items.map((m) => m.manifestNo)).toEqual([no]);
      }

      const { view: trace, access: traceAccess } = await new TraceQuery(p.dataSource).find(code);
      expect(trace.openManifest).toMatchObject({
        manifestNo: no,
        stage: 'in_transit',
        carrierUscc: CARRIER_2,
      });
      expect(trace.steps.find((s) => s.type === 'BatchHandedOver')).toMatchObject({
        actorUscc: CARRIER,
        counterpartyUscc: CARRIER_2,
        carrierUscc: CARRIER_2,
        vehiclePlate: '浙B67890',
        place: '宁波北仑港联运站',
        leg: 2,
        massKg: 100,
        late: true,
      });
      expect(traceAccess.parties).toContain(CARRIER_2);

      const inventory = await new InventoryQuery(p.dataSource).inventory({
        scope: { kind: 'party', uscc: GENERATOR },
        paging: pagingOf(undefined, 10),
        now,
      });
      expect(inventory.batches.find((b) => b.traceCode === code)).toMatchObject({
        holderUscc: GENERATOR,
        status: 'in_transit',
        inTransitKg: 100,
        manifest: { manifestNo: no, carrierUscc: CARRIER_2 },
      });

      const late = (
        await new AlertsQuery(p.dataSource).alerts({
          scope: { kind: 'all' },
          paging: pagingOf(undefined, 100),
          now,
          kind: 'late_entry',
        })
      ).alerts.filter((a) => a.details.eventType === 'ManifestHandedOver');
      expect(late).toHaveLength(1);
      expect(late[0].parties.map((x) => x.uscc)).toEqual(
        expect.arrayContaining([CARRIER, CARRIER_2, GENERATOR, RECEIVER]),
      );

      // not received by its deadline: the overdue alert names the carrier holding it now as well
      const overdue = (
        await new AlertsQuery(p.dataSource).alerts({
          scope: { kind: 'party', uscc: CARRIER_2 },
          paging: pagingOf(undefined, 100),
          now: new Date('2025-03-12T00:00:00Z'),
          kind: 'overdue_manifest',
        })
      ).alerts;
      expect(overdue.map((a) => a.subject.manifestNo)).toEqual([no]);
      expect(overdue[0].parties.map((x) => x.uscc)).toEqual(
        expect.arrayContaining([CARRIER, CARRIER_2, GENERATOR, RECEIVER]),
      );

      l.receive(no, cst('2025-03-07T15:00'));
      await p.catchUp();
      const received = await manifests.find(no, new Date('2025-03-08T00:00:00Z'));
      expect(received.view).toMatchObject({ status: 'received', overdue: false });
      expect(received.view.legs).toHaveLength(2);
    } finally {
      await p.close();
    }
  });
});
