import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  SUBTYPES,
  WASTE_CATEGORIES,
  targetsFor,
  type IndicatorTarget,
  type WasteCategory,
  type WasteSubtype,
} from '@wasteflow/domain';
import type { IndicatorsAnswer, IndicatorsQuery } from '@wasteflow/projections';

/** One line of the report: a category (or all, or a subtype) over a period, as GET /v1/indicators answers it. */
export interface ReportLine {
  readonly period: string;
  readonly category?: WasteCategory;
  readonly subtype?: WasteSubtype;
  readonly answer: IndicatorsAnswer;
  /** The configured targets of the line, with their comparators (the answer names the indicator only). */
  readonly targets: readonly IndicatorTarget[];
}

export interface ReportQuestion {
  readonly region: string;
  readonly year: number;
  /** The categories the caller may read; all five (and the line of all categories) for an auditor. */
  readonly categories: readonly WasteCategory[];
  readonly includeAll: boolean;
}

/** The twelve CST months of the year, then the year itself: [label, from, to]. */
export function periodsOf(year: number): [string, string, string][] {
  const months = Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    return [month, month, month] as [string, string, string];
  });
  return [...months, [String(year), `${year}-01`, `${year}-12`]];
}

/** The kinds of the report in order: all (when allowed), then each category followed by its subtypes. */
export function kindsOf(question: ReportQuestion): { category?: WasteCategory; subtype?: WasteSubtype }[] {
  const kinds: { category?: WasteCategory; subtype?: WasteSubtype }[] = question.includeAll ? [{}] : [];
  for (const category of WASTE_CATEGORIES) {
    if (!question.categories.includes(category)) continue;
    kinds.push({ category });
    for (const subtype of SUBTYPES[category]) kinds.push({ category, subtype });
  }
  return kinds;
}

/**
 * Every line of the report, each asked of IndicatorsQuery.indicators exactly as GET /v1/indicators asks it
 * (so the two cannot differ). The read models may move on while the lines are read: the lines are read
 * again (at most three times in all) until every line was computed at one position; the last reading is
 * kept either way, each line with the position it was computed at.
 */
export async function reportLines(
  query: IndicatorsQuery,
  question: ReportQuestion,
  configuredTargets: readonly IndicatorTarget[],
): Promise<{ lines: ReportLine[]; positions: string[] }> {
  let lines: ReportLine[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    lines = [];
    let asked = 0;
    for (const [period, from, to] of periodsOf(question.year)) {
      for (const kind of kindsOf(question)) {
        const answer = await query.indicators({ region: question.region, ...kind, from, to });
        lines.push({
          period,
          ...kind,
          answer,
          targets: targetsFor(kind.category, kind.subtype, configuredTargets),
        });
        // each question is a short read; between a few of them the event loop gets a turn
        if (++asked % 20 === 0) await nextTurn();
      }
    }
    if (new Set(lines.map((l) => l.answer.position)).size === 1) break;
  }
  return { lines, positions: [...new Set(lines.map((l) => l.answer.position))] };
}
