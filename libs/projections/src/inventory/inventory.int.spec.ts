import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { pagingOf, type ReadScope } from '../query/read-scope';
import {
  GENERATOR,
  LedgerWorld,
  OTHER_GENERATOR,
  RECEIVER,
  CARRIER,
  cst,
} from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { inventoryBatches, inventoryProjection, inventoryTotals } from './inventory.projection';
import { InventoryQuery, type InventoryRequest } from './inventory.query';

const ALL: ReadScope = { kind: 'all' };

describeOnBothDatabases('inventory projection', __filename, (open) => {
  it('follows custody: held, consigned and in transit on a manifest, received into storage, returned, used up', async () => {
    const fixture = await open('custody');
    const l = new LedgerWorld();
    const h1 = l.generate({ at: cst('2025-03-03T09:00'), grams: 400_000 });
    const h2 = l.generate({ at: cst('2025-03-03T09:10'), grams: 600_000 });
    const i1 = l.generate({
      at: cst('2025-03-03T09:20'),
      grams: 2_000_000,
      category: 'industrial',
      subtype: 'slag',
    });
    const h3 = l.generate({ at: cst('2025-03-03T09:30'), grams: 100_000, actor: OTHER_GENERATOR });
    const manifestNo = l.ship([h1], { at: cst('2025-03-03T11:00'), pickUp: false });
    const p = await projected(fixture, l, [inventoryProjection], 3);
    try {
      const query = new InventoryQuery(p.dataSource);
      const ask = (o: Partial<InventoryRequest> = {}) =>
        query.inventory({
          scope: ALL,
          paging: pagingOf(undefined, undefined),
          now: new Date('2025-03-13T12:00:00+08:00'),
          ...o,
        });

      // consigned: still the generator's, counted in transit with the manifest and carrier
      let answer = await ask({ party: GENERATOR, category: 'hazardous' });
      expect(answer.totals).toEqual([
        expect.objectContaining({
          partyUscc: GENERATOR,
          districtCode: '330106',
          category: 'hazardous',
          wasteCode: '900-249-08',
          heldKg: 600,
          inTransitKg: 400,
          batches: 2,
        }),
      ]);
      expect(answer.batches.find((b) => b.traceCode === h1)).toMatchObject({
        status: 'consigned',
        heldKg: 0,
        inTransitKg: 400,
        manifest: { manifestNo, carrierUscc: CARRIER, receiverUscc: RECEIVER },
        storageSince: null,
        heldSince: cst('2025-03-03T09:00'),
        storageAgeDays: 10,
      });
      expect(answer.position).toBe((await fixture.store.headPosition()).toString());

      l.pickUp(manifestNo, cst('2025-03-03T13:00'));
      await p.catchUp();
      answer = await ask({ party: GENERATOR, category: 'hazardous' });
      expect(answer.batches.find((b) => b.traceCode === h1)).toMatchObject({
        status: 'in_transit',
        inTransitKg: 400,
      });

      // received: 10 kg lost, 90 kg rejected back to the generator, 300 kg into the receiver's storage
      l.receive(manifestNo, cst('2025-03-03T15:00'), { [h1]: { received: 390_000, accepted: 300_000 } });
      await p.catchUp();
      const returned = l.world.childOf(h1, 0);
      answer = await ask({ party: RECEIVER });
      expect(answer.totals).toEqual([
        expect.objectContaining({ partyUscc: RECEIVER, heldKg: 300, inTransitKg: 0, batches: 1 }),
      ]);
      expect(answer.batches).toEqual([
        expect.objectContaining({
          traceCode: h1,
          holderUscc: RECEIVER,
          districtCode: '330109',
          status: 'held',
          massKg: 300,
          heldKg: 300,
          manifest: null,
          storageSince: cst('2025-03-03T15:00'),
          storageAgeDays: 9,
        }),
      ]);
      answer = await ask({ party: GENERATOR, category: 'hazardous' });
      expect(answer.totals).toEqual([expect.objectContaining({ heldKg: 690, inTransitKg: 0, batches: 2 })]);
      expect(answer.batches.map((b) => b.traceCode).sort()).toEqual([h2, returned].sort());
      // the returned part is as old as the waste in it (generated at 09:00)
      expect(answer.batches.find((b) => b.traceCode === returned)).toMatchObject({
        heldKg: 90,
        storageSince: null,
        storageAgeDays: 10,
      });

      // used up at the receiver: gone; split at the generator: two batches
      l.treat(h1, 'D10', 300_000, cst('2025-03-04T10:00'));
      const [part] = l.split(h2, [200_000], cst('2025-03-04T10:00'));
      await p.catchUp();
      expect((await ask({ party: RECEIVER })).batches).toEqual([]);
      expect((await ask({ party: RECEIVER })).totals).toEqual([]);
      answer = await ask({ party: GENERATOR });
      expect(answer.summary).toEqual({ heldKg: 2690, inTransitKg: 0, batches: 4 });
      expect(answer.totals).toEqual([
        expect.objectContaining({
          category: 'hazardous',
          subtype: null,
          wasteCode: '900-249-08',
          heldKg: 690,
          batches: 3,
        }),
        expect.objectContaining({
          category: 'industrial',
          subtype: 'slag',
          wasteCode: null,
          heldKg: 2000,
          batches: 1,
        }),
      ]);
      // oldest first (a returned part and a split part are as old as the waste in them), paged
      const byAge = [returned, ...[h2, part].sort(), i1];
      expect(answer.batches.map((b) => b.traceCode)).toEqual(byAge);
      expect(answer.batches.map((b) => [b.heldSince, b.storageAgeDays])).toEqual([
        [cst('2025-03-03T15:00'), 10],
        ...[h2, part]
          .sort()
          .map((code) => [code === h2 ? cst('2025-03-03T09:10') : cst('2025-03-04T10:00'), 10]),
        [cst('2025-03-03T09:20'), 10],
      ]);
      const page2 = await ask({ party: GENERATOR, paging: { page: 2, pageSize: 3 } });
      expect(page2).toMatchObject({ page: 2, pageSize: 3, total: 4 });
      expect(page2.batches.map((b) => b.traceCode)).toEqual([i1]);
      expect((await ask({ party: GENERATOR, subtype: 'slag' })).batches.map((b) => b.traceCode)).toEqual([
        i1,
      ]);
      expect(
        (await ask({ wasteCode: '900-249-08', region: '330108' })).batches.map((b) => b.traceCode),
      ).toEqual([h3]);

      // scopes: a party sees its own; a regulator its regions and categories; an auditor everything
      expect(
        (await ask({ scope: { kind: 'party', uscc: OTHER_GENERATOR } })).batches.map((b) => b.traceCode),
      ).toEqual([h3]);
      const xihuHazardous = await ask({
        scope: { kind: 'regulator', regions: ['330106'], categories: ['hazardous'] },
      });
      expect(xihuHazardous.batches.map((b) => b.traceCode)).toEqual([returned, ...[h2, part].sort()]);
      expect(xihuHazardous.totals.map((t) => t.partyUscc)).toEqual([GENERATOR]);
      const city = await ask({
        scope: { kind: 'regulator', regions: ['3301'], categories: ['hazardous', 'industrial'] },
      });
      expect(city.total).toBe(5);
      expect(
        (await ask({ scope: { kind: 'regulator', regions: ['3302'], categories: ['hazardous'] } })).total,
      ).toBe(0);
      expect((await ask()).summary).toEqual({ heldKg: 2790, inTransitKg: 0, batches: 5 });

      // a rebuild reaches the same tables
      const before = [
        await p.runner.dumpTable(inventoryBatches),
        await p.runner.dumpTable(inventoryTotals),
      ].map(canonical);
      await p.runner.rebuild({ batchSize: 1000 });
      const after = [
        await p.runner.dumpTable(inventoryBatches),
        await p.runner.dumpTable(inventoryTotals),
      ].map(canonical);
      expect(after).toEqual(before);
    } finally {
      await p.close();
    }
  });
});

/** Rows in key order, zero-total rows left out (a rebuild never creates them). */
function canonical(rows: Record<string, unknown>[]): string[] {
  return rows
    .filter((r) => r.batches === undefined || r.batches !== 0)
    .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
    .sort();
}
