import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runComparison, type Variant } from '../harness/measure';
import { check, type Scenario, type ScenarioOutcome } from '../harness/scenario';
import { buildApi, startApi, waitForProjections, type ApiProcess } from '../support/api-process';
import { bulkRequests, seedWorld, type World } from '../support/waste-world';
import type { RequestSpec } from '../support/load';

/**
 * Issue 10 row 1 (bulk half): how long one `POST /v1/commands` of 1,000 valid generations holds the api's
 * event loop, and what another request (/health, every 20 ms) waits meanwhile. The api in a child process
 * as deployed; the stall is the api's own `nodejs_eventloop_lag_max_seconds` (prom-client over
 * monitorEventLoopDelay, reset at every scrape): scraped right before and right after each bulk request.
 * With `WASTEFLOW_BENCH_API_BEFORE=<main.js of another build>` the same against that build.
 */

const ITEMS = 1000;
const LAG_MAX = /^wasteflow_nodejs_eventloop_lag_max_seconds\s+([0-9.eE+-]+)$/m;

interface BulkState {
  readonly api: ApiProcess;
  readonly world: World;
  readonly specs: readonly RequestSpec[];
  readonly stalls: number[];
  readonly healthMaxMs: number[];
  readonly seconds: number[];
  created: number;
}

async function lagMaxMs(api: ApiProcess): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`, { headers: { Authorization: `Bearer ${api.adminToken}` } })).text();
  const match = LAG_MAX.exec(text);
  check(match !== null, () => `no event-loop lag in /metrics of ${api.url}`);
  return Number(match[1]) * 1000;
}

/** One bulk request with /health asked every 20 ms meanwhile: its stall, the slowest /health, its time. */
async function oneBulk(state: BulkState, spec: RequestSpec): Promise<void> {
  const { api } = state;
  await lagMaxMs(api); // resets the api's histogram
  let done = false;
  let slowest = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(`${api.url}/health`)).arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      await sleep(20);
    }
  })();
  const started = performance.now();
  const response = await fetch(`${api.url}${spec.path}`, { method: 'POST', headers: spec.headers, body: spec.body });
  const body = (await response.json()) as { results?: { status: number }[] };
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await probing;
  check(response.status === 200, () => `bulk answered ${response.status}`);
  state.created += (body.results ?? []).filter((item) => item.status === 201).length;
  state.stalls.push(await lagMaxMs(api));
  state.healthMaxMs.push(slowest);
  state.seconds.push(seconds);
}

function bulkVariant(id: string, label: string, tag: string, requests: number, main?: string): Variant<BulkState> {
  return {
    id,
    label,
    async prepare() {
      const api = await startApi({ projections: true, main });
      try {
        const world = await seedWorld(api, `${tag}-${id}`);
        const warm = bulkRequests(world, `${tag}-${id}-warm`, 1, ITEMS);
        const specs = bulkRequests(world, `${tag}-${id}-run`, requests, ITEMS);
        const state: BulkState = { api, world, specs, stalls: [], healthMaxMs: [], seconds: [], created: 0 };
        await oneBulk(state, warm[0]);
        await waitForProjections(api);
        return { ...state, stalls: [], healthMaxMs: [], seconds: [], created: 0 };
      } catch (error) {
        await api.stop();
        throw error;
      }
    },
    async execute(state) {
      for (const spec of state.specs) {
        await oneBulk(state, spec);
        await waitForProjections(state.api);
      }
      return {
        throughput: state.created / state.seconds.reduce((sum, s) => sum + s, 0),
        stallMs: Math.max(...state.stalls),
        healthMaxMs: Math.max(...state.healthMaxMs),
        requestSeconds: Math.max(...state.seconds),
      };
    },
    async validate(state) {
      check(state.created === state.specs.length * ITEMS, () => `${id}: ${state.created} items created`);
    },
    async dispose(state) {
      await state.api.stop();
    },
  };
}

export const bulkEventLoopScenario: Scenario = {
  name: 'http-bulk-event-loop',
  group: 'HTTP commands',
  title: 'Bulk of 1,000 items: the longest event-loop stall and /health meanwhile',
  description:
    'One POST /v1/commands of 1,000 generate-waste items at a time (SQLite, synchronous=FULL, projections ' +
    'in-process), /health asked every 20 ms meanwhile. `stallMs` is the api\u2019s longest event-loop delay during ' +
    'the request (prom-client\u2019s monitorEventLoopDelay, 10 ms resolution), `healthMaxMs` the slowest /health.',
  async run(context): Promise<ScenarioOutcome> {
    buildApi(context.log);
    const requests = context.quick ? 2 : 4;
    const beforeMain = process.env.WASTEFLOW_BENCH_API_BEFORE;
    const before = beforeMain && existsSync(resolve(beforeMain)) ? resolve(beforeMain) : undefined;
    const variants = [bulkVariant('after', 'this build', context.runId, requests)];
    if (before) variants.push(bulkVariant('before', 'the build before', context.runId, requests, before));
    const result = await runComparison(
      { ...context, rounds: context.quick ? 1 : Math.min(context.rounds, 3), warmupRounds: 0 },
      {
        units: 1,
        slices: 1,
        throughputUnit: 'items/s',
        variants,
        ratios: before
          ? [{ id: 'stall', label: 'longest stall: this build / before', numerator: 'after', denominator: 'before', metric: 'stallMs' }]
          : [],
        metrics: {
          stallMs: { unit: 'ms', better: 'lower' },
          healthMaxMs: { unit: 'ms', better: 'lower' },
          requestSeconds: { unit: 's', better: 'lower' },
        },
      },
    );
    return {
      parameters: {
        'items per request': ITEMS,
        'requests per run': requests,
        'build before': before ?? 'not given (WASTEFLOW_BENCH_API_BEFORE)',
      },
      ...result,
      notes: [
        'The stall includes the edge (body parsing, the per-item validation of SubmitCommandsController) and ' +
          'the write path (WriteGroup, which lets the loop in every 10 ms); docs/performance.md splits them.',
      ],
    };
  },
};
