import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { runComparison, type RatioDefinition, type Variant } from '../harness/measure';
import {
  check,
  type BenchContext,
  type CheckResult,
  type MetricResult,
  type Scenario,
  type ScenarioOutcome,
  type Target,
  type VariantResult,
} from '../harness/scenario';
import { meets } from '../harness/stats';
import {
  buildApi,
  countStored,
  startApi,
  waitForProjections,
  type ApiProcess,
} from '../support/api-process';
import { runLoad, type LoadResult, type RequestSpec } from '../support/load';
import {
  bulkRequests,
  generationRequests,
  mixNeeds,
  mixRequests,
  pregenerate,
  seedWorld,
  type World,
} from '../support/waste-world';

/**
 * HTTP command throughput and latency through the real app (issue 6, item 3): the built api in a child
 * process on a fresh embedded store (SQLite, synchronous=FULL), projections in-process as deployed, driven
 * by autocannon from the bench process. Every request is valid and sent once, under a key of its own;
 * a run counts as long as every answer is 2xx and the store holds exactly the events the answers claim.
 */

const DESIGN = 'DESIGN.md §6';
const COMMANDS_PER_SECOND: Target = { op: '>=', value: 3000, source: DESIGN };
const P99_MS: Target = { op: '<=', value: 25, source: DESIGN };
/** Requests of a run, by connection count (full mode); a run is cut short on nothing, so these are it. */
const RUN_SIZE: Record<number, number> = { 1: 400, 8: 1500, 32: 3000, 128: 3000 };
const QUICK_RUN_SIZE: Record<number, number> = { 1: 100, 32: 600 };
/** Requests each app serves before its measured run (JIT, caches), not counted. */
const WARM_UP = 500;
const BULK_ITEMS = 1000;

/** Another build of the api to compare with (`WASTEFLOW_BENCH_API_BEFORE=<path of its main.js>`). */
function beforeBuild(): string | undefined {
  const path = process.env.WASTEFLOW_BENCH_API_BEFORE;
  if (!path) return undefined;
  const main = resolve(path);
  if (!existsSync(main)) throw new Error(`WASTEFLOW_BENCH_API_BEFORE: no file ${main}`);
  return main;
}

type Workload = 'generate' | 'mix' | 'bulk';

interface RunState {
  readonly api: ApiProcess;
  readonly world: World;
  readonly specs: readonly RequestSpec[];
  /** What the store held before the measured run (seeding, pre-generation, warm-up). */
  readonly before: ReadonlyMap<string, number>;
  result?: LoadResult;
  bulkItems?: { created: number; refused: number };
}

/**
 * Events each kind of request appends, by type (a receipt accepted in full: the batch is received). The
 * idempotency records are bookkeeping beside the log, not events (docs/adr/0008).
 */
const EVENTS_OF: Record<string, Record<string, number>> = {
  generate: { WasteGenerated: 1 },
  issue: { ManifestIssued: 1, BatchConsigned: 1, ManifestSerialAllocated: 1 },
  receive: { ManifestReceived: 1, BatchReceived: 1 },
  bulk: { WasteGenerated: BULK_ITEMS },
};

/** Event types of older builds' bookkeeping: idempotency records and the custody checkpoint. */
const LEGACY_BOOKKEEPING_TYPES = ['IdempotentWriteRecorded', 'CheckpointRecorded'];

