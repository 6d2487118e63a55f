import type { DataSource } from 'typeorm';
import type { ReadModelBackend } from './backend';
import { DEFAULT_LEASE_WORK_TIMEOUTS, PostgresReadModelBackend, type LeaseWorkTimeouts } from './postgres-backend';
import { SqliteReadModelBackend } from './sqlite-backend';

/**
 * The backend for an initialized read-model DataSource (see `openReadModelDatabase`); `timeouts` bound
 * PostgreSQL's lease work (LeaseWorkTimeouts), SQLite has none.
 */
export function createReadModelBackend(
  dataSource: DataSource,
  timeouts: Partial<LeaseWorkTimeouts> = {},
): ReadModelBackend {
  switch (dataSource.options.type) {
    case 'better-sqlite3':
      return SqliteReadModelBackend.fromDataSource(dataSource);
    case 'postgres':
      return PostgresReadModelBackend.fromDataSource(dataSource, { ...DEFAULT_LEASE_WORK_TIMEOUTS, ...timeouts });
    default:
      throw new Error(`Read models run on better-sqlite3 or postgres, not ${dataSource.options.type}`);
  }
}
