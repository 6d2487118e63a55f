import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventStoreConfig } from '@wasteflow/event-store';

/** A setting of the environment that cannot work: the process refuses to start, saying which and why. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export type StoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/** Where the event log lives: the same environment variables for the api, the projector and the CLI. */
export interface StoreSettings {
  readonly store: StoreKind;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** KURRENTDB_URL (EVENTSTORE_URL, the name before the move to KurrentDB, still read). */
  readonly eventStoreUrl?: string;
  /** PostgreSQL schemas are `<prefix>_events` and `<prefix>_read`. */
  readonly postgresSchemaPrefix: string;
  /** WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS: how long an idempotency record (a write's first answer) is kept. */
  readonly idempotencyRetentionDays: number;
}

/**
 * WASTEFLOW_STORE (sqlite | postgres | kurrentdb; `eventstoredb`, its name before, is the same),
 * WASTEFLOW_DATA_DIR (default ./data), DATABASE_URL (postgres, and the read models of kurrentdb),
 * KURRENTDB_URL (or EVENTSTORE_URL), WASTEFLOW_PG_SCHEMA_PREFIX,
 * WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS (default 30).
 */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const named = env.WASTEFLOW_STORE ?? 'sqlite';
  const store = (named === 'eventstoredb' ? 'kurrentdb' : named) as StoreKind;
  if (!['sqlite', 'postgres', 'kurrentdb'].includes(store)) {
    throw new ConfigurationError(`WASTEFLOW_STORE must be sqlite, postgres or kurrentdb, not ${named}`);
  }
  const kurrentDbUrl = env.KURRENTDB_URL || env.EVENTSTORE_URL;
  if (store !== 'sqlite' && !env.DATABASE_URL) {
    throw new ConfigurationError(`WASTEFLOW_STORE=${store} needs DATABASE_URL (the read models live there)`);
  }
  if (store === 'kurrentdb' && !kurrentDbUrl) {
    throw new ConfigurationError(`WASTEFLOW_STORE=${named} needs KURRENTDB_URL`);
  }
  if (env.WASTEFLOW_PG_SCHEMA_PREFIX && !/^[a-z_][a-z0-9_]{0,40}$/.test(env.WASTEFLOW_PG_SCHEMA_PREFIX)) {
    throw new ConfigurationError('WASTEFLOW_PG_SCHEMA_PREFIX must be a lower-case SQL identifier');
  }
  const retention = env.WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS ?? '30';
  const idempotencyRetentionDays = Number(retention);
  if (!/^\d+(\.\d+)?$/.test(retention.trim()) || !(idempotencyRetentionDays > 0)) {
    throw new ConfigurationError(
      `WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS must be a positive number of days, not ${JSON.stringify(retention)}`,
    );
  }
  return {
    store,
    dataDir: resolve(env.WASTEFLOW_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL,
    eventStoreUrl: kurrentDbUrl,
    postgresSchemaPrefix: env.WASTEFLOW_PG_SCHEMA_PREFIX || 'wasteflow',
    idempotencyRetentionDays,
  };
}

/** The event store these settings name (the SQLite file is `<data dir>/events.sqlite`). */
export function eventStoreConfigFor(settings: StoreSettings): EventStoreConfig {
  const { idempotencyRetentionDays } = settings;
  switch (settings.store) {
    case 'sqlite':
      mkdirSync(settings.dataDir, { recursive: true });
      return { kind: 'sqlite', file: join(settings.dataDir, 'events.sqlite'), idempotencyRetentionDays };
    case 'postgres':
      return {
        kind: 'postgres',
        connectionString: settings.databaseUrl as string,
        schema: `${settings.postgresSchemaPrefix}_events`,
        idempotencyRetentionDays,
      };
    case 'kurrentdb':
      return {
        kind: 'kurrentdb',
        connectionString: settings.eventStoreUrl as string,
        idempotencyRetentionDays,
      };
  }
}
