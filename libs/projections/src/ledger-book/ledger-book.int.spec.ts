import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { GENERATOR, LedgerWorld, RECEIVER, CARRIER, cst } from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { ledgerBookProjection } from './ledger-book.projection';
import { ledgerBookEntries, type LedgerBookTableNo } from './ledger-book.tables';
import {
  LEDGER_BOOK_PAGE,
  LedgerBookQuery,
  type LedgerBookEntry,
  type LedgerBookRequest,
} from './ledger-book.query';

const YEAR_2025 = {
  fromMs: Date.parse('2025-01-01T00:00:00+08:00'),
  toMs: Date.parse('2026-01-01T00:00:00+08:00'),
};

async function read(
  query: LedgerBookQuery,
  request: LedgerBookRequest,
): Promise<{ position: bigint; tables: Record<number, LedgerBookEntry[]>; counts: Record<number, number> }> {
  const { position, counts } = await query.open(request);
  const tables: Record<number, LedgerBookEntry[]> = {};
  for (const t of [1, 2, 3, 4, 5] as LedgerBookTableNo[]) {
    tables[t] = [];
    for await (const page of query.entries(request, t, position)) tables[t].push(...page);
  }
  return { position, tables, counts };
}

const brief = (e: LedgerBookEntry) => [e.traceCode, e.movement, Number(e.grams)];

describeOnBothDatabases('ledger-book projection', __filename, (open) => {
  it('puts each event of a party in the HJ 1259 tables it belongs to, linked by batch code, exact to the gram', async () => {
    const fixture = await open('tables');
    const l = new LedgerWorld();
    const a = l.generate({ at: cst('2025-03-03T09:00'), grams: 400_123 });
    const b = l.generate({ at: cst('2025-03-03T09:10'), grams: 600_000 });
    const [part] = l.split(b, [250_000], cst('2025-03-03T10:00'));
    const manifestNo = l.ship([a], { at: cst('2025-03-03T11:00') });
    l.receive(manifestNo, cst('2025-03-03T15:00'), { [a]: { received: 390_123, accepted: 300_000 } });
    l.treat(a, 'D10', 200_000, cst('2025-03-05T10:00'));
    // last year's generation is outside the period
    l.generate({ at: cst('2024-12-31T23:59'), grams: 1_000 });
    const p = await projected(fixture, l, [ledgerBookProjection], 3);
    try {
      const query = new LedgerBookQuery(p.dataSource);
      const generator = await read(query, { partyUscc: GENERATOR, ...YEAR_2025 });
      expect(generator.position).toBe(await fixture.store.headPosition());
      expect(generator.tables[1].map(brief)).toEqual([
        [a, 'generated', 400_123],
        [b, 'generated', 600_000],
      ]);
      const returned = l.world.childOf(a, 0);
      expect(generator.tables[2].map(brief)).toEqual([
        [a, 'generated', 400_123],
        [b, 'generated', 600_000],
        [part, 'split', 250_000],
        [returned, 'returned', 90_123],
      ]);
      // each row links to the table before it: the split part to its parent, the returned part to the shipped batch
      expect(generator.tables[2][2].linkedCodes).toBe(b);
      expect(generator.tables[2][3]).toMatchObject({ linkedCodes: a, manifestNo });
      expect(generator.tables[3].map(brief)).toEqual([
        [b, 'split', 250_000],
        [a, 'shipped', 400_123],
      ]);
      expect(generator.tables[3][1]).toMatchObject({
        manifestNo,
        carrierUscc: CARRIER,
        vehiclePlate: expect.any(String),
      });
      expect(generator.tables[4]).toEqual([]);
      // the receiver's treatment is the generator's outsourced disposal (table 5), with the receiver and manifest
      expect(generator.tables[5]).toEqual([
        expect.objectContaining({
          traceCode: a,
          grams: 200_000n,
          operation: 'D10',
          mode: 'incineration',
          counterpartyUscc: RECEIVER,
          manifestNo,
          eventType: 'WasteDisposed',
          category: 'hazardous',
          wasteCode: '900-249-08',
        }),
      ]);
      expect(generator.counts).toEqual({ 1: 2, 2: 4, 3: 2, 4: 0, 5: 1 });

      const receiver = await read(query, { partyUscc: RECEIVER, ...YEAR_2025 });
      expect(receiver.tables[1]).toEqual([]);
      expect(receiver.tables[2]).toEqual([
        expect.objectContaining({
          traceCode: a,
          movement: 'received',
          grams: 300_000n,
          counterpartyUscc: GENERATOR,
        }),
      ]);
      expect(receiver.tables[3].map(brief)).toEqual([[a, 'treated', 200_000]]);
      expect(receiver.tables[4]).toEqual([
        expect.objectContaining({ traceCode: a, operation: 'D10', grams: 200_000n }),
      ]);
      expect(receiver.tables[5]).toEqual([]);

      // every row names the event it came from
      const events = new Map<string, { type: string; position: bigint }>();
      for (const e of await fixture.store.readAll()) events.set(e.id, { type: e.type, position: e.position });
      for (const row of Object.values(generator.tables).flat())
        expect(events.get(row.eventId)).toEqual({ type: row.eventType, position: BigInt(row.position) });

      // a regulator of other categories reads nothing of it; the period bounds are CST
      expect(
        (await read(query, { partyUscc: GENERATOR, ...YEAR_2025, categories: ['industrial'] })).counts[1],
      ).toBe(0);
      const lastYear = await read(query, {
        partyUscc: GENERATOR,
        fromMs: Date.parse('2024-12-31T00:00:00+08:00'),
        toMs: YEAR_2025.fromMs,
      });
      expect(lastYear.tables[1].map((e) => Number(e.grams))).toEqual([1_000]);

      // a rebuild reaches the same rows
      const before = await p.runner.dumpTable(ledgerBookEntries);
      await p.runner.rebuild({ batchSize: 1000 });
      expect(await p.runner.dumpTable(ledgerBookEntries)).toEqual(before);
    } finally {
      await p.close();
    }
  });

  it('reads a long book page by page in ledger order, none twice, none skipped', async () => {
    const fixture = await open('pages');
    const l = new LedgerWorld();
    const n = LEDGER_BOOK_PAGE + 7;
    for (let i = 0; i < n; i++) l.generate({ at: cst('2025-06-01T08:00'), grams: 1_000 + i });
    const p = await projected(fixture, l, [ledgerBookProjection], 500);
    try {
      const query = new LedgerBookQuery(p.dataSource);
      const request = { partyUscc: GENERATOR, ...YEAR_2025 };
      const { position } = await query.open(request);
      const pages: number[] = [];
      const grams: number[] = [];
      for await (const page of query.entries(request, 1, position)) {
        pages.push(page.length);
        grams.push(...page.map((e) => Number(e.grams)));
      }
      expect(pages).toEqual([LEDGER_BOOK_PAGE, 7]);
      expect(grams).toEqual(Array.from({ length: n }, (_, i) => 1_000 + i));
    } finally {
      await p.close();
    }
  });
});
