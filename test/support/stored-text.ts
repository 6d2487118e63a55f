import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { bytesOf } from './fixtures';
import { readPdf } from './pdf-reading';
import { TEST_DATABASE_URL } from './postgres';
import type { TestApp, TestStore } from './test-app';

/** Every file below `directory`. */
export function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Where a person's name or phone could be stored in clear (ADR 14): every byte the app wrote — the files of
 * its data directory on SQLite, every row of the app's schemas on PostgreSQL (as text and as hex, for bytea).
 * Answers `place: needle` for each needle found.
 */
export async function storedTextContaining(
  t: TestApp,
  kind: TestStore,
  needles: string[],
): Promise<string[]> {
  const found: string[] = [];
  if (kind === 'sqlite') {
    for (const file of filesUnder(t.dataDir)) {
      const bytes = readFileSync(file);
      for (const needle of needles)
        if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${file}: ${needle}`);
    }
    return found;
  }
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema LIKE $1 AND table_type = 'BASE TABLE'`,
      [`${t.schemaPrefix}\\_%`],
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const { table_schema, table_name } of tables) {
      const { rows } = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM "${table_schema}"."${table_name}" t`,
      );
      for (const { row } of rows)
        for (const needle of needles) {
          const hex = Buffer.from(needle, 'utf8').toString('hex');
          if (row.includes(needle) || row.includes(hex))
            found.push(`${table_schema}.${table_name}: ${needle}`);
        }
    }
    return found;
  } finally {
    await client.end();
  }
}

/** The 联单 PDF's text as `token` reads it once the read models hold the head, white space removed. */
export async function manifestPdfText(
  t: TestApp,
  manifestNo: string,
  token: string | undefined,
): Promise<string> {
  const response = await t.http
    .get(`/v1/manifests/${manifestNo}.pdf?minPosition=${await t.headPosition()}`)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse(bytesOf);
  expect(response.status).toBe(200);
  return (await readPdf(response.body as Buffer)).pages.join('\n').replace(/\s+/g, '');
}
