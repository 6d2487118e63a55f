import fc from 'fast-check';
import type { ExistingBatch } from './batch/batch.state';
import {
  type Composition,
  type OriginShare,
  compositionTotal,
  mergeCompositions,
  sameComposition,
} from './origin/composition';
import {
  GENERATOR,
  OTHER_GENERATOR,
  RECEIVER,
  baseWorld,
  generate,
  manifestNo,
  randomPart,
  type World,
  consolidateAt,
  correctAt,
  heldBatches,
  issueAt,
  pickUpAt,
  receiveAt,
  splitAt,
  timesAt,
  treatAt,
} from './testing';
import { checkStream, foldStream } from './consistency';
import type { DomainEvent } from './events/domain-event';
import { decodeEvent } from './events/decode-event';
import { streamOf } from './events/event-catalogue';
import { assertNever } from './util';

/**
 * Stream consistency and mass conservation through random sequences of split / consolidate / ship (issue, pickup, receive with
 * loss and rejection) / treat / correct, through the real decide functions and the process manager.
 * After every sequence, origin by origin:
 *   generated + corrections up = held + treated + lost + corrections down
 * and every batch's composition sums to its held mass.
 */
type Action =
  | { kind: 'split'; pick: number; fractions: number[] }
  | { kind: 'consolidate'; pick: number; fractions: [number, number] }
  | { kind: 'ship'; pick: number; count: number; received: number; accepted: number }
  | { kind: 'treat'; pick: number; fraction: number; utilise: boolean }
  | { kind: 'correct'; pick: number; delta: number };

const fraction = fc.integer({ min: 1, max: 1000 }).map((n) => n / 1000);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('split' as const),
    pick: fc.nat(),
    fractions: fc.array(
      fc.integer({ min: 1, max: 400 }).map((n) => n / 1000),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('consolidate' as const),
    pick: fc.nat(),
    fractions: fc.tuple(fraction, fraction),
  }),
  fc.record({
    kind: fc.constant('ship' as const),
    pick: fc.nat(),
    count: fc.integer({ min: 1, max: 3 }),
    received: fc.oneof(fc.constant(1), fraction, fc.constant(0)),
    accepted: fc.oneof(fc.constant(1), fraction, fc.constant(0)),
  }),
  fc.record({ kind: fc.constant('treat' as const), pick: fc.nat(), fraction, utilise: fc.boolean() }),
  fc.record({
    kind: fc.constant('correct' as const),
    pick: fc.nat(),
    delta: fc.integer({ min: -5000, max: 5000 }).filter((d) => d !== 0),
  }),
);
const generationArb = fc.array(
  fc.record({
    other: fc.boolean(),
    grams: fc.integer({ min: 1, max: 50_000_000 }),
    month: fc.constantFrom('01', '02', '03'),
  }),
  { minLength: 2, maxLength: 5 },
);

/** Random histories: a few generations, then up to `maxLength` movements. */
const histories = (maxLength: number) =>
  [generationArb, fc.array(actionArb, { minLength: 5, maxLength })] as const;

const T0 = Date.parse('2025-03-03T09:00:00+08:00');
function run(
  generations: { other: boolean; grams: number; month: string }[],
  actions: Action[],
): { world: World; steps: number } {
  let world = baseWorld();
  generations.forEach((g, i) => {
    const day = Date.parse(`2025-${g.month}-01T08:00:00+08:00`) + i * 60_000;
    world = generate(world, {
      actorUscc: g.other ? OTHER_GENERATOR : GENERATOR,
      massGrams: g.grams,
      randomPart: randomPart(i + 1),
      ...timesAt(day),
    }).world;
  });
  let serial = 0;
  let random = 1000;
  let steps = 0;
  actions.forEach((action, k) => {
    const now = T0 + k * 3_600_000;
    const candidates = heldBatches(world);
    if (candidates.length === 0) return;
    const b = candidates[action.pick % candidates.length];
    switch (action.kind) {
      case 'split': {
        const parts = action.fractions.map((f) => Math.floor(b.heldGrams * f)).filter((g) => g > 0);
        if (parts.length === 0 || parts.reduce((x, y) => x + y, 0) > b.heldGrams) return;
        world = splitAt(world, b, parts, now);
        break;
      }
      case 'consolidate': {
        const mates = candidates.filter(
          (c) =>
            c.custodianUscc === b.custodianUscc && c.traceCode !== b.traceCode && c.wasteCode === b.wasteCode,
        );
        if (mates.length === 0) return;
        const m = mates[action.pick % mates.length];
        world = consolidateAt(world, [b, m], action.fractions, random++, now);
        break;
      }
      case 'ship': {
        const same = candidates.filter((c) => c.custodianUscc === b.custodianUscc).slice(0, action.count);
        const no = manifestNo(++serial, '330106');
        world = issueAt(world, b, same, no, now);
        world = pickUpAt(world, b, no, now);
        world = receiveAt(world, b, same, no, action, now);
        break;
      }
      case 'treat': {
        if (b.custodianUscc !== RECEIVER) return;
        const massGrams = Math.max(1, Math.floor(b.heldGrams * action.fraction));
        world = treatAt(world, b, massGrams, action.utilise, now);
        break;
      }
      case 'correct': {
        if (b.heldGrams + action.delta < 0) return;
        world = correctAt(world, b, action.delta, now);
        break;
      }
      default:
        assertNever(action, 'action');
    }
    steps++;
  });
  return { world, steps };
}

