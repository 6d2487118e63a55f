import type { DataSource } from 'typeorm';
import {
  DEFAULT_TARGETS,
  computeIndicators,
  evaluateTargets,
  type IndicatorTarget,
  type RateIndicator,
  type WasteCategory,
  type WasteSubtype,
} from '@wasteflow/domain';
import { formatPosition } from '@wasteflow/event-store';
import { INDICATORS_PROJECTION } from './indicators.projection';
import { ReadModelReader } from '../query/read-model-reader';
import { regionRange } from '../query/read-scope';
import { bigintOf, gramsToKg, safeGrams } from '../query/values';

export interface IndicatorsRequest {
  /** 2, 4 or 6 digits (province, city, district), validated by the caller. */
  readonly region: string;
  /** Omitted: every category. */
  readonly category?: WasteCategory;
  /** Only with a category. */
  readonly subtype?: WasteSubtype;
  /** First calendar month of the period (CST), `YYYY-MM`, inclusive. */
  readonly from: string;
  /** Last calendar month of the period (CST), `YYYY-MM`, inclusive. */
  readonly to: string;
}

/** The raw masses of DESIGN.md §3 in exact integer grams, and the checkpoint they were read at. */
export interface IndicatorGrams {
  readonly generated: bigint;
  readonly utilised: bigint;
  readonly landfilled: bigint;
  readonly incinerated: bigint;
  readonly otherDisposed: bigint;
  readonly utilisedFromPriorStock: bigint;
  readonly treatedFromPriorStock: bigint;
  /** Lost in transit in the period: not part of the answer's shape, kept for checks. */
  readonly lost: bigint;
  readonly position: bigint;
}

export interface TargetAnswer {
  readonly indicator: RateIndicator;
  readonly target: number;
  readonly value: number | null;
  readonly met: boolean | null;
}

/** The answer of GET /v1/indicators, field for field DESIGN.md §4 (plus `subtype` when one was asked for). */
export interface IndicatorsAnswer {
  readonly region: string;
  readonly category: WasteCategory | null;
  readonly subtype?: WasteSubtype;
  readonly from: string;
  readonly to: string;
  readonly generatedKg: number;
  readonly utilisedKg: number;
  readonly landfilledKg: number;
  readonly incineratedKg: number;
  readonly otherDisposedKg: number;
  readonly disposedKg: number;
  readonly utilisedFromPriorStockKg: number;
  readonly treatedFromPriorStockKg: number;
  readonly utilisationRate: number | null;
  readonly landfillRate: number | null;
  readonly treatedRate: number | null;
  readonly targets: readonly TargetAnswer[];
  readonly position: string;
}

/**
 * Reads the indicator facts (a district) or their rollup (a city, a province): one statement summing every measure,
 * the category (and subtype) and the period, next to the projection's checkpoint in the same snapshot.
 *
 * - generated: facts generated in the period, with corrections restating their generation month;
 * - treated by mode: facts whose activity (treatment) month is in the period, whatever their origin month;
 * - from prior stock: the part of those whose generation month is before the period.
 */
export class IndicatorsQuery {
  private readonly reader: ReadModelReader;

  constructor(
    dataSource: DataSource,
    private readonly targets: readonly IndicatorTarget[] = DEFAULT_TARGETS,
  ) {
    this.reader = new ReadModelReader(dataSource);
  }

