import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { runComparison, type RatioDefinition, type Variant } from '../harness/measure';
import {
  type BenchContext,
  type CheckResult,
  type MetricResult,
  type Scenario,
  type ScenarioOutcome,
  type Target,
  type VariantResult,
} from '../harness/scenario';
import { meets } from '../harness/stats';
import { buildApi, cpuPinning, pinLoadGenerator } from '../support/api-process';
import { BULK_ITEMS, HTTP_METRICS, httpVariant, roundsOf, type RunState } from './http-variant';

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
/** The limit's goals (issue 17 item 1): ours ≥ 0.5 × its commands/s, p99 ≤ 2 × its p99, at 32 connections. */
const ISSUE_17 = 'issue 17';
const HALF_THE_LIMIT: Target = { op: '>=', value: 0.5, source: ISSUE_17 };
const TWICE_ITS_P99: Target = { op: '<=', value: 2, source: ISSUE_17 };

/** Another build of the api to compare with (`WASTEFLOW_BENCH_API_BEFORE=<path of its main.js>`). */
function beforeBuild(): string | undefined {
  const path = process.env.WASTEFLOW_BENCH_API_BEFORE;
  if (!path) return undefined;
  const main = resolve(path);
  if (!existsSync(main)) throw new Error(`WASTEFLOW_BENCH_API_BEFORE: no file ${main}`);
  return main;
}

/** Runs the HTTP variants in the rounds of an HTTP bench, one request counted as one unit. */
function compareHttp(
  context: BenchContext,
  variants: Variant<RunState>[],
  ratios: RatioDefinition[],
  throughputUnit = 'commands/s',
) {
  return runComparison(roundsOf(context), { units: 1, throughputUnit, variants, ratios, metrics: HTTP_METRICS });
}

