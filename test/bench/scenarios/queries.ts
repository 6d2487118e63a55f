import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { isDeepStrictEqual } from 'node:util';
import { IndicatorsQuery, TraceQuery, type IndicatorsRequest } from '@wasteflow/projections';
import type { WasteCategory } from '@wasteflow/domain';
import { runComparison, type Variant } from '../harness/measure';
import { check, type BenchContext, type CheckResult, type Scenario, type ScenarioOutcome } from '../harness/scenario';
import { meets, percentile } from '../harness/stats';
import { HANGZHOU_DISTRICTS } from '../support/waste-history';
import { firstDifference } from '../support/validate';
import { projectedHistory, READ_SIDE_SIZES, type ProjectedHistory, type ReadStore } from '../support/read-side';

const DESIGN = 'DESIGN.md §6';
const TRACE_P99 = { op: '<=', value: 5, source: DESIGN } as const;
const INDICATORS_P99 = { op: '<=', value: 20, source: DESIGN } as const;
const ADMIN_TOKEN = 'bench-admin-token-for-the-read-side-benchmarks';
const CATEGORIES: readonly WasteCategory[] = ['hazardous', 'industrial', 'household', 'agricultural', 'construction'];

/**
 * The questions asked, the same for every variant: trace codes (the busiest batches of the history and an
 * even sample of all), and indicator requests over districts, Hangzhou and Zhejiang, every category and
 * none, periods of one month, a quarter, a year and the whole fourteen months.
 */
interface Questions {
  readonly traceCodes: readonly string[];
  readonly indicators: readonly IndicatorsRequest[];
}

async function questions(projected: ProjectedHistory, count: number): Promise<Questions> {
  const { dataSource, schema } = projected.readModel;
  const table = schema ? `${schema}.trace_batch` : 'trace_batch';
  const total = projected.history.dataset.facts.batches;
  const step = Math.max(1, Math.floor(total / count));
  const sampled = (await dataSource.query(
    `SELECT trace_code FROM (SELECT trace_code, ROW_NUMBER() OVER (ORDER BY trace_code) AS n FROM ${table}) x WHERE n % ${step} = 0 ORDER BY n`,
  )) as { trace_code: string }[];
  const busy = projected.history.dataset.facts.busyBatches.slice(0, Math.floor(count / 5));
  const traceCodes = interleave(busy, sampled.map((r) => r.trace_code)).slice(0, count);
  const regions = ['33', '3301', ...HANGZHOU_DISTRICTS];
  const periods: [string, string][] = [
    ['2025-06', '2025-06'],
    ['2025-04', '2025-06'],
    ['2025-01', '2025-12'],
    ['2025-01', '2026-02'],
    ['2025-11', '2026-01'],
  ];
  const indicators: IndicatorsRequest[] = [];
  for (let i = 0; indicators.length < count; i += 1) {
    const region = regions[i % regions.length];
    const category = i % 6 === 5 ? undefined : CATEGORIES[(i * 7) % CATEGORIES.length];
    const [from, to] = periods[(i * 3) % periods.length];
    indicators.push({ region, ...(category ? { category } : {}), from, to });
  }
  return { traceCodes, indicators };
}

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (i < b.length) out.push(b[i]);
    if (i < a.length) out.push(a[i]);
  }
  return out;
}

function indicatorsPath(r: IndicatorsRequest): string {
  const params = new URLSearchParams({ region: r.region, from: r.from, to: r.to });
  if (r.category) params.set('category', r.category);
  return `/v1/indicators?${params.toString()}`;
}

interface Latencies {
  readonly ms: number[];
}

/** One query at a time through the query service, in-process: the read model's own latency. */
function directVariant<Q>(
  id: string,
  label: string,
  items: () => readonly Q[],
  ask: (item: Q) => Promise<unknown>,
  validate: (item: Q, answer: unknown) => void,
): Variant<Latencies> {
  return {
    id,
    label,
    async prepare() {
      return { ms: [] };
    },
    async execute(state) {
      for (const item of items()) {
        const started = performance.now();
        const answer = await ask(item);
        state.ms.push(performance.now() - started);
        validate(item, answer);
      }
      return { p50Ms: percentile(state.ms, 50), p99Ms: percentile(state.ms, 99) };
    },
    async validate(state) {
      check(state.ms.length === items().length, () => `${id}: ${state.ms.length} answers`);
    },
    async dispose() {},
  };
}

