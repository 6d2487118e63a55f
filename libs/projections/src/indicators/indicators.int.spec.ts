import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { indicatorFacts, indicatorRollup, indicatorsProjection } from './indicators.projection';
import { IndicatorsQuery, type IndicatorsRequest } from './indicators.query';
import { parseIndicatorTargets } from './targets';
import { COLLECTOR, LedgerWorld, OTHER_GENERATOR, RECEIVER, cst } from './testing/ledger-world';
import { projected } from './testing/projected';

/**
 * The indicators projection over real events (decided by the domain, appended to a real store, applied by
 * the real runner), on SQLite and PostgreSQL. The scenario's masses are chosen so every proportional share
 * is exact, so the expected figures are written down by hand:
 *
 *   A  1000 kg HW08 Xihu Jan          ─┐ collector consolidates → X 1300 kg (Xihu-Jan 1000, Binjiang-Feb 300)
 *   B   300 kg HW08 Binjiang Feb      ─┘ X shipped to the receiver in March: 13 kg lost (Xihu 10, Binjiang 3),
 *                                       130 kg rejected (Xihu 100, Binjiang 30) back to the collector;
 *                                       1157 kg accepted: D10 650 in March (500 / 150), R9 507 in April (390 / 117);
 *                                       the rejected part re-shipped in May and landfilled (D1 130: 100 / 30)
 *   C   500 kg HW08 Xihu Feb, corrected −20 kg in March; shipped in December, R9 480 in January 2026
 *   M  2000 kg construction muck Xihu May: D1 1500 + C2 500 in June
 */
function scenario(): LedgerWorld {
  const l = new LedgerWorld();
  l.grantPermit({
    uscc: RECEIVER,
    permitNo: '3301000009',
    hwCategories: ['HW08'],
    wasteCodes: [],
    operations: ['D1'],
    ...times('2025-01-02T08:00'),
  });
  const a = l.generate({ at: cst('2025-01-15T09:00'), grams: 1_000_000 });
  const b = l.generate({ at: cst('2025-02-10T09:00'), grams: 300_000, actor: OTHER_GENERATOR });
  const c = l.generate({ at: cst('2025-02-12T09:00'), grams: 500_000 });
  l.receive(l.ship([a], { at: cst('2025-02-20T11:00'), receiver: COLLECTOR }), cst('2025-02-20T15:00'));
  l.receive(l.ship([b], { at: cst('2025-02-21T11:00'), receiver: COLLECTOR }), cst('2025-02-21T15:00'));
  const x = l.consolidate(
    [
      { traceCode: a, grams: 1_000_000 },
      { traceCode: b, grams: 300_000 },
    ],
    cst('2025-02-25T10:00'),
  );
  l.correct(c, -20_000, cst('2025-03-05T10:00'));
  l.receive(l.ship([x], { at: cst('2025-03-03T11:00') }), cst('2025-03-03T15:00'), {
    [x]: { received: 1_287_000, accepted: 1_157_000 },
  });
  l.treat(x, 'D10', 650_000, cst('2025-03-20T16:00'));
  l.treat(x, 'R9', 507_000, cst('2025-04-10T16:00'));
  const returned = l.world.childOf(x, 0);
  if (l.custodianOf(returned) !== COLLECTOR) throw new Error('the rejected part did not come back');
  l.receive(l.ship([returned], { at: cst('2025-05-06T11:00') }), cst('2025-05-06T15:00'));
  l.treat(returned, 'D1', 130_000, cst('2025-05-06T16:00'));
  const m = l.generate({
    at: cst('2025-05-12T09:00'),
    grams: 2_000_000,
    category: 'construction',
    subtype: 'muck',
  });
  l.receive(l.ship([m], { at: cst('2025-05-12T11:00') }), cst('2025-05-12T15:00'));
  l.treat(m, 'D1', 1_500_000, cst('2025-06-02T16:00'));
  l.treat(m, 'C2', 500_000, cst('2025-06-02T17:00'));
  l.receive(l.ship([c], { at: cst('2025-12-01T11:00') }), cst('2025-12-01T15:00'));
  l.treat(c, 'R9', 480_000, cst('2026-01-15T16:00'));
  return l;
}

function times(local: string): { occurredAt: string; recordedAt: string } {
  const occurredAt = cst(local);
  return { occurredAt, recordedAt: new Date(Date.parse(occurredAt) + 60_000).toISOString() };
}

const HZ = (o: Partial<IndicatorsRequest> & { from: string; to: string }): IndicatorsRequest => ({
  region: '3301',
  category: 'hazardous',
  ...o,
});

