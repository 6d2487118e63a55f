import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the PostgreSQL suites can run. Under CI=true an unreachable server fails the suite (the
 * returned promise rejects); elsewhere the caller skips and this prints the one-line reason.
 */
export async function postgresAvailable(suite: string): Promise<boolean> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    const reason = `PostgreSQL at ${redact(TEST_DATABASE_URL)} is unreachable (${(error as Error).message})`;
    if (process.env.CI === 'true') {
      throw new Error(`${suite}: ${reason}; CI=true, so this fails instead of skipping`, { cause: error });
    }
    console.warn(`${suite}: not run: ${reason}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema-name prefix unique to this test file and process, so parallel suites never collide. */
export function uniqueSchemaPrefix(file: string): string {
  const base = file
    .replace(/^.*\//, '')
    .replace(/\..*$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()
    .slice(0, 24);
  return `t_${base}_${process.pid}`;
}

export async function dropSchemas(prefix: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname like $1`,
      [`${prefix}\\_%`],
    );
    for (const { nspname } of rows) {
      await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
