import {
  BatchAlreadyExists,
  BatchOnOpenManifest,
  CategoryMismatch,
  DuplicateLine,
  InvalidValue,
  MassNotConserved,
  NotCustodian,
  PartyNotFound,
  TooFewConsolidationInputs,
  TraceCodeMismatch,
  WasteCodeMismatch,
} from '../errors';
import {
  COLLECTOR,
  GENERATOR,
  OTHER_GENERATOR,
  XIHU,
  YUHANG,
  BINJIANG,
  at,
  baseWorld,
  consolidateCommand,
  deliver,
  generate,
  givenState,
  issue,
  issueManifestCommand,
  randomPart,
  timed,
  type World,
} from '../testing';
import { composeTraceCode, legacyChildTraceCode } from '../values/trace-code';
import { compositionTotal } from '../origin/composition';
import { evolveBatch } from './batch.state';
import { decideConsolidateBatches, type ConsolidateBatchesCommand } from './consolidate-batches.decide';

const target = (
  district = XIHU,
  category: 'hazardous' | 'industrial' = 'hazardous',
  date = '250303',
  n = 99,
) => composeTraceCode({ districtCode: district, category, date, randomPart: randomPart(n) });

/** Two hazardous batches of GENERATOR: 400 kg generated in February, 600 kg in March. */
function twoBatches(): { world: World; a: string; b: string } {
  const g1 = generate(baseWorld(), {
    massGrams: 400_000,
    randomPart: randomPart(1),
    ...timed('2025-02-27T09:00'),
  });
  const g2 = generate(g1.world, { massGrams: 600_000, randomPart: randomPart(2) });
  return { world: g2.world, a: g1.traceCode, b: g2.traceCode };
}

const decideIn = (world: World, command: ConsolidateBatchesCommand) =>
  givenState(world).when((w) =>
    decideConsolidateBatches(command, {
      consolidator: w.party(command.actorUscc),
      inputs: w.batches,
      ...(command.traceCode === undefined ? {} : { target: w.batch(command.traceCode) }),
    }),
  );

