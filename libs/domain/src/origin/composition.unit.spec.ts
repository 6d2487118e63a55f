import fc from 'fast-check';
import { InvalidMass, MassNotConserved } from '../errors';
import {
  type OriginShare,
  addToComposition,
  apportion,
  canonicalComposition,
  compositionTotal,
  mergeCompositions,
  originKey,
  sameComposition,
  splitComposition,
  subtractComposition,
  takeFromComposition,
} from './composition';

const xihu = (grams: number, month = '2025-01'): OriginShare => ({
  districtCode: '330106',
  category: 'hazardous',
  wasteCode: '900-249-08',
  generatedMonth: month,
  grams,
});
const binjiang = (grams: number, month = '2025-01'): OriginShare => ({
  districtCode: '330108',
  category: 'hazardous',
  wasteCode: '900-249-08',
  generatedMonth: month,
  grams,
});

describe('origin composition', () => {
  it('is canonical: one share per origin, sorted by key, no zero shares', () => {
    expect(canonicalComposition([binjiang(5), xihu(3), xihu(2), binjiang(0, '2025-02')])).toEqual([
      xihu(5),
      binjiang(5),
    ]);
    expect(originKey(xihu(1))).toBe('330106|hazardous||900-249-08|2025-01');
    expect(() => canonicalComposition([xihu(-1)])).toThrow(InvalidMass);
    expect(() => canonicalComposition([xihu(1.5)])).toThrow(InvalidMass);
  });

  describe('largest-remainder apportionment', () => {
    it('gives the floors, then the leftover grams to the largest remainders, ties to the first', () => {
      expect(apportion([1, 1, 1], 2)).toEqual([1, 1, 0]);
      expect(apportion([1, 2, 3], 4)).toEqual([1, 1, 2]);
      expect(apportion([500, 300, 200], 7)).toEqual([4, 2, 1]);
      expect(apportion([3, 0], 0)).toEqual([0, 0]);
      expect(() => apportion([0, 0], 1)).toThrow(MassNotConserved);
    });
    it('is exact for masses whose products exceed 2^53', () => {
      const parts = apportion([999_999_999_999, 1], 999_999_999_999);
      expect(parts[0] + parts[1]).toBe(999_999_999_999);
      expect(parts).toEqual([999_999_999_998, 1]);
    });
  });

  it('takes proportionally from each origin', () => {
    const { taken, rest } = takeFromComposition([xihu(600), binjiang(400)], 500);
    expect(taken).toEqual([xihu(300), binjiang(200)]);
    expect(rest).toEqual([xihu(300), binjiang(200)]);
    expect(() => takeFromComposition([xihu(1)], 2)).toThrow(MassNotConserved);
  });

  it('splits into parts of given masses that sum to the total', () => {
    const parts = splitComposition([xihu(2), binjiang(1)], [1, 1, 1]);
    expect(parts.map(compositionTotal)).toEqual([1, 1, 1]);
    expect(mergeCompositions(parts)).toEqual([xihu(2), binjiang(1)]);
    expect(() => splitComposition([xihu(3)], [1, 1])).toThrow(MassNotConserved);
  });

  it('merges, subtracts and adds', () => {
    expect(mergeCompositions([[xihu(1)], [xihu(2), binjiang(3)]])).toEqual([xihu(3), binjiang(3)]);
    expect(subtractComposition([xihu(3), binjiang(3)], [binjiang(3)])).toEqual([xihu(3)]);
    expect(() => subtractComposition([xihu(3)], [xihu(4)])).toThrow(MassNotConserved);
    expect(() => subtractComposition([xihu(3)], [binjiang(1)])).toThrow(MassNotConserved);
    expect(addToComposition([xihu(100), binjiang(300)], 8)).toEqual({
      added: [xihu(2), binjiang(6)],
      result: [xihu(102), binjiang(306)],
    });
    expect(sameComposition([xihu(1), binjiang(1)], [binjiang(1), xihu(1)])).toBe(true);
  });

  describe('properties (fixed seed): every sum balances to the gram', () => {
    const shareArb = fc.record({
      districtCode: fc.constantFrom('330106', '330108', '330109', '110101'),
      category: fc.constantFrom('hazardous' as const, 'industrial' as const),
      generatedMonth: fc.constantFrom('2024-12', '2025-01', '2025-02'),
      grams: fc.integer({ min: 0, max: 5_000_000_000 }),
    });
    const compArb = fc
      .array(shareArb, { minLength: 1, maxLength: 12 })
      .map(canonicalComposition)
      .filter((c) => compositionTotal(c) > 0);

    it('take: taken + rest = composition, origin by origin, and each share within 1 g of its exact proportion', () => {
      fc.assert(
        fc.property(compArb, fc.double({ min: 0, max: 1, noNaN: true }), (comp, f) => {
          const total = compositionTotal(comp);
          const grams = Math.floor(total * f);
          const { taken, rest } = takeFromComposition(comp, grams);
          if (compositionTotal(taken) !== grams) return false;
          if (!sameComposition(mergeCompositions([taken, rest]), comp)) return false;
          const byKey = new Map(taken.map((s) => [originKey(s), s.grams]));
          return comp.every(
            (s) => Math.abs((byKey.get(originKey(s)) ?? 0) - (s.grams * grams) / total) < 1 + 1e-6,
          );
        }),
        { seed: 42, numRuns: 300 },
      );
    });

    it('split: parts sum to their masses and merge back to the composition', () => {
      fc.assert(
        fc.property(
          compArb,
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
          (comp, weights) => {
            const total = compositionTotal(comp);
            const w = weights.reduce((a, b) => a + b, 0) || 1;
            const parts = weights.map((x) => Math.floor((total * x) / w));
            parts.push(total - parts.reduce((a, b) => a + b, 0));
            const out = splitComposition(comp, parts);
            return (
              out.every((c, i) => compositionTotal(c) === parts[i]) &&
              sameComposition(mergeCompositions(out), comp)
            );
          },
        ),
        { seed: 43, numRuns: 300 },
      );
    });

    it('add then subtract the added shares returns the composition', () => {
      fc.assert(
        fc.property(compArb, fc.integer({ min: 0, max: 1_000_000_000 }), (comp, grams) => {
          const { added, result } = addToComposition(comp, grams);
          return (
            compositionTotal(added) === grams &&
            compositionTotal(result) === compositionTotal(comp) + grams &&
            sameComposition(subtractComposition(result, added), comp)
          );
        }),
        { seed: 44, numRuns: 200 },
      );
    });
  });
});
