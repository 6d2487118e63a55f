import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

/**
 * The real api for the HTTP benchmarks: the built app (`dist/apps/api/src/main.js`, what `npm start` runs)
 * in a child process of its own, on a fresh temporary data directory (embedded SQLite store, projections
 * in-process unless told otherwise), so that the load generator in the bench process never shares the
 * app's event loop.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
export const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

let built = false;

/**
 * Builds the api once per bench process (`nest build api`, incremental: a few seconds when nothing
 * changed), so a run never measures stale code. `WASTEFLOW_BENCH_SKIP_BUILD=1` uses dist/ as it is.
 */
export function buildApi(log: (message: string) => void): void {
  if (built) return;
  if (process.env.WASTEFLOW_BENCH_SKIP_BUILD === '1' && existsSync(API_MAIN)) {
    log('    using dist/ as built (WASTEFLOW_BENCH_SKIP_BUILD=1)');
  } else {
    const started = Date.now();
    const result = spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`nest build api failed:\n${result.stdout}\n${result.stderr}`);
    }
    log(`    built the api in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  built = true;
}

export interface ApiOptions {
  /** WASTEFLOW_PROJECTIONS: the projection runner in the api process (default on, as deployed). */
  readonly projections?: boolean;
  /** Extra node flags (e.g. `--cpu-prof`), for profiling. */
  readonly nodeArgs?: readonly string[];
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Another build of the api's main.js (a before/after comparison), or a TypeScript server of the benches
   * (`.ts`, run through @swc-node/register: the limit and the peer); default dist/apps/api/src/main.js.
   */
  readonly main?: string;
}

/**
 * CPU sets for the HTTP benchmarks (`taskset`): `WASTEFLOW_BENCH_APP_CPUS` for the server under test (its
 * child process and all its threads), `WASTEFLOW_BENCH_LOAD_CPUS` for the bench process, where autocannon
 * runs. Unset (the default): no pinning, the scheduler shares both cores among everything.
 */
export function cpuPinning(): { app?: string; load?: string } {
  const valid = (value: string | undefined): string | undefined => {
    if (!value) return undefined;
    if (!/^[0-9,-]+$/.test(value)) throw new Error(`CPU list must look like 0 or 0,1 or 0-1, not ${value}`);
    return value;
  };
  return { app: valid(process.env.WASTEFLOW_BENCH_APP_CPUS), load: valid(process.env.WASTEFLOW_BENCH_LOAD_CPUS) };
}

let loadPinned = false;

/** Pins the bench process (the load generator) to `WASTEFLOW_BENCH_LOAD_CPUS`, once; children started before keep their set. */
export function pinLoadGenerator(log: (message: string) => void): void {
  const { load } = cpuPinning();
  if (!load || loadPinned) return;
  const result = spawnSync('taskset', ['-a', '-p', '-c', load, String(process.pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset of the bench process failed: ${result.stderr}`);
  loadPinned = true;
  log(`    load generator (this process) pinned to CPU ${load}`);
}

/** The command line of a server child: node (pinned to `WASTEFLOW_BENCH_APP_CPUS` if set), flags, script. */
export function serverCommand(script: string, nodeArgs: readonly string[] = []): { command: string; args: string[] } {
  const node = [...nodeArgs, ...(script.endsWith('.ts') ? ['-r', '@swc-node/register'] : []), script];
  // Children inherit the bench process's CPU set: without a set of their own they get every CPU back.
  const set = cpuPinning().app ?? (cpuPinning().load ? allCpus() : undefined);
  return set
    ? { command: 'taskset', args: ['-c', set, process.execPath, ...node] }
    : { command: process.execPath, args: node };
}

function allCpus(): string {
  return `0-${Math.max(0, cpus().length - 1)}`;
}

export interface ApiProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly adminToken: string;
  /** The event store's file (read with a connection of our own to validate a run). */
  readonly eventsFile: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** How long a start may take before /health answers, and how often a seeding POST without an answer is sent. */
