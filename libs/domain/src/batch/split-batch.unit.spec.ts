import {
  BatchAlreadyExists,
  BatchDepleted,
  BatchInTransit,
  BatchOnOpenManifest,
  ChildIndexExhausted,
  InvalidTraceCode,
  InvalidValue,
  MassNotConserved,
  MassNotPositive,
  NotCustodian,
  OccurredOutOfOrder,
} from '../errors';
import {
  GENERATOR,
  RECEIVER,
  XIHU,
  aHazardousBatch,
  asExisting,
  at,
  baseWorld,
  deciderSpec,
  deliver,
  generate,
  issue,
  issueManifestCommand,
  pickUp,
  pickUpCommand,
  splitCommand,
  timed,
  traceCodeOf,
} from '../testing';
import {
  ROOT_TRACE_CODE_LENGTH,
  childTraceCode,
  isValidTraceCode,
  legacyChildTraceCode,
} from '../values/trace-code';
import type { BatchEvent, BatchStreamEvents } from './batch.events';
import { evolveBatch, initialBatchState, type BatchState } from './batch.state';
import { decideSplitBatch, type SplitBatchCommand } from './split-batch.decide';

const split = deciderSpec<SplitBatchCommand, BatchState, BatchEvent, BatchStreamEvents[]>({
  decide: decideSplitBatch,
  evolve: evolveBatch,
  initialState: initialBatchState,
});
const batch = aHazardousBatch();
const code = traceCodeOf(batch);
const origin = (grams: number) => ({
  districtCode: XIHU,
  category: 'hazardous' as const,
  wasteCode: '900-249-08',
  generatedMonth: '2025-03',
  grams,
});

