import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import { runCli } from '../cli';
import type { CliIo } from '../cli-context';

/** What one in-process `wasteflow …` run answered: its exit code, its stdout lines and its stderr. */
export interface CliRun {
  code: number;
  out: string[];
  /** stderr, its lines joined by newlines */
  err: string;
}

/**
 * The CLI in-process over a fresh SQLite data directory (made before all tests of the describe, removed after):
 * `cli.run('tokens', 'issue', …)` runs it with that directory as its store; `cli.withStore(fn)` opens the
 * directory's event store for `fn` and closes it after.
 */
export function useSqliteCli(prefix: string) {
  let dataDir = '';
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  return {
    run: async (...argv: string[]): Promise<CliRun> => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        env: { WASTEFLOW_STORE: 'sqlite', WASTEFLOW_DATA_DIR: dataDir },
        out: (text) => out.push(text),
        err: (text) => err.push(text),
      };
      const code = await runCli(argv, io);
      return { code, out, err: err.join('\n') };
    },
    withStore: async <T>(fn: (store: EventStore) => Promise<T>): Promise<T> => {
      const store = await createEventStore({ kind: 'sqlite', file: join(dataDir, 'events.sqlite') });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
  };
}