/** The same questions over HTTP to the real api in its own process, sent by autocannon, one connection. */
function httpVariant(id: string, label: string, api: () => Api, paths: () => readonly string[]): Variant<{ sent: number }> {
  return {
    id,
    label,
    async prepare() {
      return { sent: 0 };
    },
    async execute(state) {
      const { url, token } = api();
      const list = paths();
      // autocannon's own histogram keeps whole milliseconds: the exact response times come from its events.
      const ms: number[] = [];
      const result = await new Promise<autocannon.Result>((done, fail) => {
        const instance = autocannon(
          {
            url,
            connections: 1,
            amount: list.length,
            headers: { authorization: `Bearer ${token}` },
            requests: list.map((path) => ({ method: 'GET', path })),
          },
          (error, finished) => (error ? fail(error) : done(finished)),
        );
        instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => ms.push(responseTime));
      });
      check(
        result.errors === 0 && result.timeouts === 0 && result.non2xx === 0 && result['2xx'] === list.length,
        () => `${id}: ${result['2xx']} of ${list.length} answered 200 (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`,
      );
      state.sent = result['2xx'];
      return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
    },
    async validate(state) {
      check(state.sent === paths().length, () => `${id}: ${state.sent} answers`);
    },
    async dispose() {},
  };
}

