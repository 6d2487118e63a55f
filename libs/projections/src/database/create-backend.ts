import type { DataSource } from 'typeorm';
import type { ReadModelBackend } from './backend';
import { PostgresReadModelBackend } from './postgres-backend';
import { SqliteReadModelBackend } from './sqlite-backend';

/** The backend for an initialized read-model DataSource (see `openReadModelDatabase`). */
export function createReadModelBackend(dataSource: DataSource): ReadModelBackend {
  switch (dataSource.options.type) {
    case 'better-sqlite3':
      return SqliteReadModelBackend.fromDataSource(dataSource);
    case 'postgres':
      return PostgresReadModelBackend.fromDataSource(dataSource);
    default:
      throw new Error(`Read models run on better-sqlite3 or postgres, not ${dataSource.options.type}`);
  }
}
