import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import type { RunnerLogger } from '../src/runner/projection-runner';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresCheck: { ok: boolean; reason?: string } | undefined;

/**
 * Whether the PostgreSQL server answers, decided synchronously (describe blocks are declared
 * synchronously) by a short child process.
 */
export function postgresReachable(): { ok: boolean; reason?: string } {
  if (postgresCheck) return postgresCheck;
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const { Client } = require('pg');
       const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
       c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0),
         (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`,
      POSTGRES_URL,
    ],
    { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 10_000 },
  );
  postgresCheck = probe.status === 0 ? { ok: true } : { ok: false, reason: probe.stderr || `exit ${probe.status}` };
  return postgresCheck;
}

/**
 * `describe` for PostgreSQL suites: skipped with one printed reason when the server is unreachable,
 * except under CI=true, where that is a failure.
 */
export function describePostgres(name: string, body: () => void): void {
  const reachable = postgresReachable();
  if (reachable.ok) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable (CI=true): ${reachable.reason}`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": PostgreSQL at ${POSTGRES_URL} is unreachable (${reachable.reason})`);
    describe.skip(name, body);
  }
}

/** A schema name unique to a test file and process: `<file>_<pid>`, cut to PostgreSQL's 63 bytes. */
export function schemaFor(file: string, suffix = ''): string {
  const stem = basename(file)
    .replace(/\.(int|unit)\.spec\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const tail = `_${process.pid}${suffix ? `_${suffix}` : ''}`;
  return `t_${stem}`.slice(0, 63 - tail.length) + tail;
}

export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A directory under os.tmpdir() for one test file, removed by `cleanup`. */
export function tempDirectory(file: string): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `wasteflow-${basename(file).replace(/\W+/g, '-')}-`));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger that keeps what it is told, for assertions, and prints nothing. */
export class RecordingLogger implements RunnerLogger {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];

  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  messages(level: 'log' | 'warn' | 'error'): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes. For cross-process conditions only. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise with its resolve function outside: to hold a projection mid-batch. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