describe('consolidate (n → 1, 小箱进大箱)', () => {
  it('given two batches of one code, when their custodian consolidates them, then a new batch whose composition is the mix of its inputs', () => {
    const { world, a, b } = twoBatches();
    const into = target();
    const share = (month: string, grams: number) => ({
      districtCode: XIHU,
      category: 'hazardous' as const,
      wasteCode: '900-249-08',
      generatedMonth: month,
      grams,
    });
    const common = { occurredAt: at('10:30'), late: false };
    decideIn(
      world,
      consolidateCommand(into, [
        { traceCode: b, massGrams: 600_000 },
        { traceCode: a, massGrams: 400_000 },
      ]),
    ).then([
      {
        traceCode: into,
        isNew: true,
        events: [
          {
            type: 'BatchesConsolidated',
            schemaVersion: 1,
            data: {
              traceCode: into,
              custodianUscc: GENERATOR,
              category: 'hazardous',
              wasteCode: '900-249-08',
              catalogueEdition: '2021-fixture',
              inputs: [a, b].sort().map((c) => ({ traceCode: c, massGrams: c === a ? 400_000 : 600_000 })),
              massGrams: 1_000_000,
              composition: [share('2025-02', 400_000), share('2025-03', 600_000)],
              ...common,
            },
          },
        ],
      },
      ...[a, b].sort().map((c) => ({
        traceCode: c,
        isNew: false,
        events: [
          {
            type: 'BatchConsolidatedInto' as const,
            schemaVersion: 1 as const,
            data: {
              traceCode: c,
              intoTraceCode: into,
              actorUscc: GENERATOR,
              massGrams: c === a ? 400_000 : 600_000,
              composition: [share(c === a ? '2025-02' : '2025-03', c === a ? 400_000 : 600_000)],
              remainingGrams: 0,
              ...common,
            },
          },
        ],
      })),
    ]);
  });

  it('takes part of an input: the rest stays in it, proportionally', () => {
    const { world, a, b } = twoBatches();
    const out = decideIn(
      world,
      consolidateCommand(target(), [
        { traceCode: a, massGrams: 100_000 },
        { traceCode: b, massGrams: 300_000 },
      ]),
    ).result();
    const input = out.find((s) => s.traceCode === a);
    const after = input?.events.reduce(evolveBatch, world.batch(a));
    expect(after?.status === 'held' && after.heldGrams).toBe(300_000);
    expect(
      compositionTotal(
        out[0].events[0].type === 'BatchesConsolidated' ? out[0].events[0].data.composition : [],
      ),
    ).toBe(400_000);
  });

  it("mixes origins of several generators at a collector (the collector's district in the new code)", () => {
    let w = baseWorld();
    const g1 = generate(w, { randomPart: randomPart(1), massGrams: 300_000 });
    const g2 = generate(g1.world, {
      actorUscc: OTHER_GENERATOR,
      randomPart: randomPart(2),
      massGrams: 100_000,
    });
    w = deliver(g2.world, [g1.traceCode], { manifestNo: '20253301000001', receiverUscc: COLLECTOR });
    w = deliver(w, [g2.traceCode], {
      manifestNo: '20253301000002',
      receiverUscc: COLLECTOR,
      shipperUscc: OTHER_GENERATOR,
      day: '2025-03-04',
    });
    const into = target(YUHANG, 'hazardous', '250305');
    const [created] = decideIn(
      w,
      consolidateCommand(
        into,
        [
          { traceCode: g1.traceCode, massGrams: 300_000 },
          { traceCode: g2.traceCode, massGrams: 100_000 },
        ],
        { actorUscc: COLLECTOR, ...timed('2025-03-05T09:00') },
      ),
    ).result();
    const e = created.events[0];
    expect(
      e.type === 'BatchesConsolidated' && e.data.composition.map((s) => [s.districtCode, s.grams]),
    ).toEqual([
      [XIHU, 300_000],
      [BINJIANG, 100_000],
    ]);
    expect(e.type === 'BatchesConsolidated' && e.data.storageSince).toBe('2025-03-03T15:00:00+08:00');
  });

  it('composes the new code from a random part: consolidator district, category, CST date', () => {
    const { world, a, b } = twoBatches();
    const lines = [
      { traceCode: a, massGrams: 1 },
      { traceCode: b, massGrams: 1 },
    ];
    const [created] = decideIn(
      world,
      consolidateCommand(undefined, lines, { randomPart: randomPart(99) }),
    ).result();
    expect(created.traceCode).toBe(target());
    decideIn(world, consolidateCommand(target(), lines, { randomPart: randomPart(99) })).thenThrows(
      InvalidValue,
      { field: 'traceCode' },
    );
    decideIn(world, consolidateCommand(undefined, lines)).thenThrows(InvalidValue, { field: 'traceCode' });
  });

  it('names the line at fault by its position in the command', () => {
    const { world, a, b } = twoBatches();
    for (const [first, second] of [
      [a, b],
      [b, a],
    ]) {
      decideIn(
        world,
        consolidateCommand(target(), [
          { traceCode: first, massGrams: 1 },
          { traceCode: second, massGrams: 999_999_999 },
        ]),
      ).thenThrows(MassNotConserved, {
        field: 'lines[1].massGrams',
      });
    }
  });

  it('refuses fewer than two inputs and duplicates', () => {
    const { world, a } = twoBatches();
    decideIn(world, consolidateCommand(target(), [{ traceCode: a, massGrams: 1 }])).thenThrows(
      TooFewConsolidationInputs,
    );
    decideIn(
      world,
      consolidateCommand(target(), [
        { traceCode: a, massGrams: 1 },
        { traceCode: a.toLowerCase(), massGrams: 1 },
      ]),
    ).thenThrows(DuplicateLine);
  });

  it('refuses different categories (CategoryMismatch) and different hazardous codes (WasteCodeMismatch)', () => {
    const { world, a } = twoBatches();
    const slag = generate(world, {
      category: 'industrial',
      subtype: 'slag',
      wasteCode: undefined,
      randomPart: randomPart(3),
    });
    const oil = generate(world, { wasteCode: '900-214-08', randomPart: randomPart(4) });
    /** Consolidating batch a with `other`, 1 g of each. */
    const withA = (other: { world: World; traceCode: string }) =>
      decideIn(
        other.world,
        consolidateCommand(target(), [
          { traceCode: a, massGrams: 1 },
          { traceCode: other.traceCode, massGrams: 1 },
        ]),
      );
    withA(slag).thenThrows(CategoryMismatch);
    withA(oil).thenThrows(WasteCodeMismatch);
  });

  it('refuses a new code of another district, category or date, or a child code (TraceCodeMismatch)', () => {
    const { world, a, b } = twoBatches();
    const lines = [
      { traceCode: a, massGrams: 1 },
      { traceCode: b, massGrams: 1 },
    ];
    decideIn(world, consolidateCommand(target(BINJIANG), lines)).thenThrows(TraceCodeMismatch);
    decideIn(world, consolidateCommand(target(XIHU, 'industrial'), lines)).thenThrows(TraceCodeMismatch);
    decideIn(world, consolidateCommand(target(XIHU, 'hazardous', '250302'), lines)).thenThrows(
      TraceCodeMismatch,
    );
    decideIn(world, consolidateCommand(legacyChildTraceCode(target(), 0), lines)).thenThrows(
      TraceCodeMismatch,
    );
  });

  it('refuses an existing target (BatchAlreadyExists), taking more than held (MassNotConserved)', () => {
    const { world, a, b } = twoBatches();
    decideIn(
      world,
      consolidateCommand(a, [
        { traceCode: a, massGrams: 1 },
        { traceCode: b, massGrams: 1 },
      ]),
    ).thenThrows(BatchAlreadyExists);
    const existing = generate(world, { randomPart: randomPart(99) });
    decideIn(
      existing.world,
      consolidateCommand(existing.traceCode, [
        { traceCode: a, massGrams: 1 },
        { traceCode: b, massGrams: 1 },
      ]),
    ).thenThrows(BatchAlreadyExists);
    decideIn(
      world,
      consolidateCommand(target(), [
        { traceCode: a, massGrams: 400_001 },
        { traceCode: b, massGrams: 1 },
      ]),
    ).thenThrows(MassNotConserved, { field: 'lines[0].massGrams' });
  });

  it('refuses inputs the actor does not hold (NotCustodian) or that are on a manifest (BatchOnOpenManifest), and an unregistered actor (PartyNotFound)', () => {
    const { world, a, b } = twoBatches();
    const lines = [
      { traceCode: a, massGrams: 1 },
      { traceCode: b, massGrams: 1 },
    ];
    decideIn(world, consolidateCommand(target(BINJIANG), lines, { actorUscc: OTHER_GENERATOR })).thenThrows(
      NotCustodian,
    );
    const onManifest = issue(world, issueManifestCommand([{ traceCode: b }], timed('10:00')));
    decideIn(onManifest, consolidateCommand(target(), lines)).thenThrows(BatchOnOpenManifest);
    expect(() =>
      decideConsolidateBatches(consolidateCommand(target(), lines), {
        consolidator: { status: 'unregistered' },
        inputs: world.batches,
      }),
    ).toThrow(PartyNotFound);
  });
});
