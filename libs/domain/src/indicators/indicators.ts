import { InvalidValue } from '../errors';
import type { WasteCategory, WasteSubtype } from '../values/category';
import { assertNever } from '../util';

/**
 * Indicator arithmetic (DESIGN.md §3), pure: raw masses (grams) of a region, a category and a period in,
 * rates and targets out. The projections collect the raw masses from the events' origin compositions.
 */
export interface RawIndicatorMasses {
  /** generated in the period */
  readonly generated: number;
  readonly utilised: number;
  readonly landfilled: number;
  readonly incinerated: number;
  readonly otherDisposed: number;
  /** the part of `utilised` generated before the period */
  readonly utilisedFromPriorStock: number;
  /** the part of `utilised + disposed` generated before the period */
  readonly treatedFromPriorStock: number;
}

export type RateIndicator = 'utilisationRate' | 'landfillRate' | 'treatedRate';
export const RATE_INDICATORS: readonly RateIndicator[] = ['utilisationRate', 'landfillRate', 'treatedRate'];

export interface Indicators extends RawIndicatorMasses {
  /** landfilled + incinerated + otherDisposed */
  readonly disposed: number;
  /** utilised / (generated + utilisedFromPriorStock) — the official 综合利用率 form; null on a zero denominator */
  readonly utilisationRate: number | null;
  /** landfilled / (utilised + disposed) */
  readonly landfillRate: number | null;
  /** (utilised + disposed) / (generated + treatedFromPriorStock) */
  readonly treatedRate: number | null;
}

export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function computeIndicators(raw: RawIndicatorMasses): Indicators {
  for (const [k, v] of Object.entries(raw)) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new InvalidValue(k, typeof v === 'number' ? v : null, 'a non-negative whole number of grams');
  }
  const disposed = raw.landfilled + raw.incinerated + raw.otherDisposed;
  const treated = raw.utilised + disposed;
  return {
    ...raw,
    disposed,
    utilisationRate: rate(raw.utilised, raw.generated + raw.utilisedFromPriorStock),
    landfillRate: rate(raw.landfilled, treated),
    treatedRate: rate(treated, raw.generated + raw.treatedFromPriorStock),
  };
}

export type Comparator = '<' | '<=' | '>' | '>=' | '=';

/** A target is configuration: which indicator, for which category (and subtype), compared how to what ratio. */
export interface IndicatorTarget {
  readonly indicator: RateIndicator;
  readonly category: WasteCategory;
  readonly subtype?: WasteSubtype;
  readonly comparator: Comparator;
  /** a ratio (0.05 = 5 %) */
  readonly value: number;
  readonly label?: string;
}

/**
 * The targets of Hangzhou's 2023 plan (杭政办函〔2023〕4号), as data. Agricultural film and pesticide
 * packaging "recovery" (回收率) is read as treatedRate (the share of what arose that was taken to utilisation
 * or disposal). Override by passing other targets.
 */
export const DEFAULT_TARGETS: readonly IndicatorTarget[] = [
  {
    indicator: 'landfillRate',
    category: 'hazardous',
    comparator: '<',
    value: 0.05,
    label: '工业危险废物填埋率 < 5%',
  },
  {
    indicator: 'treatedRate',
    category: 'hazardous',
    comparator: '=',
    value: 1,
    label: '危险废物利用处置率 100%',
  },
  {
    indicator: 'utilisationRate',
    category: 'construction',
    comparator: '>=',
    value: 0.9,
    label: '建筑垃圾综合利用率 ≥ 90%',
  },
  {
    indicator: 'utilisationRate',
    category: 'agricultural',
    subtype: 'manure',
    comparator: '>=',
    value: 0.95,
    label: '畜禽粪污综合利用率 ≥ 95%',
  },
  {
    indicator: 'utilisationRate',
    category: 'agricultural',
    subtype: 'straw',
    comparator: '>=',
    value: 0.96,
    label: '秸秆综合利用率 ≥ 96%',
  },
  {
    indicator: 'treatedRate',
    category: 'agricultural',
    subtype: 'film',
    comparator: '>=',
    value: 0.9,
    label: '农膜回收率 ≥ 90%',
  },
  {
    indicator: 'treatedRate',
    category: 'agricultural',
    subtype: 'pesticide_packaging',
    comparator: '>=',
    value: 0.9,
    label: '农药包装废弃物回收率 ≥ 90%',
  },
];

const EPSILON = 1e-12;

export function compare(value: number, comparator: Comparator, target: number): boolean {
  switch (comparator) {
    case '<':
      return value < target - EPSILON;
    case '<=':
      return value <= target + EPSILON;
    case '>':
      return value > target + EPSILON;
    case '>=':
      return value >= target - EPSILON;
    case '=':
      return Math.abs(value - target) <= EPSILON;
    default:
      return assertNever(comparator, 'comparator');
  }
}

export interface TargetResult {
  readonly indicator: RateIndicator;
  readonly comparator: Comparator;
  readonly target: number;
  /** the rate, or null when undefined (zero denominator) */
  readonly value: number | null;
  /** null when the rate is null */
  readonly met: boolean | null;
  readonly label?: string;
}

/** The targets that apply to exactly this category and subtype (a subtype target does not apply to the whole category). */
export function targetsFor(
  category: WasteCategory | undefined,
  subtype: WasteSubtype | undefined,
  targets: readonly IndicatorTarget[] = DEFAULT_TARGETS,
): IndicatorTarget[] {
  return targets.filter((t) => t.category === category && t.subtype === subtype);
}

export function evaluateTargets(
  indicators: Indicators,
  category: WasteCategory | undefined,
  subtype?: WasteSubtype,
  targets: readonly IndicatorTarget[] = DEFAULT_TARGETS,
): TargetResult[] {
  return targetsFor(category, subtype, targets).map((t) => {
    const value = indicators[t.indicator];
    const base = {
      indicator: t.indicator,
      comparator: t.comparator,
      target: t.value,
      value,
      met: value === null ? null : compare(value, t.comparator, t.value),
    };
    return t.label === undefined ? base : { ...base, label: t.label };
  });
}
