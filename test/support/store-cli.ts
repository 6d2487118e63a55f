import { runCli } from '../../apps/cli/src/cli';
import type { CliIo } from '../../apps/cli/src/cli-context';
import { TEST_DATABASE_URL } from './postgres';
import type { TestApp, TestStore } from './test-app';

/** The environment that points the CLI or apps/projector at a test app's store (its SQLite directory or PostgreSQL schemas). */
export function storeEnv(kind: TestStore, t: TestApp): Record<string, string> {
  return kind === 'sqlite'
    ? { WASTEFLOW_STORE: 'sqlite', WASTEFLOW_DATA_DIR: t.dataDir }
    : {
        WASTEFLOW_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        WASTEFLOW_PG_SCHEMA_PREFIX: t.schemaPrefix,
      };
}

/** Runs `wasteflow <argv>` (apps/cli) on a test app's store: its exit code and what it wrote, line by line joined. */
export async function cliOn(
  kind: TestStore,
  t: TestApp,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: storeEnv(kind, t), out: (text) => out.push(text), err: (text) => err.push(text) };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
