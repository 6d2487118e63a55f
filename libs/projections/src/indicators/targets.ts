import { readFileSync } from 'node:fs';
import {
  DEFAULT_TARGETS,
  RATE_INDICATORS,
  SUBTYPES,
  isWasteCategory,
  type Comparator,
  type IndicatorTarget,
  type RateIndicator,
  type WasteSubtype,
} from '@wasteflow/domain';

/** A targets file that cannot be used: the app refuses to start, saying which entry and why. */
export class TargetsConfigurationError extends Error {
  constructor(message: string) {
    super(`WASTEFLOW_TARGETS: ${message}`);
    this.name = 'TargetsConfigurationError';
  }
}

const COMPARATORS: readonly Comparator[] = ['<', '<=', '>', '>=', '='];

/**
 * The indicator targets shown as met / not met (DESIGN.md §3: "targets are configuration, not code").
 * `WASTEFLOW_TARGETS` unset or empty → the plan's defaults (`DEFAULT_TARGETS`). Otherwise it is either a
 * path to a JSON file or inline JSON (starting with `[`): an array of
 * `{ indicator, category, subtype?, comparator, value, label? }` that *replaces* the defaults, e.g.
 * `[{ "indicator": "landfillRate", "category": "hazardous", "comparator": "<", "value": 0.03 }]`.
 */
export function loadIndicatorTargets(setting: string | undefined): readonly IndicatorTarget[] {
  const value = setting?.trim();
  if (!value) return DEFAULT_TARGETS;
  let text: string;
  if (value.startsWith('[')) {
    text = value;
  } else {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new TargetsConfigurationError(`cannot read ${value}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TargetsConfigurationError(`not JSON: ${(error as Error).message}`);
  }
  return parseIndicatorTargets(parsed);
}

export function parseIndicatorTargets(parsed: unknown): IndicatorTarget[] {
  if (!Array.isArray(parsed)) throw new TargetsConfigurationError('expected a JSON array of targets');
  return parsed.map((entry: unknown, i) => {
    const at = `targets[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new TargetsConfigurationError(`${at} is not an object`);
    const t = entry as Record<string, unknown>;
    const unknown = Object.keys(t).filter(
      (k) => !['indicator', 'category', 'subtype', 'comparator', 'value', 'label'].includes(k),
    );
    if (unknown.length > 0)
      throw new TargetsConfigurationError(`${at} has unknown fields ${unknown.join(', ')}`);
    if (!RATE_INDICATORS.includes(t.indicator as RateIndicator))
      throw new TargetsConfigurationError(`${at}.indicator must be one of ${RATE_INDICATORS.join(', ')}`);
    if (!isWasteCategory(t.category))
      throw new TargetsConfigurationError(`${at}.category is not a waste category`);
    if (t.subtype !== undefined && !SUBTYPES[t.category].includes(t.subtype as WasteSubtype))
      throw new TargetsConfigurationError(`${at}.subtype is not a subtype of ${t.category}`);
    if (!COMPARATORS.includes(t.comparator as Comparator))
      throw new TargetsConfigurationError(`${at}.comparator must be one of ${COMPARATORS.join(' ')}`);
    if (typeof t.value !== 'number' || !Number.isFinite(t.value) || t.value < 0 || t.value > 1)
      throw new TargetsConfigurationError(`${at}.value must be a ratio between 0 and 1`);
    if (t.label !== undefined && typeof t.label !== 'string')
      throw new TargetsConfigurationError(`${at}.label must be a string`);
    const target: IndicatorTarget = {
      indicator: t.indicator as RateIndicator,
      category: t.category,
      comparator: t.comparator as Comparator,
      value: t.value,
      ...(t.subtype !== undefined ? { subtype: t.subtype as WasteSubtype } : {}),
      ...(t.label !== undefined ? { label: t.label as string } : {}),
    };
    return target;
  });
}