describe('split (1 → n)', () => {
  it('given a held batch, when the custodian splits, then BatchSplit on the parent and BatchSplitOff on each child; the remainder stays', () => {
    const c0 = childTraceCode(code, 'C0DE0000');
    const c1 = childTraceCode(code, 'C0DE0001');
    const common = { occurredAt: at('10:00'), late: false };
    split
      .given(batch)
      .when(
        splitCommand(code, { partsGrams: [300_000, 200_000], childRandomParts: ['C0DE0000', 'C0DE0001'] }),
      )
      .then([
        {
          traceCode: code,
          isNew: false,
          events: [
            {
              type: 'BatchSplit',
              schemaVersion: 1,
              data: {
                traceCode: code,
                actorUscc: GENERATOR,
                children: [
                  { traceCode: c0, childIndex: 0, massGrams: 300_000, composition: [origin(300_000)] },
                  { traceCode: c1, childIndex: 1, massGrams: 200_000, composition: [origin(200_000)] },
                ],
                remainingGrams: 500_000,
                ...common,
              },
            },
          ],
        },
        ...[
          [c0, 0, 300_000],
          [c1, 1, 200_000],
        ].map(([c, i, g]) => ({
          traceCode: c as string,
          isNew: true,
          events: [
            {
              type: 'BatchSplitOff' as const,
              schemaVersion: 1 as const,
              data: {
                traceCode: c as string,
                parentTraceCode: code,
                childIndex: i as number,
                custodianUscc: GENERATOR,
                category: 'hazardous' as const,
                wasteCode: '900-249-08',
                catalogueEdition: '2021-fixture',
                massGrams: g as number,
                composition: [origin(g as number)],
                ...common,
              },
            },
          ],
        })),
      ]);
  });

  it('continues child indices after earlier splits, and the whole mass may be split', () => {
    const first = decideSplitBatch(
      splitCommand(code, { partsGrams: [100_000] }),
      batch.reduce(evolveBatch, initialBatchState),
    );
    const after = [...batch, ...first[0].events];
    const s = after.reduce(evolveBatch, initialBatchState);
    expect(asExisting(s).nextChildIndex).toBe(1);
    expect(asExisting(s).heldGrams).toBe(900_000);
    const second = split
      .given(after)
      .when(splitCommand(code, { partsGrams: [900_000], childRandomParts: ['SEC0ND00'], ...timed('10:30') }))
      .result();
    expect(second[1].traceCode).toBe(childTraceCode(code, 'SEC0ND00'));
    expect(second[1].events[0].data).toMatchObject({ parentTraceCode: code, childIndex: 1 });
    const parent = second[0].events.reduce(evolveBatch, s);
    expect(parent.status).toBe('depleted');
  });

  it('refuses parts beyond the held mass (MassNotConserved)', () => {
    split
      .given(batch)
      .when(splitCommand(code, { partsGrams: [600_000, 400_001] }))
      .thenThrows(MassNotConserved, { field: 'partsGrams' });
  });

  it('refuses anyone but the custodian (NotCustodian), naming no custodian, and a batch that does not exist alike', () => {
    const refusal = split
      .given(batch)
      .when(splitCommand(code, { actorUscc: RECEIVER }))
      .thenThrows(NotCustodian, { traceCode: code, actorUscc: RECEIVER });
    expect(JSON.stringify(refusal.details)).not.toContain(GENERATOR);
    expect(refusal.message).not.toContain(GENERATOR);
    const none = split
      .given([])
      .when(splitCommand(code, { actorUscc: RECEIVER }))
      .thenThrows(NotCustodian);
    // one answer: a stranger cannot tell "held by another" from "no such batch"
    expect([none.rule, none.message, none.details]).toEqual([refusal.rule, refusal.message, refusal.details]);
  });

  it('refuses a batch on an open manifest (BatchOnOpenManifest) or in transit (BatchInTransit)', () => {
    let w = generate(baseWorld()).world;
    w = issue(w, issueManifestCommand([{ traceCode: code }]));
    expect(() => decideSplitBatch(splitCommand(code, timed('12:00')), w.batch(code))).toThrow(
      BatchOnOpenManifest,
    );
    w = pickUp(w, pickUpCommand());
    expect(() => decideSplitBatch(splitCommand(code, timed('14:00')), w.batch(code))).toThrow(BatchInTransit);
  });

  it('refuses an unknown batch (NotCustodian: no batch held), a malformed code (InvalidTraceCode), a depleted batch (BatchDepleted)', () => {
    split.given([]).when(splitCommand(code)).thenThrows(NotCustodian);
    split
      .given(batch)
      .when(splitCommand(code.slice(0, -1) + (code.endsWith('0') ? '1' : '0')))
      .thenThrows(InvalidTraceCode);
    const depleted = [
      ...batch,
      ...decideSplitBatch(
        splitCommand(code, { partsGrams: [1_000_000] }),
        batch.reduce(evolveBatch, initialBatchState),
      )[0].events,
    ];
    split
      .given(depleted)
      .when(splitCommand(code, timed('11:00')))
      .thenThrows(BatchDepleted);
  });

  it('refuses empty or non-positive parts', () => {
    split
      .given(batch)
      .when(splitCommand(code, { partsGrams: [] }))
      .thenThrows(InvalidValue);
    split
      .given(batch)
      .when(splitCommand(code, { partsGrams: [0] }))
      .thenThrows(MassNotPositive, { field: 'partsGrams[0]' });
  });

  it('refuses a split dated before the batch came into custody (OccurredOutOfOrder)', () => {
    split
      .given(batch)
      .when(splitCommand(code, timed('08:00')))
      .thenThrows(OccurredOutOfOrder);
  });

  it('refuses more than 1024 children (ChildIndexExhausted)', () => {
    const s = { ...asExisting(batch.reduce(evolveBatch, initialBatchState)), nextChildIndex: 1023 };
    expect(() => decideSplitBatch(splitCommand(code, { partsGrams: [1, 1] }), s)).toThrow(
      ChildIndexExhausted,
    );
  });

  describe('child codes (DESIGN §2 Identifiers, issue 10 row 7)', () => {
    it('given 45 generations of splits, when the last child splits, then its children still have the 22 characters of a root code, keep the root prefix and are all distinct', () => {
      let w = generate(baseWorld()).world;
      let parent = code;
      const family = [code];
      for (let generation = 1; generation <= 45; generation++) {
        const streams = decideSplitBatch(
          splitCommand(parent, { partsGrams: [1_000_000 - generation] }),
          w.batch(parent),
        );
        w = w.applyBatches(streams);
        parent = streams[1].traceCode;
        family.push(parent);
      }
      for (const c of family) {
        expect(c).toHaveLength(ROOT_TRACE_CODE_LENGTH);
        expect(c.slice(0, 13)).toBe(code.slice(0, 13));
        expect(isValidTraceCode(c)).toBe(true);
      }
      expect(new Set(family).size).toBe(family.length);
      // the lineage is the events', not the code's
      expect(w.childOf(family[44], 0)).toBe(family[45]);
    });

    it('are the same for the same command (a retry decides the same codes) and differ with other random parts', () => {
      const s = batch.reduce(evolveBatch, initialBatchState);
      const command = splitCommand(code, { partsGrams: [1, 2, 3] });
      const codes = (r: BatchStreamEvents[]) => r.slice(1).map((c) => c.traceCode);
      expect(codes(decideSplitBatch(command, s))).toEqual(codes(decideSplitBatch(command, s)));
      expect(new Set(codes(decideSplitBatch(command, s))).size).toBe(3);
      const other = splitCommand(code, {
        partsGrams: [1, 2, 3],
        childRandomParts: ['A0', 'B0', 'C0'].map((p) => p.padEnd(8, '7')),
      });
      expect(codes(decideSplitBatch(other, s))).not.toEqual(codes(decideSplitBatch(command, s)));
    });

    it('refuses a code already in use — a stored batch, the parent, a sibling (BatchAlreadyExists) — and random parts not one per part (InvalidValue)', () => {
      const s = batch.reduce(evolveBatch, initialBatchState);
      const taken = childTraceCode(code, 'TAKEN000');
      const stored = new Map([[taken, s]]);
      expect(() =>
        decideSplitBatch(
          splitCommand(code, { partsGrams: [1], childRandomParts: ['TAKEN000'] }),
          s,
          {},
          stored,
        ),
      ).toThrow(BatchAlreadyExists);
      expect(() =>
        decideSplitBatch(splitCommand(code, { partsGrams: [1], childRandomParts: [code.slice(13, 21)] }), s),
      ).toThrow(BatchAlreadyExists);
      expect(() =>
        decideSplitBatch(
          splitCommand(code, { partsGrams: [1, 1], childRandomParts: ['TWIN0000', 'TWIN0000'] }),
          s,
        ),
      ).toThrow(BatchAlreadyExists);
      split
        .given(batch)
        .when(splitCommand(code, { partsGrams: [1, 1], childRandomParts: ['ONLY0NE0'] }))
        .thenThrows(InvalidValue, { field: 'childRandomParts' });
      split
        .given(batch)
        .when(splitCommand(code, { partsGrams: [1], childRandomParts: ['SHORT'] }))
        .thenThrows(InvalidTraceCode);
    });

    it('of a legacy long parent (22 + 2·depth characters, still stored) are 22 characters again', () => {
      const legacy = legacyChildTraceCode(legacyChildTraceCode(code, 3), 7);
      expect(legacy).toHaveLength(ROOT_TRACE_CODE_LENGTH + 4);
      const child = childTraceCode(legacy, 'C0DE0000');
      expect(child).toHaveLength(ROOT_TRACE_CODE_LENGTH);
      expect(child.slice(0, 13)).toBe(legacy.slice(0, 13));
    });
  });

  it('children of a batch held by a receiver inherit its storage start', () => {
    const w = deliver(generate(baseWorld()).world, [code]);
    const [, child] = decideSplitBatch(
      splitCommand(code, { actorUscc: RECEIVER, ...timed('16:00') }),
      w.batch(code),
    );
    expect(child.events[0].type === 'BatchSplitOff' && child.events[0].data.storageSince).toBe(at('15:00'));
  });
});