function balances(world: World): boolean {
  const inflow: Composition[] = [];
  const outflow: Composition[] = [];
  for (const e of world.log) {
    if (e.type === 'WasteGenerated') inflow.push(e.data.composition);
    else if (e.type === 'MassCorrected') (e.data.deltaGrams > 0 ? inflow : outflow).push(e.data.composition);
    else if (e.type === 'WasteUtilised' || e.type === 'WasteDisposed' || e.type === 'BatchLostInTransit')
      outflow.push(e.data.composition);
  }
  const batches = [...world.batches.values()].filter((b): b is ExistingBatch => b.status !== 'none');
  for (const b of batches)
    if (compositionTotal(b.composition) !== b.heldGrams || b.heldGrams < 0) return false;
  const heldComp: OriginShare[] = mergeCompositions(batches.map((b) => b.composition));
  return sameComposition(mergeCompositions(inflow), mergeCompositions([heldComp, ...outflow]));
}

describe('mass conservation (property, fixed seed)', () => {
  it('holds to the gram, origin by origin, through random sequences of split / consolidate / ship / receive / treat / correct', () => {
    let totalSteps = 0;
    const seen = new Set<string>();
    fc.assert(
      fc.property(...histories(30), (generations, actions) => {
        const { world, steps } = run(generations, actions);
        totalSteps += steps;
        for (const e of world.log) seen.add(e.type);
        return balances(world);
      }),
      { seed: 20250303, numRuns: 120 },
    );
    expect(totalSteps).toBeGreaterThan(1000);
    // the sequences exercise every movement of mass
    for (const type of [
      'BatchSplit',
      'BatchesConsolidated',
      'BatchShipped',
      'BatchLostInTransit',
      'BatchRejectionSplitOff',
      'BatchReturnedToShipper',
      'BatchReceived',
      'WasteUtilised',
      'WasteDisposed',
      'MassCorrected',
    ]) {
      expect(seen).toContain(type);
    }
  });

  it('is deterministic: the same sequence gives byte-identical event logs', () => {
    fc.assert(
      fc.property(...histories(20), (generations, actions) => {
        return (
          JSON.stringify(run(generations, actions).world.log) ===
          JSON.stringify(run(generations, actions).world.log)
        );
      }),
      { seed: 7, numRuns: 20 },
    );
  });
});

function streamsOf(log: readonly DomainEvent[]): Map<string, DomainEvent[]> {
  const streams = new Map<string, DomainEvent[]>();
  for (const event of log) {
    const stream = streamOf(event);
    streams.set(stream, [...(streams.get(stream) ?? []), event]);
  }
  return streams;
}

/** Corruptions a stream can suffer (a lost write, a replayed one, an edited number), each one detectable. */
type Corruption = 'drop-first' | 'repeat-first' | 'gram-more-remaining';
const corruptionArb = fc.constantFrom<Corruption>('drop-first', 'repeat-first', 'gram-more-remaining');

function corrupt(events: readonly DomainEvent[], how: Corruption, at: number): DomainEvent[] | undefined {
  switch (how) {
    case 'drop-first':
      return events.slice(1);
    case 'repeat-first':
      return [events[0], ...events];
    case 'gram-more-remaining': {
      const i = events.findIndex((e, k) => k >= at % events.length && 'remainingGrams' in e.data);
      if (i === -1) return undefined;
      const e = events[i] as DomainEvent & { data: { remainingGrams: number } };
      return events.map((x, k) =>
        k === i
          ? ({ ...e, data: { ...e.data, remainingGrams: e.data.remainingGrams + 1 } } as DomainEvent)
          : x,
      );
    }
    default:
      return assertNever(how, 'corruption');
  }
}

describe('stream consistency (property, fixed seed)', () => {
  it('every stream the commands and the process manager write is consistent, and every event decodes to itself', () => {
    fc.assert(
      fc.property(...histories(25), (generations, actions) => {
        const { world } = run(generations, actions);
        for (const [stream, events] of streamsOf(world.log)) {
          const consistency = checkStream(stream, events);
          if (!consistency.consistent) throw new Error(JSON.stringify(consistency.issues));
        }
        for (const event of world.log)
          expect(decodeEvent(JSON.parse(JSON.stringify(event)) as DomainEvent)).toEqual(event);
      }),
      { seed: 20250304, numRuns: 40 },
    );
  });

  it('folding never fails on a corrupted stream (held mass stays the sum of its origins), and checkStream finds the corruption', () => {
    let corrupted = 0;
    fc.assert(
      fc.property(...histories(20), corruptionArb, fc.nat(), (generations, actions, how, at) => {
        const { world } = run(generations, actions);
        const batches = [...streamsOf(world.log)].filter(
          ([stream, events]) => stream.startsWith('batch-') && events.length > 1,
        );
        if (batches.length === 0) return;
        const [stream, events] = batches[at % batches.length];
        const bad = corrupt(events, how, at);
        if (bad === undefined) return;
        corrupted += 1;
        const state = foldStream(stream, bad) as ExistingBatch | { status: 'none' };
        if (state.status !== 'none') expect(compositionTotal(state.composition)).toBe(state.heldGrams);
        expect(checkStream(stream, bad).consistent).toBe(false);
      }),
      { seed: 20250305, numRuns: 80 },
    );
    expect(corrupted).toBeGreaterThan(40);
  });
});