/** `numerator / denominator` in commands/s and in p99 latency, the label saying which. */
function commandsAndP99(ratio: {
  id: string;
  p99Id: string;
  label: string;
  numerator: string;
  denominator: string;
  target?: Target;
  p99Target?: Target;
}): RatioDefinition[] {
  const { numerator, denominator } = ratio;
  return [
    { id: ratio.id, label: `${ratio.label} (commands/s)`, numerator, denominator, target: ratio.target },
    { id: ratio.p99Id, label: `${ratio.label} (p99)`, numerator, denominator, metric: 'p99Ms', target: ratio.p99Target },
  ];
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
      pinLoadGenerator(context.log);
      const sizes = context.quick ? QUICK_RUN_SIZE : RUN_SIZE;
      const variants: Variant<RunState>[] = [];
      const ratios: RatioDefinition[] = [];
      for (const [connections, requests] of Object.entries(sizes)) {
        const label = `${connections} connection${connections === '1' ? '' : 's'}`;
        variants.push(
          httpVariant({
            id: `c${connections}`,
            label,
            workload,
            connections: Number(connections),
            requests,
            projections: true,
            tag: context.runId,
          }),
        );
        if (workload !== 'generate') continue;
        // The stack's own limit beside it, in the same rounds (issue 17 item 1).
        variants.push(
          httpVariant({
            id: `limit-c${connections}`,
            label: `${label}, the limit (bare Fastify + SqliteEventStore)`,
            workload,
            connections: Number(connections),
            requests,
            projections: false,
            server: 'limit',
            tag: context.runId,
          }),
        );
        const at32 = connections === '32';
        ratios.push(
          ...commandsAndP99({
            id: `c${connections}/limit`,
            p99Id: `c${connections}/limit-p99`,
            label: `ours / the limit, ${label}`,
            numerator: `c${connections}`,
            denominator: `limit-c${connections}`,
            target: at32 ? HALF_THE_LIMIT : undefined,
            p99Target: at32 ? TWICE_ITS_P99 : undefined,
          }),
        );
      }
      const result = await compareHttp(context, variants, ratios);
      const pinning = cpuPinning();
      return {
        parameters: {
          'requests per run': Object.entries(sizes)
            .map(([connections, requests]) => `${requests} at ${connections}`)
            .join(', '),
          store: 'sqlite, synchronous=FULL',
          projections: 'in-process',
          'CPU sets (taskset)': `server ${pinning.app ?? 'all'}, load generator ${pinning.load ?? 'all'}`,
        },
        ...result,
        checks: checksAt32(result.variants, what),
        notes: [
          'The machine’s two cores are shared by the app (its event loop, V8’s threads), autocannon, and ' +
            'whatever else runs: absolute figures are depressed and move with the load; the ratios to the ' +
            'limit are taken inside each round.',
          ...(workload === 'generate'
            ? [
                'The limit (`limit-c*`, test/bench/support/limit-server.ts) is the least a durable write over ' +
                  'HTTP costs here: a bare Fastify route parsing the same body, validating it with a compiled ' +
                  'JSON schema and appending one WasteGenerated to a new stream through the project’s ' +
                  'SqliteEventStore (WAL, synchronous=FULL, group commit), then 201. Ours does more per command: ' +
                  'bearer-token authorisation and the party’s state, the idempotency record (committed with the ' +
                  'event), class-validator DTOs and value objects, the domain decision, the per-stream hash ' +
                  'chain, the problem-document error filter, metrics, and the projections in-process.',
              ]
            : []),
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
    const result = await compareHttp(context, variants, [
      { id: 'on/off', label: 'projections on / off (commands/s)', numerator: 'on', denominator: 'off' },
    ]);
    return {
      parameters: { requests, connections: 32, store: 'sqlite, synchronous=FULL' },
      ...result,
    };
  },
};

const bulkScenario: Scenario = {
  name: 'http-commands-bulk',
  group: 'HTTP commands',
  title: 'Bulk ingestion: POST /v1/commands, 1,000 generations per request, against the append limit',
  description:
    'Requests of 1,000 generate-waste items each (every item 201: WasteGenerated, its idempotency ' +
    'record beside the log), one connection and four; the rate is in items (= WasteGenerated events) per second. ' +
    'Projections in-process; their catch-up after the run is reported, untimed. Beside it, in the same ' +
    'rounds, the append limit over HTTP (`limit-c*`: the bare Fastify server of `http-commands-generate`, ' +
    'the same body validated item by item with a compiled JSON schema, the 1,000 events appended in one ' +
    'commit of the project’s SqliteEventStore).',
  async run(context) {
    buildApi(context.log);
    pinLoadGenerator(context.log);
    const requests = context.quick ? 2 : 8;
    const variants: Variant<RunState>[] = [];
    const ratios: RatioDefinition[] = [];
    for (const connections of [1, 4]) {
      const label = `${connections} connection${connections === 1 ? '' : 's'}`;
      for (const server of ['ours', 'limit'] as const) {
        variants.push(
          httpVariant({
            id: server === 'ours' ? `c${connections}` : `limit-c${connections}`,
            label: server === 'ours' ? label : `${label}, the append limit`,
            workload: 'bulk',
            connections,
            requests: Math.max(requests, connections),
            projections: server === 'ours',
            server,
            tag: context.runId,
          }),
        );
      }
      ratios.push({
        id: `c${connections}/limit`,
        label: `ours / the append limit, ${label} (events/s)`,
        numerator: `c${connections}`,
        denominator: `limit-c${connections}`,
      });
    }
    const result = await compareHttp(context, variants, ratios, 'events/s');
    return {
      parameters: { 'requests per run': requests, 'items per request': BULK_ITEMS, store: 'sqlite, synchronous=FULL' },
      ...result,
    };
  },
};

/** Ours ≥ 2 × Emmett's web API at 32 connections, with a lower p99 (issue 17 item 2). */
const TWICE_EMMETT: Target = { op: '>=', value: 2, source: ISSUE_17 };
const BELOW_EMMETT_P99: Target = { op: '<=', value: 1, source: ISSUE_17 };

const postgresScenario: Scenario = {
  name: 'http-commands-postgres',
  group: 'HTTP commands',
  title: 'Generation on PostgreSQL: ours against Emmett’s Express web API, 1 and 32 connections',
  requires: ['postgres'],
  description:
    'The same generation requests to the built api on the PostgreSQL store (WASTEFLOW_STORE=postgres, a ' +
    'fresh schema prefix per run, projections off: the command path alone) and to Emmett’s Express web ' +
    'API (`@event-driven-io/emmett-expressjs` over `@event-driven-io/emmett-postgresql`, ' +
    'test/bench/support/emmett-server.ts: body checked with Emmett’s assertions, CommandHandler reading and ' +
    'folding the stream, a pure decide, the append with an expected version — a new stream —, 201 with a ' +
    'Location; its tables in a fresh database per run: Emmett’s migration finds its functions by name in any schema of the database), both in child processes, same server, same load ' +
    'generator, interleaved in the same rounds. Each run is validated by counting the events of every ' +
    'type in the store.',
  async run(context) {
    buildApi(context.log);
    pinLoadGenerator(context.log);
    const sizes = context.quick ? QUICK_RUN_SIZE : { 1: RUN_SIZE[1], 32: RUN_SIZE[32] };
    const variants: Variant<RunState>[] = [];
    const ratios: RatioDefinition[] = [];
    for (const [connections, requests] of Object.entries(sizes)) {
      const label = `${connections} connection${connections === '1' ? '' : 's'}`;
      for (const server of ['ours-postgres', 'emmett'] as const) {
        variants.push(
          httpVariant({
            id: `${server === 'emmett' ? 'emmett' : 'ours'}-c${connections}`,
            label: `${server === 'emmett' ? 'Emmett’s web API' : 'ours, PostgreSQL store'}, ${label}`,
            workload: 'generate',
            connections: Number(connections),
            requests,
            projections: false,
            server,
            tag: context.runId,
          }),
        );
      }
      const at32 = connections === '32';
      ratios.push(
        ...commandsAndP99({
          id: `c${connections}/emmett`,
          p99Id: `c${connections}/emmett-p99`,
          label: `ours / Emmett’s web API, ${label}`,
          numerator: `ours-c${connections}`,
          denominator: `emmett-c${connections}`,
          target: at32 ? TWICE_EMMETT : undefined,
          p99Target: at32 ? BELOW_EMMETT_P99 : undefined,
        }),
      );
    }
    const result = await compareHttp(context, variants, ratios);
    return {
      parameters: {
        'requests per run': Object.entries(sizes)
          .map(([connections, requests]) => `${requests} at ${connections}`)
          .join(', '),
        store: 'postgres (both)',
        projections: 'off (ours)',
      },
      ...result,
      notes: [
        'Ours does more per command than the peer: bearer-token authorisation against the party’s folded ' +
          'state (a read of the party stream), the idempotency record committed with the event (and refused ' +
          'duplicates), class-validator DTOs and value objects, the per-stream hash chain (canonical JSON + ' +
          'SHA-256), the problem-document filter and the metrics hook; Emmett’s route checks the body ' +
          'and appends one event.',
      ],
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
      ratios.push(
        ...commandsAndP99({
          id: `${workload}-after/before`,
          p99Id: `${workload}-p99-after/before`,
          label: `${workload === 'generate' ? 'generation' : 'mix'}: this build / the build before`,
          numerator: `${workload}-after`,
          denominator: `${workload}-before`,
        }),
      );
    }
    const result = await compareHttp(context, variants, ratios);
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
  postgresScenario,
  beforeAfterScenario,
];