function httpVariant(options: {
  readonly id: string;
  readonly label: string;
  readonly workload: Workload;
  readonly connections: number;
  readonly requests: number;
  readonly projections: boolean;
  readonly main?: string;
  readonly tag: string;
}): Variant<RunState> {
  const { workload, connections, requests } = options;
  return {
    id: options.id,
    label: options.label,
    async prepare() {
      const api = await startApi({ projections: options.projections, main: options.main });
      try {
        const tag = `${options.tag}-${options.id}`;
        const world = await seedWorld(api, tag);
        const build = async (prefix: string, count: number): Promise<RequestSpec[]> => {
          if (workload === 'generate') return generationRequests(world, prefix, count);
          if (workload === 'bulk') return bulkRequests(world, prefix, count, BULK_ITEMS);
          const needs = mixNeeds(count);
          const made = await pregenerate(api, world, prefix, needs.issues, needs.receipts);
          return mixRequests(world, prefix, count, made.free, made.inTransit);
        };
        const warmUp = await build(`${tag}-warm`, workload === 'bulk' ? 1 : Math.max(WARM_UP, connections));
        const specs = await build(`${tag}-run`, requests);
        await waitForProjections(api);
        const warm = await runLoad(api.url, warmUp, Math.min(connections, warmUp.length));
        check(
          warm.non2xx === 0 && warm.errors === 0,
          () => `${options.id}: warm-up answered ${warm.non2xx} non-2xx, ${warm.errors} errors: ${warm.failures.join(' | ')}`,
        );
        await waitForProjections(api);
        return { api, world, specs, before: countStored(api).byType };
      } catch (error) {
        await api.stop();
        throw error;
      }
    },
    async execute(state) {
      let bulkItems = { created: 0, refused: 0 };
      const onBody =
        workload === 'bulk'
          ? (status: number, body: string) => {
              if (status !== 200) return;
              for (const item of (JSON.parse(body) as { results: { status: number }[] }).results) {
                if (item.status === 201) bulkItems = { ...bulkItems, created: bulkItems.created + 1 };
                else bulkItems = { ...bulkItems, refused: bulkItems.refused + 1 };
              }
            }
          : undefined;
      const result = await runLoad(state.api.url, state.specs, connections, onBody);
      state.result = result;
      state.bulkItems = bulkItems;
      // The projections' backlog is worked off here, untimed, so that it does not run during another
      // variant's measurement; how long it takes is reported.
      const started = Date.now();
      await waitForProjections(state.api);
      const units = workload === 'bulk' ? bulkItems.created : result.responses;
      return {
        // autocannon's own end waits for its next 1-second tick: the rate is over first send to last answer
        throughput: units / result.seconds,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        histogramP99Ms: result.histogramP99Ms,
        catchUpMs: Date.now() - started,
      };
    },
    async validate(state) {
      const result = state.result;
      check(result !== undefined, () => `${options.id}: no run`);
      check(
        result.non2xx === 0 && result.errors === 0 && result.timeouts === 0,
        () =>
          `${options.id}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts: ${result.failures.join(' | ')}`,
      );
      check(
        result.responses === state.specs.length,
        () => `${options.id}: ${result.responses} answers to ${state.specs.length} requests`,
      );
      if (workload === 'bulk') {
        check(
          state.bulkItems?.refused === 0 && state.bulkItems.created === state.specs.length * BULK_ITEMS,
          () => `${options.id}: bulk items ${JSON.stringify(state.bulkItems)}`,
        );
      }
      // The store holds exactly what the answers say was written: per event type, before + sent × events.
      const expected = new Map(state.before);
      for (const [kind, sent] of result.sentByKind) {
        for (const [type, count] of Object.entries(EVENTS_OF[kind] ?? {})) {
          expected.set(type, (expected.get(type) ?? 0) + sent * count);
        }
      }
      const stored = new Map(countStored(state.api).byType);
      // A build from before docs/adr/0008 (the before/after scenario) kept its bookkeeping as events.
      for (const legacy of LEGACY_BOOKKEEPING_TYPES) {
        stored.delete(legacy);
        expected.delete(legacy);
      }
      for (const [type, count] of expected) {
        check(
          stored.get(type) === count,
          () => `${options.id}: ${stored.get(type) ?? 0} ${type} events stored, expected ${count}`,
        );
      }
      for (const type of stored.keys()) {
        check(expected.has(type), () => `${options.id}: unexpected ${type} events`);
      }
    },
    async dispose(state) {
      await state.api.stop();
    },
  };
}

const HTTP_METRICS = {
  p50Ms: { unit: 'ms', better: 'lower' },
  p99Ms: { unit: 'ms', better: 'lower' },
  histogramP99Ms: { unit: 'ms', better: 'lower' },
  catchUpMs: { unit: 'ms', better: 'lower' },
} as const;

function roundsOf(context: BenchContext): BenchContext {
  // Each variant starts its own app and warms it up: no warm-up round; 3 rounds keep the budget (4 min).
  return { ...context, rounds: context.quick ? 1 : Math.min(context.rounds, 3), warmupRounds: 0 };
}

