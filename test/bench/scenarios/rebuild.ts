import { runComparison, type Variant } from '../harness/measure';
import type { BenchContext, CheckResult, RatioResult, Scenario, ScenarioOutcome, VariantResult } from '../harness/scenario';
import { check } from '../harness/scenario';
import { meets, summarize } from '../harness/stats';
import { benchCacheDirectory } from '../support/history-dataset';
import { HISTORY_GENERATOR_VERSION } from '../support/waste-history';
import {
  freshReadModel,
  historyStore,
  keepProjected,
  READ_SIDE_SIZES,
  rebuildAll,
  validateReadModel,
  type HistoryStore,
  type ReadModel,
  type ReadStore,
} from '../support/read-side';

const DESIGN = 'DESIGN.md §6';
/** 20,000 events/s: a million events in under a minute, every projection. */
const REBUILD_TARGET = { op: '>=', value: 20_000, source: DESIGN } as const;
/** Issue 17 item 3: the rebuild keeps at least 0.3 of the rate of reading the log alone. */
const REBUILD_VS_READ = { op: '>=', value: 0.3, source: 'issue 17' } as const;
/**
 * Pages of the log read by the `read` variant: the pages the runner reads while rebuilding (REBUILD_PAGE_SIZE in
 * projection-runner.ts; it commits every 20000 events, but reads 1000 at a time).
 */
const PAGE = 1000;

interface RebuildState {
  readonly history: HistoryStore;
  readonly readModel: ReadModel;
  result?: Awaited<ReturnType<typeof rebuildAll>>;
}

/** `ProjectionRunner.rebuild()` of every projection into a fresh read-model database. */
function rebuildVariant(
  context: BenchContext,
  kind: ReadStore,
  events: number,
  id: string,
  keepLast: { rounds: number; seen: number } | undefined,
): Variant<RebuildState> {
  return {
    id,
    label: `rebuild, all projections (${label(events)})`,
    async prepare() {
      const history = await historyStore(context, kind, events);
      return { history, readModel: await freshReadModel(context, kind) };
    },
    async execute(state) {
      state.result = await rebuildAll(state.history, state.readModel);
      // The bench process's peak resident set so far (getrusage): the rebuild's memory bound, when no
      // larger history was generated or copied in this process before it.
      return { peakRssMb: process.resourceUsage().maxRSS / 1024 };
    },
    async validate(state) {
      check(state.result !== undefined, () => `${id}: no rebuild result`);
      await validateReadModel(state.history, state.readModel, state.result);
    },
    async dispose(state) {
      // The last round's read model stays for the query scenarios.
      if (keepLast && (keepLast.seen += 1) === keepLast.rounds && state.result) {
        await keepProjected(context, state.history, state.readModel, state.result);
        return;
      }
      await state.readModel.drop();
    },
  };
}

/** Reading (and decoding) the whole log through `store.readAll` in the runner's pages: the rebuild's input limit. */
function readVariant(context: BenchContext, kind: ReadStore, events: number, id: string): Variant<{ history: HistoryStore; read: number }> {
  return {
    id,
    label: `read the log only (${label(events)})`,
    async prepare() {
      return { history: await historyStore(context, kind, events), read: 0 };
    },
    async execute(state) {
      let after = 0n;
      for (;;) {
        const page = await state.history.store.readAll({ after, limit: PAGE });
        if (page.length === 0) break;
        state.read += page.length;
        after = page[page.length - 1].position;
      }
    },
    async validate(state) {
      check(state.read === state.history.dataset.facts.events, () => `${id}: read ${state.read} events, stored ${state.history.dataset.facts.events}`);
    },
    async dispose() {},
  };
}

function label(events: number): string {
  return events >= 1_000_000 ? `${events / 1_000_000} M events` : `${events / 1000} k events`;
}

function suffixOf(events: number): string {
  return events >= 1_000_000 ? `${events / 1_000_000}m` : `${events / 1000}k`;
}