  async grams(request: IndicatorsRequest): Promise<IndicatorGrams> {
    // A district: a range of the facts (a single code); a city or a province: its rows of the rollup.
    const district = request.region.length === 6;
    const params: Record<string, string> = { from: request.from, to: request.to };
    if (district) Object.assign(params, regionRange(request.region));
    else params.region = request.region;
    const filters: string[] = [];
    if (request.category !== undefined) {
      filters.push('AND category = :category');
      params.category = request.category;
    }
    if (request.subtype !== undefined) {
      filters.push('AND subtype = :subtype');
      params.subtype = request.subtype;
    }
    const inPeriod = 'activity_month <= :to';
    const prior = 'activity_month <= :to AND generated_month < :from';
    const treated = 'utilised + landfilled + incinerated + other_disposed';
    const sum = (expression: string, when: string) =>
      `CAST(COALESCE(SUM(CASE WHEN ${when} THEN ${expression} ELSE 0 END), 0) AS TEXT)`;
    // Every fact of interest has generated_month <= to (generated in or before the period) and
    // activity_month >= from (activity never precedes generation), which bounds the scan.
    const sql = `SELECT
        ${sum('generated + corrected', 'generated_month >= :from')} AS generated,
        ${sum('utilised', inPeriod)} AS utilised,
        ${sum('landfilled', inPeriod)} AS landfilled,
        ${sum('incinerated', inPeriod)} AS incinerated,
        ${sum('other_disposed', inPeriod)} AS other_disposed,
        ${sum('utilised', prior)} AS utilised_prior,
        ${sum(treated, prior)} AS treated_prior,
        ${sum('lost', inPeriod)} AS lost
      FROM ${this.reader.table(district ? 'indicator_fact' : 'indicator_rollup')}
      WHERE ${district ? 'district >= :lo AND district < :hi' : 'region = :region'}
        AND generated_month <= :to AND activity_month >= :from
        ${filters.join(' ')}`;
    const [[checkpoint], [row]] = await this.reader.snapshot([
      this.reader.checkpointStatement(INDICATORS_PROJECTION),
      { sql, params },
    ]);
    return {
      generated: bigintOf(row.generated),
      utilised: bigintOf(row.utilised),
      landfilled: bigintOf(row.landfilled),
      incinerated: bigintOf(row.incinerated),
      otherDisposed: bigintOf(row.other_disposed),
      utilisedFromPriorStock: bigintOf(row.utilised_prior),
      treatedFromPriorStock: bigintOf(row.treated_prior),
      lost: bigintOf(row.lost),
      position: bigintOf(checkpoint.position),
    };
  }

  async indicators(request: IndicatorsRequest): Promise<IndicatorsAnswer> {
    const g = await this.grams(request);
    // Rates from the exact gram sums (the domain's arithmetic); masses printed from the same integers.
    const indicators = computeIndicators({
      generated: safeGrams(g.generated),
      utilised: safeGrams(g.utilised),
      landfilled: safeGrams(g.landfilled),
      incinerated: safeGrams(g.incinerated),
      otherDisposed: safeGrams(g.otherDisposed),
      utilisedFromPriorStock: safeGrams(g.utilisedFromPriorStock),
      treatedFromPriorStock: safeGrams(g.treatedFromPriorStock),
    });
    const targets = evaluateTargets(indicators, request.category, request.subtype, this.targets).map((t) => ({
      indicator: t.indicator,
      target: t.target,
      value: t.value,
      met: t.met,
    }));
    return {
      region: request.region,
      category: request.category ?? null,
      ...(request.subtype !== undefined ? { subtype: request.subtype } : {}),
      from: request.from,
      to: request.to,
      generatedKg: gramsToKg(g.generated),
      utilisedKg: gramsToKg(g.utilised),
      landfilledKg: gramsToKg(g.landfilled),
      incineratedKg: gramsToKg(g.incinerated),
      otherDisposedKg: gramsToKg(g.otherDisposed),
      disposedKg: gramsToKg(g.landfilled + g.incinerated + g.otherDisposed),
      utilisedFromPriorStockKg: gramsToKg(g.utilisedFromPriorStock),
      treatedFromPriorStockKg: gramsToKg(g.treatedFromPriorStock),
      utilisationRate: indicators.utilisationRate,
      landfillRate: indicators.landfillRate,
      treatedRate: indicators.treatedRate,
      targets,
      position: formatPosition(g.position),
    };
  }
}
