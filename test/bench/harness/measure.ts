import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchContext, MetricResult, RatioResult, Target, VariantResult } from './scenario';
import { meets, summarize } from './stats';

/** Which part of its work a variant does in one timed call: slice `index` of `count`. */
export interface Slice {
  readonly index: number;
  readonly count: number;
}

/**
 * One contender of a comparison. Only `execute` is timed; `prepare` gives it fresh storage and its input,
 * `validate` proves the run did what it claims (counts, read back) before any figure is kept, and
 * `dispose` drops what `prepare` made (called even when a step failed).
 *
 * With `slices` > 1 in the spec, a run is cut into slices and the variants take turns slice by slice, so
 * that even noise lasting a fraction of a run (another tenant's fsyncs) hits every variant alike;
 * `execute` then does slice `index` of `count` of its work, on the state `prepare` made for the run.
 */
export interface Variant<State> {
  readonly id: string;
  readonly label: string;
  prepare(): Promise<State>;
  /**
   * The measured work. May return extra metrics (e.g. latency percentiles in ms) for the last slice, and
   * `throughput` itself when the timed call holds more than the measured work (a load generator's start
   * and stop): it then replaces `units` / seconds.
   */
  execute(state: State, slice: Slice): Promise<Record<string, number> | void>;
  validate(state: State): Promise<void>;
  dispose(state: State): Promise<void>;
}

export interface MetricDefinition {
  readonly unit: string;
  readonly better: 'higher' | 'lower';
}

export interface RatioDefinition {
  readonly id: string;
  readonly label: string;
  readonly numerator: string;
  readonly denominator: string;
  /** Default `throughput`. */
  readonly metric?: string;
  readonly target?: Target;
  readonly note?: string;
}

export interface ComparisonSpec {
  /** Operations one run performs (events appended, commands sent); throughput = units / seconds. */
  readonly units: number;
  /** Unit of the throughput metric, e.g. `events/s`. */
  readonly throughputUnit: string;
  // The variants' states differ; each variant is only ever handed its own.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly variants: readonly Variant<any>[];
  readonly ratios: readonly RatioDefinition[];
  /** Extra metrics returned by `execute`, by name. */
  readonly metrics?: Readonly<Record<string, MetricDefinition>>;
  /** Slices per run, taken in turns by the variants (default 1: whole runs in turns). */
  readonly slices?: number;
}

export interface ComparisonResult {
  readonly variants: VariantResult[];
  readonly ratios: RatioResult[];
}

/** A full collection before each round, so no round pays for the garbage of the one before. */
const gc = exposeGc();

function exposeGc(): () => void {
  const global = (globalThis as { gc?: () => void }).gc;
  if (global) return global;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Runs the variants in interleaved rounds (A B C, then C B A, then A B C …: the alternating order
 * cancels a drift of the machine as well as noise), discards the warm-up rounds, and summarises each
 * metric (median, min, max) and each ratio. A ratio is computed inside each round, from runs interleaved
 * slice by slice, and only then summarised: that is what makes it robust on a busy machine.
 */
export async function runComparison(context: BenchContext, spec: ComparisonSpec): Promise<ComparisonResult> {
  const definitions: Record<string, MetricDefinition> = {
    throughput: { unit: spec.throughputUnit, better: 'higher' },
    ...spec.metrics,
  };
  const samples = new Map<string, Map<string, number[]>>(
    spec.variants.map((variant) => [variant.id, new Map(Object.keys(definitions).map((m) => [m, []]))]),
  );
  const ratioSamples = new Map<string, number[]>(spec.ratios.map((ratio) => [ratio.id, []]));
  const totalRounds = context.warmupRounds + context.rounds;

  for (let round = 0; round < totalRounds; round += 1) {
    const warmup = round < context.warmupRounds;
    const thisRound = await runRound(spec, round);
    const line = spec.variants
      .map((variant) => `${variant.id} ${formatNumber(thisRound.get(variant.id)?.throughput ?? NaN)}`)
      .join(' · ');
    context.log(
      `    ${warmup ? 'warm-up' : `round ${round - context.warmupRounds + 1}/${context.rounds}`}: ${line}`,
    );
    if (warmup) continue;
    for (const [variantId, metrics] of thisRound) {
      for (const [metric, value] of Object.entries(metrics)) samples.get(variantId)?.get(metric)?.push(value);
    }
    for (const ratio of spec.ratios) {
      const metric = ratio.metric ?? 'throughput';
      const numerator = thisRound.get(ratio.numerator)?.[metric];
      const denominator = thisRound.get(ratio.denominator)?.[metric];
      if (numerator === undefined || denominator === undefined) {
        throw new Error(`ratio ${ratio.id}: no ${metric} for ${ratio.numerator} or ${ratio.denominator}`);
      }
      ratioSamples.get(ratio.id)?.push(numerator / denominator);
    }
  }

  const variants: VariantResult[] = spec.variants.map((variant) => {
    const metrics: Record<string, MetricResult> = {};
    for (const [metric, values] of samples.get(variant.id) ?? []) {
      if (values.length > 0) metrics[metric] = { ...definitions[metric], ...summarize(values) };
    }
    return { id: variant.id, label: variant.label, metrics };
  });
  const ratios: RatioResult[] = spec.ratios.map((ratio) => {
    const summary = summarize(ratioSamples.get(ratio.id) ?? []);
    return {
      id: ratio.id,
      label: ratio.label,
      numerator: ratio.numerator,
      denominator: ratio.denominator,
      metric: ratio.metric ?? 'throughput',
      ...summary,
      ...(ratio.target ? { target: ratio.target, met: meets(summary.median, ratio.target) } : {}),
      ...(ratio.note ? { note: ratio.note } : {}),
    };
  });
  return { variants, ratios };
}

/**
 * One round: every variant prepares fresh storage, then the variants take turns slice by slice (in
 * forward order on even rounds and slices, backward on odd ones), each slice timed on its own; then
 * every variant validates its run and drops its storage.
 */
async function runRound(spec: ComparisonSpec, round: number): Promise<Map<string, Record<string, number>>> {
  const slices = spec.slices ?? 1;
  const states = new Map<string, unknown>();
  const seconds = new Map<string, number>(spec.variants.map((variant) => [variant.id, 0]));
  const extras = new Map<string, Record<string, number>>();
  try {
    for (const variant of spec.variants) states.set(variant.id, await variant.prepare());
    // One full collection per round (not per slice: it takes a few hundred ms on a busy 2-core machine).
    gc();
    for (let index = 0; index < slices; index += 1) {
      const forward = (round + index) % 2 === 0;
      for (const variant of forward ? spec.variants : [...spec.variants].reverse()) {
        const state = states.get(variant.id);
        const started = performance.now();
        const extra = await variant.execute(state, { index, count: slices });
        seconds.set(variant.id, (seconds.get(variant.id) ?? 0) + (performance.now() - started) / 1000);
        if (extra) extras.set(variant.id, extra);
      }
    }
    for (const variant of spec.variants) await variant.validate(states.get(variant.id));
  } finally {
    // Every variant drops its storage, even when another's dispose fails (that one is reported).
    const failures: unknown[] = [];
    for (const variant of spec.variants) {
      if (!states.has(variant.id)) continue;
      await variant.dispose(states.get(variant.id)).catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) console.error(`dispose failed: ${failures.map(String).join('; ')}`);
  }
  return new Map(
    spec.variants.map((variant) => [
      variant.id,
      { throughput: spec.units / (seconds.get(variant.id) ?? NaN), ...(extras.get(variant.id) ?? {}) },
    ]),
  );
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
