import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';

export const POSTGRES_TEST_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test server answers, decided synchronously (a child process) because jest must know whether
 * to register or skip a describe block before any test runs.
 */
export function probePostgres(
  url: string = POSTGRES_TEST_URL,
): { reachable: true } | { reachable: false; reason: string } {
  const script = `
    const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('SELECT 1')).then(
      () => client.end().then(() => process.exit(0)),
      (error) => { process.stderr.write(String(error && error.message || error)); process.exit(1); },
    );`;
  const result = spawnSync(process.execPath, ['-e', script, url], {
    encoding: 'utf8',
    timeout: 10_000,
    cwd: process.cwd(),
  });
  if (result.status === 0) return { reachable: true };
  return {
    reachable: false,
    reason: (result.stderr || result.error?.message || `exit ${result.status}`).trim(),
  };
}

/**
 * A schema name unique to one test file in one process (and a counter for one test), so parallel runs and
 * parallel files never share tables.
 */
export function testSchemaName(testFile: string, counter?: number): string {
  const file = basename(testFile)
    .replace(/\.(int|unit)\.spec\.ts$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  return `t_${file}_${process.pid}${counter === undefined ? '' : `_${counter}`}`;
}