async function rebuildScenario(
  context: BenchContext,
  kind: ReadStore,
  only?: readonly number[],
): Promise<ScenarioOutcome> {
  const sizes = only ?? (context.quick ? [READ_SIDE_SIZES.small] : [READ_SIDE_SIZES.small, READ_SIDE_SIZES.large]);
  const variants: VariantResult[] = [];
  const ratios: RatioResult[] = [];
  const checks: CheckResult[] = [];
  const notes: string[] = [];
  const medians = new Map<number, number>();
  for (const events of sizes) {
    const large = events >= 1_000_000;
    const history = await historyStore(context, kind, events);
    const suffix = suffixOf(events);
    // A million events take a minute or more per rebuild: one round, no warm-up (the JIT is warm by then).
    // 100 k: 5 rounds on SQLite, 2 on PostgreSQL (slower), after a warm-up; quick mode: 2 and 1, no warm-up.
    const smallRounds = { sqlite: context.quick ? 2 : 5, postgres: context.quick ? 1 : 2 }[kind];
    const rounds = large ? 1 : Math.min(context.rounds, smallRounds);
    const warmupRounds = large || context.quick ? 0 : context.warmupRounds;
    const keep = { rounds: rounds + warmupRounds, seen: 0 };
    const result = await runComparison(
      { ...context, rounds, warmupRounds },
      {
        units: history.dataset.facts.events,
        throughputUnit: 'events/s',
        variants: [
          rebuildVariant(context, kind, events, `rebuild-${suffix}`, large || context.quick ? keep : undefined),
          readVariant(context, kind, events, `read-${suffix}`),
        ],
        metrics: { peakRssMb: { unit: 'MB', better: 'lower' } },
        ratios: [
          {
            id: `rebuild-vs-read-${suffix}`,
            label: `rebuild / reading the log alone (${label(events)})`,
            numerator: `rebuild-${suffix}`,
            denominator: `read-${suffix}`,
            note: `${label(events)}: the share of the log's read rate (the rebuild's input) that the whole rebuild keeps.`,
            target: REBUILD_VS_READ,
          },
        ],
      },
    );
    variants.push(...result.variants);
    ratios.push(...result.ratios);
    const rebuild = result.variants.find((v) => v.id === `rebuild-${suffix}`)?.metrics.throughput;
    if (rebuild) {
      medians.set(events, rebuild.median);
      checks.push({
        id: `rebuild-${suffix}`,
        label: `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} rebuild of ${label(events)}, all projections`,
        variant: `rebuild-${suffix}`,
        metric: 'throughput',
        value: rebuild.median,
        unit: 'events/s',
        target: REBUILD_TARGET,
        met: meets(rebuild.median, REBUILD_TARGET),
      });
    }
    if (history.dataset.generatedSeconds > 0)
      notes.push(`The ${label(events)} history was generated in this run (${Math.round(history.dataset.generatedSeconds)} s), then cached.`);
    const peak = result.variants.find((v) => v.id === `rebuild-${suffix}`)?.metrics.peakRssMb;
    if (peak) notes.push(`${label(events)}: peak RSS of the bench process after the rebuild ${Math.round(peak.max)} MB (getrusage; the process also holds the history store's page cache and, if it generated or copied the history in this run, that peak).`);
  }
  const small = medians.get(READ_SIDE_SIZES.small);
  const large = medians.get(READ_SIDE_SIZES.large);
  if (small && large) {
    ratios.push({
      id: 'scaling-1m-vs-100k',
      label: 'events/s at 1 M / events/s at 100 k (scaling)',
      numerator: 'rebuild-1m',
      denominator: 'rebuild-100k',
      metric: 'throughput',
      ...summarize([large / small]),
      note: 'Across two comparisons (not interleaved): read it with the load averages of the run in mind.',
    });
  }
  return {
    parameters: {
      projections: 'all (WASTEFLOW_PROJECTIONS)',
      'history generator': `v${HISTORY_GENERATOR_VERSION}`,
      sizes: sizes.map(label).join(' and '),
      'history cache': `${benchCacheDirectory()} (WASTEFLOW_BENCH_CACHE)`,
      'rebuild batch': 'runner default',
    },
    variants,
    ratios,
    checks,
    notes: [
      'The history: fourteen months of 13 Hangzhou districts, all five categories, splits, consolidations at collectors, ' +
        'manifests with cancellations, delays, losses, discrepancies and rejections, treatments and corrections, decided ' +
        'by the domain (test/bench/support/waste-history.ts); each rebuild is validated against the generator’s own tally ' +
        '(checkpoints at the head, row counts, indicator masses by category and mode, sampled batches in trace and inventory, alerts).',
      ...notes,
    ],
  };
}

export const rebuildScenarios: readonly Scenario[] = [
  {
    name: 'rebuild-sqlite',
    group: 'Projection rebuild',
    title: 'Rebuild of every projection, SQLite event store and read models',
    description:
      '`ProjectionRunner.rebuild()` of all `WASTEFLOW_PROJECTIONS` (trace, manifests, indicators, inventory, alerts) from the cached history into a fresh read-model file, beside reading the log alone through `readAll` (the input’s limit). 100 k events in interleaved rounds; 1 M events once (full mode only).',
    run: (context) => rebuildScenario(context, 'sqlite'),
  },
  {
    name: 'rebuild-postgres',
    group: 'Projection rebuild',
    title: 'Rebuild of every projection, PostgreSQL event store and read models',
    description:
      'As above on PostgreSQL: the history bulk-copied into an event store schema, the read models in a schema of their own. 100 k events in 3 rounds; 1 M events once (full mode only).',
    requires: ['postgres'],
    run: (context) => rebuildScenario(context, 'postgres'),
  },
  {
    name: 'rebuild-sqlite-10m',
    group: 'Projection rebuild',
    title: `Rebuild of every projection at ${label(READ_SIDE_SIZES.huge)}, SQLite`,
    description:
      `As \`rebuild-sqlite\` on the ${label(READ_SIDE_SIZES.huge)} history (a province's decade; generated once and cached beside the 1 M one, about 1 GB per million events), one rebuild and one read of the log; run only when named (\`--only rebuild-sqlite-10m\`), outside the 20-minute budget. \`WASTEFLOW_BENCH_HUGE_EVENTS\` sets a smaller size.`,
    explicit: true,
    run: (context) => rebuildScenario(context, 'sqlite', [READ_SIDE_SIZES.huge]),
  },
  {
    name: 'rebuild-postgres-10m',
    group: 'Projection rebuild',
    title: `Rebuild of every projection at ${label(READ_SIDE_SIZES.huge)}, PostgreSQL`,
    description:
      `As \`rebuild-postgres\` on the ${label(READ_SIDE_SIZES.huge)} history (the cached SQLite file bulk-copied into a schema kept between runs); run only when named.`,
    requires: ['postgres'],
    explicit: true,
    run: (context) => rebuildScenario(context, 'postgres', [READ_SIDE_SIZES.huge]),
  },
];