describeOnBothDatabases('indicators projection', __filename, (open) => {
  it('counts generation, treatment by mode per origin and period, prior stock, losses and corrections', async () => {
    const fixture = await open('counts');
    const p = await projected(fixture, scenario(), [indicatorsProjection], 7);
    try {
      const query = new IndicatorsQuery(p.dataSource);
      const head = await fixture.store.headPosition();

      const year = await query.indicators(HZ({ from: '2025-01', to: '2025-12' }));
      expect(year).toEqual({
        region: '3301',
        category: 'hazardous',
        from: '2025-01',
        to: '2025-12',
        generatedKg: 1780,
        utilisedKg: 507,
        landfilledKg: 130,
        incineratedKg: 650,
        otherDisposedKg: 0,
        disposedKg: 780,
        utilisedFromPriorStockKg: 0,
        treatedFromPriorStockKg: 0,
        utilisationRate: 507 / 1780,
        landfillRate: 130 / 1287,
        treatedRate: 1287 / 1780,
        targets: [
          { indicator: 'landfillRate', target: 0.05, value: 130 / 1287, met: false },
          { indicator: 'treatedRate', target: 1, value: 1287 / 1780, met: false },
        ],
        position: head.toString(),
      });
      // a loss is not a treatment: it stays generated and untreated
      expect((await query.grams(HZ({ from: '2025-01', to: '2025-12' }))).lost).toBe(13_000n);

      // Xihu's January: generated, nothing treated yet
      expect(await query.indicators(HZ({ region: '330106', from: '2025-01', to: '2025-01' }))).toMatchObject({
        generatedKg: 1000,
        utilisedKg: 0,
        disposedKg: 0,
        utilisationRate: 0,
        landfillRate: null,
        treatedRate: 0,
      });
      // the March correction restates February's generation
      expect(await query.indicators(HZ({ region: '330106', from: '2025-02', to: '2025-02' }))).toMatchObject({
        generatedKg: 480,
      });

      // March–May: everything treated was generated before the period
      expect(await query.indicators(HZ({ from: '2025-03', to: '2025-05' }))).toMatchObject({
        generatedKg: 0,
        incineratedKg: 650,
        utilisedKg: 507,
        landfilledKg: 130,
        utilisedFromPriorStockKg: 507,
        treatedFromPriorStockKg: 1287,
        utilisationRate: 1,
        treatedRate: 1,
        landfillRate: 130 / 1287,
      });
      // attribution by origin: Binjiang's share of the April utilisation
      expect(await query.indicators(HZ({ region: '330108', from: '2025-04', to: '2025-04' }))).toMatchObject({
        generatedKg: 0,
        utilisedKg: 117,
        utilisedFromPriorStockKg: 117,
        treatedFromPriorStockKg: 117,
      });
      expect(await query.indicators(HZ({ region: '330106', from: '2025-03', to: '2025-03' }))).toMatchObject({
        incineratedKg: 500,
        treatedFromPriorStockKg: 500,
      });
      expect((await query.grams(HZ({ region: '330106', from: '2025-03', to: '2025-03' }))).lost).toBe(
        10_000n,
      );

      // the next year: last year's stock
      expect(await query.indicators(HZ({ from: '2026-01', to: '2026-12' }))).toMatchObject({
        generatedKg: 0,
        utilisedKg: 480,
        utilisedFromPriorStockKg: 480,
        treatedFromPriorStockKg: 480,
        utilisationRate: 1,
      });

      // construction and its subtype; targets of the category
      const construction = await query.indicators({
        region: '33',
        category: 'construction',
        from: '2025-01',
        to: '2025-12',
      });
      expect(construction).toMatchObject({
        generatedKg: 2000,
        landfilledKg: 1500,
        utilisedKg: 500,
        utilisationRate: 0.25,
        targets: [{ indicator: 'utilisationRate', target: 0.9, value: 0.25, met: false }],
      });
      const muck = await query.indicators({
        region: '33',
        category: 'construction',
        subtype: 'muck',
        from: '2025-01',
        to: '2025-12',
      });
      expect(muck).toMatchObject({ subtype: 'muck', generatedKg: 2000, utilisedKg: 500 });
      expect(
        await query.indicators({
          region: '33',
          category: 'construction',
          subtype: 'demolition',
          from: '2025-01',
          to: '2025-12',
        }),
      ).toMatchObject({ generatedKg: 0, utilisationRate: null, landfillRate: null, treatedRate: null });

      // all categories: no targets
      expect(await query.indicators({ region: '3301', from: '2025-01', to: '2025-12' })).toMatchObject({
        category: null,
        generatedKg: 3780,
        utilisedKg: 1007,
        landfilledKg: 1630,
        incineratedKg: 650,
        targets: [],
      });
      // another city: nothing
      expect(await query.indicators(HZ({ region: '3302', from: '2025-01', to: '2025-12' }))).toMatchObject({
        generatedKg: 0,
        utilisationRate: null,
        treatedRate: null,
      });
    } finally {
      await p.close();
    }
  });

  it('reaches the same facts whatever the batch boundaries, and again after a rebuild', async () => {
    const fixture = await open('rebuild');
    const one = await projected(fixture, scenario(), [indicatorsProjection], 1);
    try {
      const dump = async () => [
        sorted(await one.runner.dumpTable(indicatorFacts)),
        sorted(await one.runner.dumpTable(indicatorRollup)),
      ];
      const live = await dump();
      expect(live[0].length).toBeGreaterThan(5);
      const result = await one.runner.rebuild({ batchSize: 1000 });
      expect(result.applied.indicators).toBeGreaterThan(0);
      expect(await dump()).toEqual(live);
    } finally {
      await one.close();
    }
  });

  it('evaluates configured targets instead of the defaults', async () => {
    const fixture = await open('targets');
    const p = await projected(fixture, scenario(), [indicatorsProjection]);
    try {
      const targets = parseIndicatorTargets([
        { indicator: 'landfillRate', category: 'hazardous', comparator: '<', value: 0.2, label: 'test' },
      ]);
      const answer = await new IndicatorsQuery(p.dataSource, targets).indicators(
        HZ({ from: '2025-01', to: '2025-12' }),
      );
      expect(answer.targets).toEqual([
        { indicator: 'landfillRate', target: 0.2, value: 130 / 1287, met: true },
      ]);
    } finally {
      await p.close();
    }
  });
});

function sorted<T extends Record<string, unknown>>(rows: T[]): T[] {
  return [...rows].sort((a, b) =>
    JSON.stringify(Object.values(a), big).localeCompare(JSON.stringify(Object.values(b), big)),
  );
}

function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