interface Api {
  readonly url: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * Starts the api (test/bench/support/api-child.ts) over the projected read model, projections off (the
 * read model is complete), and issues an auditor token. The read model is all these queries read: the
 * api's event store is one of its own, holding only the token (SQLite: the read model's data directory;
 * PostgreSQL: schema `<prefix>_events` beside the read model's `<prefix>_read`).
 */
async function startApi(context: BenchContext, kind: ReadStore, projected: ProjectedHistory): Promise<Api> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WASTEFLOW_STORE: kind,
    WASTEFLOW_ADMIN_TOKEN: ADMIN_TOKEN,
    WASTEFLOW_PROJECTIONS: 'off',
    NODE_ENV: 'production',
    // the load generator is one client with one token: no edge limits on it (README "Security")
    WASTEFLOW_RATE_LIMIT_TOKEN: '0',
    WASTEFLOW_RATE_LIMIT_ANONYMOUS: '0',
    WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT: '0',
  };
  let dataDir: string | undefined;
  if (kind === 'sqlite') {
    env.WASTEFLOW_DATA_DIR = projected.readModel.directory;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-bench-api-'));
    env.WASTEFLOW_DATA_DIR = dataDir;
    env.DATABASE_URL = context.postgresUrl;
    env.WASTEFLOW_PG_SCHEMA_PREFIX = projected.history.prefix;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', resolve(__dirname, '..', 'support', 'api-child.ts')],
    { env, cwd: resolve(__dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((done, fail) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`the api did not start in 90 s: ${output}`)), 90_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => fail(new Error(`the api exited (${code}): ${output}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const response = await fetch(`${url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': `bench-${context.runId}-auditor` },
      body: JSON.stringify({ kind: 'auditor' }),
    });
    const body = (await response.json()) as { token?: string };
    check(response.status === 201 && typeof body.token === 'string', () => `token: ${response.status} ${JSON.stringify(body)}`);
    return { url, token: body.token as string, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sums the indicator facts of a request straight in SQL (districts from the facts, never the rollup). */
async function sqlGenerated(projected: ProjectedHistory, r: IndicatorsRequest): Promise<bigint> {
  const { dataSource, schema } = projected.readModel;
  const pg = projected.history.kind === 'postgres';
  const table = schema ? `${schema}.indicator_fact` : 'indicator_fact';
  const params = [`${r.region}%`, r.from, r.to, ...(r.category ? [r.category] : [])];
  const p = (n: number) => (pg ? `$${n}` : '?');
  const rows = (await dataSource.query(
    `SELECT CAST(COALESCE(SUM(generated + corrected), 0) AS TEXT) AS g FROM ${table}
      WHERE district LIKE ${p(1)} AND generated_month >= ${p(2)} AND generated_month <= ${p(3)}${r.category ? ` AND category = ${p(4)}` : ''}`,
    params,
  )) as { g: string }[];
  return BigInt(rows[0].g);
}

async function queryScenario(context: BenchContext, kind: ReadStore, size?: number): Promise<ScenarioOutcome> {
  const events = size ?? (context.quick ? READ_SIDE_SIZES.small : READ_SIDE_SIZES.large);
  const projected = await projectedHistory(context, kind, events);
  const count = context.quick ? 300 : 1000;
  const asked = await questions(projected, count);
  const trace = new TraceQuery(projected.readModel.dataSource);
  const indicators = new IndicatorsQuery(projected.readModel.dataSource);
  const head = projected.history.dataset.head.toString();

  // The answers to compare with: every direct answer checked, a sample of the figures summed in SQL.
  const expected = new Map<string, unknown>();
  const indicatorRequests = new Map<string, IndicatorsRequest>();
  for (const [i, request] of asked.indicators.entries()) {
    if (i % 25 !== 0) continue;
    const answer = await indicators.indicators(request);
    const grams = await sqlGenerated(projected, request);
    check(
      BigInt(Math.round(answer.generatedKg * 1000)) === grams,
      () => `indicators ${JSON.stringify(request)}: generatedKg ${answer.generatedKg}, SQL sum of the facts ${grams} g`,
    );
    expected.set(indicatorsPath(request), answer);
    indicatorRequests.set(indicatorsPath(request), request);
  }
  for (const code of asked.traceCodes.slice(0, 40)) expected.set(`/v1/batches/${code}`, (await trace.find(code)).view);

  const api = await startApi(context, kind, projected);
  try {
    // The api answers as the services do (a sample compared whole, as JSON). A difference says where, and
    // whether the service itself now answers otherwise than before the api started (the read model changed
    // under the bench) or only the api does.
    for (const [path, answer] of expected) {
      const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
      const body: unknown = await response.json();
      const wanted: unknown = JSON.parse(JSON.stringify(answer));
      if (response.status === 200 && isDeepStrictEqual(body, wanted)) continue;
      const code = path.startsWith('/v1/batches/') ? path.slice('/v1/batches/'.length) : undefined;
      const again: unknown = JSON.parse(JSON.stringify(code ? (await trace.find(code)).view : await indicators.indicators(indicatorRequests.get(path) as IndicatorsRequest)));
      check(
        false,
        () =>
          `GET ${path}: ${response.status}, differs from the service's answer at ${firstDifference(body, wanted)} (HTTP ≠ service); ` +
          `the service asked again: ${firstDifference(again, wanted) ?? 'the same answer as before the api started'}`,
      );
    }
    const traceOk = (code: string, answer: unknown) => {
      const view = (answer as Awaited<ReturnType<TraceQuery['find']>>).view;
      check(
        view.traceCode === code && view.steps.length > 0 && view.position === head,
        () => `trace ${code}: ${JSON.stringify(view).slice(0, 200)}`,
      );
    };
    const indicatorsOk = (request: IndicatorsRequest, answer: unknown) => {
      const a = answer as Awaited<ReturnType<IndicatorsQuery['indicators']>>;
      check(
        a.region === request.region && a.position === head && Number.isFinite(a.generatedKg) && a.generatedKg >= 0,
        () => `indicators ${JSON.stringify(request)}: ${JSON.stringify(a).slice(0, 200)}`,
      );
    };
    const rounds = Math.min(context.rounds, context.quick ? 2 : 4);
    const result = await runComparison(
      { ...context, rounds },
      {
        units: count,
        throughputUnit: 'queries/s',
        metrics: {
          p50Ms: { unit: 'ms', better: 'lower' },
          p99Ms: { unit: 'ms', better: 'lower' },
        },
        variants: [
          directVariant('trace-direct', 'GET /v1/batches/{code} — TraceQuery.find, in-process', () => asked.traceCodes, (code) => trace.find(code), traceOk),
          directVariant(
            'indicators-direct',
            'GET /v1/indicators — IndicatorsQuery.indicators, in-process',
            () => asked.indicators,
            (request) => indicators.indicators(request),
            indicatorsOk,
          ),
          httpVariant('trace-http', 'GET /v1/batches/{code} over HTTP (api process, autocannon)', () => api, () =>
            asked.traceCodes.map((code) => `/v1/batches/${code}`),
          ),
          httpVariant('indicators-http', 'GET /v1/indicators over HTTP (api process, autocannon)', () => api, () =>
            asked.indicators.map(indicatorsPath),
          ),
        ],
        ratios: [
          {
            id: 'trace-http-vs-direct-p99',
            label: 'trace p99: HTTP / in-process',
            numerator: 'trace-http',
            denominator: 'trace-direct',
            metric: 'p99Ms',
          },
          {
            id: 'indicators-http-vs-direct-p99',
            label: 'indicators p99: HTTP / in-process',
            numerator: 'indicators-http',
            denominator: 'indicators-direct',
            metric: 'p99Ms',
          },
        ],
      },
    );
    const store = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const checks: CheckResult[] = [];
    for (const [variant, target, what] of [
      ['trace-direct', TRACE_P99, 'trace query p99, in-process'],
      ['trace-http', TRACE_P99, 'trace query p99, HTTP'],
      ['indicators-direct', INDICATORS_P99, 'indicator query p99, in-process'],
      ['indicators-http', INDICATORS_P99, 'indicator query p99, HTTP'],
    ] as const) {
      const p99 = result.variants.find((v) => v.id === variant)?.metrics.p99Ms;
      if (!p99) continue;
      checks.push({
        id: `${variant}-p99`,
        label: `${store} ${what} (${events / 1000} k events)`,
        variant,
        metric: 'p99Ms',
        value: p99.median,
        unit: 'ms',
        target,
        met: meets(p99.median, target),
      });
    }
    return {
      parameters: {
        'events projected': projected.history.dataset.facts.events,
        'trace codes': asked.traceCodes.length,
        'indicator requests': asked.indicators.length,
        'HTTP connections': 1,
      },
      variants: result.variants,
      ratios: result.ratios,
      checks,
      notes: [
        'In-process: the query services (`TraceQuery`, `IndicatorsQuery`) on the bench process’s own connection, one query at a time. ' +
          'HTTP: the real api (every module, Fastify) in a process of its own with projections off over the same read model, ' +
          'an auditor’s token, autocannon sending the same requests one at a time on one connection; latencies are autocannon’s.',
        'Indicator requests: Zhejiang (33), Hangzhou (3301) and its 13 districts × each category or none × one month, a quarter, ' +
          'a year, fourteen months. Trace codes: the 200 batches with the longest histories and an even sample of all batches.',
        'Validated: every in-process answer (its code or region, the head as position), generatedKg of every 25th indicator request ' +
          'equal to the SQL sum of the district facts, and a sample of the HTTP answers equal, as JSON, to the services’ answers; ' +
          'every HTTP answer 200.',
      ],
    };
  } finally {
    await api.stop();
  }
}

export const queryScenarios: readonly Scenario[] = [
  {
    name: 'queries-sqlite',
    group: 'Read-side queries',
    title: 'Trace and indicator queries at 1 M events, SQLite read models',
    description:
      'p50 and p99 of `GET /v1/batches/{code}` and `GET /v1/indicators` with a million events projected (100 k in quick mode), in-process through the query services and over HTTP through the api.',
    run: (context) => queryScenario(context, 'sqlite'),
  },
  {
    name: 'queries-postgres',
    group: 'Read-side queries',
    title: 'Trace and indicator queries at 1 M events, PostgreSQL read models',
    description: 'As above, with the event store and the read models in PostgreSQL.',
    requires: ['postgres'],
    run: (context) => queryScenario(context, 'postgres'),
  },
  {
    name: 'queries-sqlite-10m',
    group: 'Read-side queries',
    title: `Trace and indicator queries at ${READ_SIDE_SIZES.huge / 1_000_000} M events, SQLite read models`,
    description:
      'As `queries-sqlite` on the huge history of `rebuild-sqlite-10m` (run both in one `--only`, so the read model that rebuild kept is queried; alone it rebuilds first); run only when named.',
    explicit: true,
    run: (context) => queryScenario(context, 'sqlite', READ_SIDE_SIZES.huge),
  },
  {
    name: 'queries-postgres-10m',
    group: 'Read-side queries',
    title: `Trace and indicator queries at ${READ_SIDE_SIZES.huge / 1_000_000} M events, PostgreSQL read models`,
    description: 'As `queries-postgres` on the huge history of `rebuild-postgres-10m`; run only when named.',
    requires: ['postgres'],
    explicit: true,
    run: (context) => queryScenario(context, 'postgres', READ_SIDE_SIZES.huge),
  },
];
