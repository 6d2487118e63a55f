import { Pool } from 'pg';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../postgres/postgres-event-store';
import type { EventStoreFixture } from './event-store.contract';
import { POSTGRES_TEST_URL, testSchemaName } from './postgres-test-server';
import { reopenableFixture } from './reopenable-fixture';

export interface PostgresStoreFixtures {
  /** A store on a fresh schema of its own (dropped by its cleanup): isolation without truncating anything shared. */
  fixture(
    options?: Partial<PostgresEventStoreOptions>,
  ): Promise<EventStoreFixture & { store: PostgresEventStore }>;
  /** Drops the schemas of tests that died before their cleanup, and closes the admin pool (afterAll). */
  dropAll(): Promise<void>;
}

/** PostgreSQL event stores for the tests of one file, on schemas named after it. */
export function postgresStoreFixtures(
  testFile: string,
  probe: { readonly reachable: boolean; readonly reason?: string },
): PostgresStoreFixtures {
  const admin = new Pool({ connectionString: POSTGRES_TEST_URL, max: 2 });
  const schemaPrefix = testSchemaName(testFile);
  let schemaCounter = 0;
  const dropSchema = async (schema: string): Promise<void> => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  };

  return {
    async fixture(options = {}) {
      if (!probe.reachable)
        throw new Error(`PostgreSQL unreachable at ${POSTGRES_TEST_URL}: ${probe.reason}`);
      schemaCounter += 1;
      const schema = `${schemaPrefix}_${schemaCounter}`;
      await dropSchema(schema);
      const open = (): PostgresEventStore =>
        new PostgresEventStore({
          connectionString: POSTGRES_TEST_URL,
          schema,
          pollIntervalMs: 50,
          poolSize: 12,
          ...options,
        });
      const fixture = reopenableFixture(open, () => dropSchema(schema));
      await fixture.store.ensureSchema();
      return fixture;
    },
    async dropAll() {
      if (probe.reachable) {
        const { rows } = await admin.query<{ nspname: string }>(
          `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`,
          [`${schemaPrefix}\\_%`],
        );
        for (const row of rows) await dropSchema(row.nspname);
      }
      await admin.end();
    },
  };
}