const START_TIMEOUT_MS = 180_000;
const SEND_ATTEMPTS = 3;

/** Starts the built api on a free port and a fresh data directory; resolves when /health answers. */
export async function startApi(options: ApiOptions = {}): Promise<ApiProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-bench-api-'));
  const port = await freePort();
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  let output = '';
  const { command, args } = serverCommand(options.main ?? API_MAIN, options.nodeArgs);
  const child: ChildProcess = spawn(command, args, {
    cwd: options.main?.endsWith('.ts') ? ROOT : dataDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WASTEFLOW_STORE: 'sqlite',
      WASTEFLOW_DATA_DIR: dataDir,
      WASTEFLOW_ADMIN_TOKEN: adminToken,
      WASTEFLOW_PROJECTIONS: options.projections === false ? 'off' : 'on',
      // the load generator is one client with one token: no edge limits on it (README "Security")
      WASTEFLOW_RATE_LIMIT_TOKEN: '0',
      WASTEFLOW_RATE_LIMIT_ANONYMOUS: '0',
      WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output = `${output}${chunk.toString('utf8')}`.slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // generous: on the starved shared machine (load average 20+) a start has taken over a minute
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!running) {
      await stop();
      throw new Error(`the api exited before answering:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the api did not answer /health within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(50);
  }
  return {
    url,
    port,
    pid: child.pid ?? 0,
    dataDir,
    adminToken,
    eventsFile: join(dataDir, 'events.sqlite'),
    output: () => output,
    stop,
  };
}

export interface ApiResponse {
  readonly status: number;
  // Bodies are the api's JSON answers; callers pick what they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** One POST with a bearer token and (unless null) an Idempotency-Key (sent again when no answer came). */
export async function post(
  api: ApiProcess,
  path: string,
  token: string,
  body: unknown,
  idempotencyKey: string | null,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  const init = { method: 'POST', headers, body: JSON.stringify(body) };
  let response: Response;
  for (let attempt = 1; ; attempt++) {
    try {
      response = await fetch(`${api.url}${path}`, init);
      break;
    } catch (error) {
      // No answer at all (a kept-alive connection the server closed as it was reused, seen on the starved
      // machine): a request under an Idempotency-Key is safe to send again, the ledger answers it once.
      if (idempotencyKey === null || attempt >= SEND_ATTEMPTS) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new Error(`POST ${path} failed after ${attempt} attempt(s)${cause}`, { cause: error });
      }
      await sleep(100 * attempt);
    }
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Like `post`, and fails with the answer unless its status is `status` (201 by default). */
export async function postExpecting(
  api: ApiProcess,
  path: string,
  token: string,
  body: unknown,
  idempotencyKey: string | null,
  status = 201,
): Promise<ApiResponse> {
  const response = await post(api, path, token, body, idempotencyKey);
  if (response.status !== status) {
    throw new Error(
      `POST ${path}: expected ${status}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  }
  return response;
}

/**
 * Waits until the in-process projections have caught up with the log (GET /health: `eventsBehind` 0), so
 * that one run's projection backlog is not worked off during another's measurement.
 */
export async function waitForProjections(api: ApiProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${api.url}/health`)).json()) as {
      projections?: { state?: string; eventsBehind?: number };
    };
    const projections = health.projections;
    if (!projections || projections.state !== 'running' || projections.eventsBehind === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`projections still ${projections.eventsBehind} events behind after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

export interface StoredCounts {
  /** Rows of the event log by event type (idempotency records included). */
  readonly byType: ReadonlyMap<string, number>;
  readonly total: number;
}

/** Counts what the store holds, through a read-only connection of our own to its file. */
export function countStored(api: ApiProcess): StoredCounts {
  const db = new Database(api.eventsFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[], { type: string; n: number }>('SELECT type, count(*) AS n FROM event_log GROUP BY type')
      .all();
    const byType = new Map(rows.map((row) => [row.type, Number(row.n)]));
    return { byType, total: [...byType.values()].reduce((a, b) => a + b, 0) };
  } finally {
    db.close();
  }
}
