import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore, type StreamWrite } from '@wasteflow/event-store';
import {
  dropSchemas,
  postgresAvailable,
  TEST_DATABASE_URL,
  uniqueSchemaPrefix,
} from '../../../../test/support/postgres';

/** The stores the ledger's int specs run on, each spec once per kind (`describe.each(STORE_KINDS)`). */
export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

/** An event store of one spec, with what removes it afterwards. */
export interface SpecStore {
  readonly store: EventStore;
  /** Closes the store and removes its file or schemas. */
  close(): Promise<void>;
}

/**
 * A fresh store of `kind` for the spec `testFile`: an SQLite file in a temporary folder, or a schema of
 * its own on the test PostgreSQL (named after the file, the process and `label`). `undefined` when
 * PostgreSQL is unreachable and the spec may skip (under CI=true `postgresAvailable` fails it instead).
 */
export async function openSpecStore(
  kind: StoreKind,
  testFile: string,
  label: string,
): Promise<SpecStore | undefined> {
  if (kind === 'postgres') {
    if (!(await postgresAvailable(`${testFile} (postgres)`))) return undefined;
    const prefix = `${uniqueSchemaPrefix(testFile)}_${label}`;
    const store = await createEventStore({
      kind: 'postgres',
      connectionString: TEST_DATABASE_URL,
      schema: `${prefix}_events`,
    });
    return {
      store,
      async close() {
        await store.close();
        await dropSchemas(prefix);
      },
    };
  }
  const directory = mkdtempSync(join(tmpdir(), `wasteflow-${label}-`));
  const store = await createEventStore({ kind: 'sqlite', file: join(directory, 'events.sqlite') });
  return {
    store,
    async close() {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * `store` whose appends fail with `message` when `fails` says so (nothing of such a commit is stored), as a
 * process dying before the commit, or a store failing in the middle of one, would leave it.
 */
export function failingAppends(
  store: EventStore,
  fails: (writes: readonly StreamWrite[]) => boolean,
  message: string,
): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStreams') {
        return async (writes: readonly StreamWrite[]) => {
          if (fails(writes)) throw new Error(message);
          return target.appendToStreams(writes);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