function checksAt32(variants: readonly VariantResult[], what: string): CheckResult[] {
  const at32 = variants.find((variant) => variant.id === 'c32');
  if (!at32) return [];
  const figure = (metric: string, target: Target, label: string): CheckResult => {
    const result = at32.metrics[metric] as MetricResult;
    return {
      id: `${what}-${metric}`,
      label,
      variant: at32.id,
      metric,
      value: result.median,
      unit: result.unit,
      target,
      met: meets(result.median, target),
    };
  };
  return [
    figure('throughput', COMMANDS_PER_SECOND, `HTTP ${what}, 32 connections: commands/s`),
    figure('p99Ms', P99_MS, `HTTP ${what}, 32 connections: p99 latency`),
  ];
}

function connectionScenario(workload: 'generate' | 'mix'): Scenario {
  const what = workload === 'generate' ? 'generation' : 'mix';
  return {
    name: `http-commands-${workload}`,
    group: 'HTTP commands',
    title:
      workload === 'generate'
        ? 'Generation (POST /v1/batches) at 1, 8, 32, 128 connections'
        : 'Mix of generation, manifest issue and receipt at 1, 8, 32, 128 connections',
    description:
      (workload === 'generate'
        ? 'Every request records a hazardous batch (WasteGenerated; its idempotency record beside the log), eight generators in turn. '
        : 'Out of every five requests: three generations, one manifest issue of a batch generated beforehand (ManifestIssued, BatchConsigned, the city serial; eight cities in turn), one receipt in full of a manifest issued and picked up beforehand (ManifestReceived, BatchReceived). ') +
      'The built api in a child process (embedded SQLite, synchronous=FULL, projections in-process), a fresh ' +
      'store per run, 500 requests of warm-up, then autocannon from the bench process, each request once ' +
      'with its own Idempotency-Key. Latency percentiles are exact over every answer (autocannon’s ' +
      'histogram truncates to whole ms: `histogramP99Ms`); `catchUpMs` is how long the projections took ' +
      'to reach the head after the run (untimed).',
    async run(context): Promise<ScenarioOutcome> {
      buildApi(context.log);
      const sizes = context.quick ? QUICK_RUN_SIZE : RUN_SIZE;
      const variants: Variant<RunState>[] = Object.entries(sizes).map(([connections, requests]) =>
        httpVariant({
          id: `c${connections}`,
          label: `${connections} connection${connections === '1' ? '' : 's'}`,
          workload,
          connections: Number(connections),
          requests,
          projections: true,
          tag: context.runId,
        }),
      );
      const result = await runComparison(roundsOf(context), {
        units: 1,
        throughputUnit: 'commands/s',
        variants,
        ratios: [],
        metrics: HTTP_METRICS,
      });
      return {
        parameters: {
          'requests per run': Object.entries(sizes)
            .map(([connections, requests]) => `${requests} at ${connections}`)
            .join(', '),
          store: 'sqlite, synchronous=FULL',
          projections: 'in-process',
        },
        ...result,
        checks: checksAt32(result.variants, what),
        notes: [
          'The machine’s two cores are shared by the app (its main thread, the SQLite writer thread, V8’s ' +
            'threads), autocannon, and whatever else runs: absolute figures are depressed and move with the load.',
        ],
      };
    },
  };
}

const projectionsScenario: Scenario = {
  name: 'http-commands-projections',
  group: 'HTTP commands',
  title: 'Generation at 32 connections, projections in-process on and off',
  description:
    'As `http-commands-generate` at 32 connections, once with the projections running in the api process ' +
    '(the default) and once with `WASTEFLOW_PROJECTIONS=off` (projections left to apps/projector): what the ' +
    'in-process projections cost the command path.',
  async run(context) {
    buildApi(context.log);
    const requests = context.quick ? QUICK_RUN_SIZE[32] : RUN_SIZE[32];
    const variants = [true, false].map((projections) =>
      httpVariant({
        id: projections ? 'on' : 'off',
        label: projections ? 'projections in-process' : 'WASTEFLOW_PROJECTIONS=off',
        workload: 'generate',
        connections: 32,
        requests,
        projections,
        tag: context.runId,
      }),
    );
    const result = await runComparison(roundsOf(context), {
      units: 1,
      throughputUnit: 'commands/s',
      variants,
      ratios: [{ id: 'on/off', label: 'projections on / off (commands/s)', numerator: 'on', denominator: 'off' }],
      metrics: HTTP_METRICS,
    });
    return {
      parameters: { requests, connections: 32, store: 'sqlite, synchronous=FULL' },
      ...result,
    };
  },
};

