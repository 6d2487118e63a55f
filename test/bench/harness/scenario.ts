/**
 * What a benchmark scenario is. A scenario compares a few variants of one workload (ours, the storage
 * limit, a peer store, ours before an optimisation) in interleaved rounds, so machine noise hits every
 * variant alike, and reports each variant's metrics and the ratios between them, each beside its target.
 *
 * To add one: write a `Scenario` (usually with `comparison()` from ./measure), add it to
 * `scenarios/index.ts`. See test/bench/README.md.
 */

/** Resources a scenario needs; a scenario whose resource is missing is skipped, with the reason. */
export type Requirement = 'postgres';

export interface BenchContext {
  /** `--quick`: smaller workloads and fewer rounds, a smoke run rather than figures to quote. */
  readonly quick: boolean;
  /** Measured rounds per comparison (after the warm-up rounds). */
  readonly rounds: number;
  readonly warmupRounds: number;
  /** PostgreSQL connection string (DATABASE_URL or the test default); set when reachable. */
  readonly postgresUrl: string | undefined;
  /** Distinguishes this process's schemas and files from parallel runs'. */
  readonly runId: string;
  log(message: string): void;
}

export interface Scenario {
  /** Stable id, kebab-case, used by `--only` and as the key in results.json. */
  readonly name: string;
  /** Section of RESULTS.md the scenario belongs to (e.g. "Append throughput"). */
  readonly group: string;
  readonly title: string;
  readonly description?: string;
  readonly requires?: readonly Requirement[];
  /**
   * Runs only when `--only` names it exactly (not by a prefix, not in the default run): too long for the
   * 20-minute budget of `npm run bench` (the 10 M-event history).
   */
  readonly explicit?: boolean;
  run(context: BenchContext): Promise<ScenarioOutcome>;
}

/** A target as DESIGN.md states it: `value` compared with `op`. */
export interface Target {
  readonly op: '>=' | '<=';
  readonly value: number;
  /** Where the target comes from, e.g. "DESIGN.md §6". */
  readonly source: string;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export interface MetricResult extends Summary {
  readonly unit: string;
  readonly better: 'higher' | 'lower';
}

export interface VariantResult {
  readonly id: string;
  readonly label: string;
  readonly metrics: Readonly<Record<string, MetricResult>>;
}

/** A ratio of one variant's metric to another's, computed round by round, then summarised. */
export interface RatioResult extends Summary {
  readonly id: string;
  readonly label: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly metric: string;
  readonly target?: Target;
  /** Median against the target; undefined when there is no target. */
  readonly met?: boolean;
  readonly note?: string;
}

/** An absolute figure against a target (latency bounds, commands per second). */
export interface CheckResult {
  readonly id: string;
  readonly label: string;
  readonly variant: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target: Target;
  readonly met: boolean;
}

export interface ScenarioOutcome {
  /** Workload parameters worth printing beside the figures (events, batch size, concurrency…). */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly variants: readonly VariantResult[];
  readonly ratios: readonly RatioResult[];
  readonly checks?: readonly CheckResult[];
  readonly notes?: readonly string[];
}

export interface ScenarioResult extends Partial<ScenarioOutcome> {
  readonly name: string;
  readonly group: string;
  readonly title: string;
  readonly description?: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  /** Why it failed (validation or error) or was skipped. */
  readonly reason?: string;
  readonly ranAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
}

/** Thrown when a run's own results do not check out; the scenario then reports no figure. */
export class BenchValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchValidationError';
  }
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new BenchValidationError(message());
}

const cleanups: (() => Promise<void>)[] = [];

/**
 * Work to do once every scenario has run (also after a failure): closing what scenarios shared, dropping
 * files they kept for one another. Run by run.ts.
 */
export function afterAllScenarios(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function runAfterAllScenarios(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => console.error(`clean-up failed: ${String(error)}`));
}
