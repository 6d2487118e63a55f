import { InvalidMass, MassNotConserved } from '../errors';
import type { WasteCategory, WasteSubtype } from '../values/category';
import { compact, compareStrings } from '../util';

/**
 * Origin accounting (DESIGN.md §3). Every gram carries its origin: the generator's district, the category
 * (and subtype or HW code) and the month of generation ('YYYY-MM' in China Standard Time). A batch's mass is
 * a composition over origins; split, consolidation, loss, rejection and treatment carry it forward
 * proportionally, in integer grams, with largest-remainder rounding, so every sum balances to the gram.
 *
 * A composition is kept canonical: one share per origin, no zero shares, sorted by origin key.
 */
export interface OriginShare {
  readonly districtCode: string;
  readonly category: WasteCategory;
  readonly subtype?: WasteSubtype;
  readonly wasteCode?: string;
  /** 'YYYY-MM', China Standard Time */
  readonly generatedMonth: string;
  readonly grams: number;
}

export type Composition = readonly OriginShare[];

export type Origin = Omit<OriginShare, 'grams'>;

/** Stable key of an origin: district|category|subtype|wasteCode|month. */
export function originKey(o: Origin): string {
  return `${o.districtCode}|${o.category}|${o.subtype ?? ''}|${o.wasteCode ?? ''}|${o.generatedMonth}`;
}

function share(o: Origin, grams: number): OriginShare {
  return compact({
    districtCode: o.districtCode,
    category: o.category,
    subtype: o.subtype,
    wasteCode: o.wasteCode,
    generatedMonth: o.generatedMonth,
    grams,
  });
}

export function compositionTotal(composition: Composition): number {
  let total = 0;
  for (const s of composition) total += s.grams;
  return total;
}

const isGrams = (grams: number): boolean => Number.isSafeInteger(grams) && grams >= 0;

function canonicalOf(composition: Composition, invalid: (share: OriginShare) => void): OriginShare[] {
  const byKey = new Map<string, OriginShare>();
  for (const s of composition) {
    if (!isGrams(s.grams)) {
      invalid(s);
      continue;
    }
    const key = originKey(s);
    const prev = byKey.get(key);
    byKey.set(key, share(s, (prev?.grams ?? 0) + s.grams));
  }
  return [...byKey.entries()]
    .filter(([, s]) => s.grams > 0)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, s]) => s);
}

/** Merges equal origins, drops zero shares, sorts by origin key; refuses negative or fractional grams. */
export function canonicalComposition(composition: Composition): OriginShare[] {
  return canonicalOf(composition, (s) => {
    throw new InvalidMass('composition', s.grams, 'a share is a non-negative whole number of grams');
  });
}

const leaveOut = (): void => undefined;

/**
 * For folding recorded facts, which never fails: `a` with the shares of `b` added (shares that are not a
 * whole number of grams ≥ 0 left out).
 */
export function addAsRecorded(a: Composition, b: Composition): OriginShare[] {
  return canonicalOf([...a, ...b], leaveOut);
}

/**
 * For folding recorded facts, which never fails: `a` with every share of `b` removed as far as `a` holds
 * it. `unmatchedGrams` is what `b` names that `a` does not hold (0 for a consistent history).
 */
export function removeAsRecorded(
  a: Composition,
  b: Composition,
): { rest: OriginShare[]; unmatchedGrams: number } {
  const held = new Map(canonicalOf(a, leaveOut).map((s) => [originKey(s), s]));
  let unmatchedGrams = 0;
  for (const s of canonicalOf(b, leaveOut)) {
    const key = originKey(s);
    const have = held.get(key)?.grams ?? 0;
    const removed = Math.min(have, s.grams);
    unmatchedGrams += s.grams - removed;
    if (have > 0) held.set(key, share(s, have - removed));
  }
  return { rest: canonicalOf([...held.values()], leaveOut), unmatchedGrams };
}

/** A single-origin composition. */
export function singleOrigin(origin: Origin, grams: number): OriginShare[] {
  return canonicalComposition([share(origin, grams)]);
}

/**
 * Largest-remainder apportionment of `amount` over `weights` (non-negative integers, positive sum):
 * each part gets ⌊w·amount/Σw⌋, and the grams left over go one by one to the largest remainders, ties to
 * the lower index (the canonical order). Exact in bigint, so it holds for any safe-integer masses.
 */