const bulkScenario: Scenario = {
  name: 'http-commands-bulk',
  group: 'HTTP commands',
  title: 'Bulk ingestion: POST /v1/commands, 1,000 generations per request',
  description:
    'Requests of 1,000 generate-waste items each (every item 201: WasteGenerated, its idempotency ' +
    'record beside the log), one connection and four; the rate is in items (= WasteGenerated events) per second. ' +
    'Projections in-process; their catch-up after the run is reported, untimed.',
  async run(context) {
    buildApi(context.log);
    const requests = context.quick ? 2 : 8;
    const variants = [1, 4].map((connections) =>
      httpVariant({
        id: `c${connections}`,
        label: `${connections} connection${connections === 1 ? '' : 's'}`,
        workload: 'bulk',
        connections,
        requests: Math.max(requests, connections),
        projections: true,
        tag: context.runId,
      }),
    );
    const result = await runComparison(roundsOf(context), {
      units: 1,
      throughputUnit: 'events/s',
      variants,
      ratios: [],
      metrics: HTTP_METRICS,
    });
    return {
      parameters: { 'requests per run': requests, 'items per request': BULK_ITEMS, store: 'sqlite, synchronous=FULL' },
      ...result,
    };
  },
};

const beforeAfterScenario: Scenario = {
  name: 'http-commands-before-after',
  group: 'HTTP commands',
  title: 'Before and after: generation and mix at 32 connections, this build against another',
  description:
    'Runs only with `WASTEFLOW_BENCH_API_BEFORE=<main.js of another build>` (a copy of dist/ built from ' +
    'the commit before a change): generation and the mix at 32 connections, projections off (the command ' +
    'path alone), each build in turn, fresh store and app per run.',
  async run(context): Promise<ScenarioOutcome> {
    const before = beforeBuild();
    if (!before) {
      return {
        parameters: { 'build before': 'not given' },
        variants: [],
        ratios: [],
        notes: ['Not run: set WASTEFLOW_BENCH_API_BEFORE to the main.js of the build to compare with.'],
      };
    }
    buildApi(context.log);
    const requests = context.quick ? QUICK_RUN_SIZE[32] : RUN_SIZE[32];
    const variants: Variant<RunState>[] = [];
    const ratios: RatioDefinition[] = [];
    for (const workload of ['generate', 'mix'] as const) {
      for (const which of ['after', 'before'] as const) {
        variants.push(
          httpVariant({
            id: `${workload}-${which}`,
            label: `${workload === 'generate' ? 'generation' : 'mix'}, ${which === 'after' ? 'this build' : 'the build before'}`,
            workload,
            connections: 32,
            requests,
            projections: false,
            main: which === 'before' ? before : undefined,
            tag: context.runId,
          }),
        );
      }
      ratios.push({
        id: `${workload}-after/before`,
        label: `${workload === 'generate' ? 'generation' : 'mix'}: this build / the build before (commands/s)`,
        numerator: `${workload}-after`,
        denominator: `${workload}-before`,
      });
      ratios.push({
        id: `${workload}-p99-after/before`,
        label: `${workload === 'generate' ? 'generation' : 'mix'}: this build / the build before (p99)`,
        numerator: `${workload}-after`,
        denominator: `${workload}-before`,
        metric: 'p99Ms',
      });
    }
    const result = await runComparison(roundsOf(context), {
      units: 1,
      throughputUnit: 'commands/s',
      variants,
      ratios,
      metrics: HTTP_METRICS,
    });
    return {
      parameters: {
        requests,
        connections: 32,
        projections: 'off',
        'build before': relative(process.cwd(), before),
      },
      ...result,
    };
  },
};

export const httpCommandScenarios: Scenario[] = [
  connectionScenario('generate'),
  connectionScenario('mix'),
  projectionsScenario,
  bulkScenario,
  beforeAfterScenario,
];