export function apportion(weights: readonly number[], amount: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new InvalidMass('amount', amount, 'a non-negative whole number of grams');
  if (amount === 0) return weights.map(() => 0);
  if (total <= 0)
    throw new MassNotConserved('amount', `cannot apportion ${amount} g over nothing`, { amount });
  const T = BigInt(total);
  const A = BigInt(amount);
  const floors: number[] = [];
  const remainders: bigint[] = [];
  let given = 0;
  for (const w of weights) {
    const p = BigInt(w) * A;
    const f = Number(p / T);
    floors.push(f);
    remainders.push(p % T);
    given += f;
  }
  const order = weights
    .map((_, i) => i)
    .sort((i, j) => (remainders[j] > remainders[i] ? 1 : remainders[j] < remainders[i] ? -1 : i - j));
  for (let k = 0; k < amount - given; k++) floors[order[k]] += 1;
  return floors;
}

/**
 * Takes `grams` out of a composition, proportionally to each share (largest remainder). `taken` and `rest`
 * are canonical and sum exactly to `grams` and to total − grams. Refuses to take more than there is.
 */
export function takeFromComposition(
  composition: Composition,
  grams: number,
): { taken: OriginShare[]; rest: OriginShare[] } {
  const canon = canonicalComposition(composition);
  const total = compositionTotal(canon);
  if (!Number.isSafeInteger(grams) || grams < 0)
    throw new InvalidMass('grams', grams, 'a non-negative whole number of grams');
  if (grams > total)
    throw new MassNotConserved('grams', `cannot take ${grams} g out of ${total} g`, {
      requestedGrams: grams,
      heldGrams: total,
    });
  const parts = apportion(
    canon.map((s) => s.grams),
    grams,
  );
  return {
    taken: canonicalComposition(canon.map((s, i) => share(s, parts[i]))),
    rest: canonicalComposition(canon.map((s, i) => share(s, s.grams - parts[i]))),
  };
}

/**
 * Splits a composition into parts of the given masses, which must sum to its total. Each part in turn takes
 * its proportional share of what is left (largest remainder), the last part takes the rest: every part sums
 * to its mass and every origin is distributed exactly.
 */
export function splitComposition(composition: Composition, partsGrams: readonly number[]): OriginShare[][] {
  const total = compositionTotal(composition);
  const sum = partsGrams.reduce((a, b) => a + b, 0);
  if (sum !== total)
    throw new MassNotConserved('partsGrams', `parts sum to ${sum} g, the composition holds ${total} g`, {
      partsGrams: [...partsGrams],
      heldGrams: total,
    });
  const out: OriginShare[][] = [];
  let rest: OriginShare[] = canonicalComposition(composition);
  partsGrams.forEach((grams, i) => {
    if (i === partsGrams.length - 1) {
      out.push(rest);
      return;
    }
    const r = takeFromComposition(rest, grams);
    out.push(r.taken);
    rest = r.rest;
  });
  return out;
}

/** Sum of compositions, canonical. */
export function mergeCompositions(compositions: readonly Composition[]): OriginShare[] {
  return canonicalComposition(compositions.flat());
}

/** a − b share by share; refuses when b holds more of an origin than a. */
export function subtractComposition(a: Composition, b: Composition): OriginShare[] {
  const minuend = new Map(canonicalComposition(a).map((s) => [originKey(s), s]));
  for (const s of canonicalComposition(b)) {
    const key = originKey(s);
    const have = minuend.get(key)?.grams ?? 0;
    if (s.grams > have)
      throw new MassNotConserved('composition', `cannot remove ${s.grams} g of ${key}: ${have} g held`, {
        origin: key,
        requestedGrams: s.grams,
        heldGrams: have,
      });
    minuend.set(key, share(s, have - s.grams));
  }
  return canonicalComposition([...minuend.values()]);
}

/** Adds `grams` proportionally to the existing origins (a correction upwards); returns the added shares and the result. */
export function addToComposition(
  composition: Composition,
  grams: number,
): { added: OriginShare[]; result: OriginShare[] } {
  const canon = canonicalComposition(composition);
  const parts = apportion(
    canon.map((s) => s.grams),
    grams,
  );
  const added = canonicalComposition(canon.map((s, i) => share(s, parts[i])));
  return { added, result: mergeCompositions([canon, added]) };
}

/** True when both compositions hold the same grams per origin. */
export function sameComposition(a: Composition, b: Composition): boolean {
  return JSON.stringify(canonicalComposition(a)) === JSON.stringify(canonicalComposition(b));
}
