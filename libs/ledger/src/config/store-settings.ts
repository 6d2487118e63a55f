import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SettingsOf } from '@wasteflow/config';
import type { EventStoreConfig } from '@wasteflow/event-store';

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

/** The settings (libs/config) the store is opened from: the same for the api, the projector and the CLI. */
export type StoreSettingsInput = Pick<
  SettingsOf<'cli'>,
  | 'store'
  | 'dataDir'
  | 'databaseUrl'
  | 'kurrentDbUrl'
  | 'eventStoreUrl'
  | 'pgSchemaPrefix'
  | 'idempotencyRetentionDays'
>;

/**
 * WASTEFLOW_STORE, WASTEFLOW_DATA_DIR (resolved here), DATABASE_URL, KURRENTDB_URL (or EVENTSTORE_URL),
 * WASTEFLOW_PG_SCHEMA_PREFIX, WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS, as readSettings parsed and checked them.
 */
export function storeSettingsOf(settings: StoreSettingsInput): StoreSettings {
  return {
    store: settings.store,
    dataDir: resolve(settings.dataDir),
    databaseUrl: settings.databaseUrl,
    eventStoreUrl: settings.kurrentDbUrl ?? settings.eventStoreUrl,
    postgresSchemaPrefix: settings.pgSchemaPrefix,
    idempotencyRetentionDays: settings.idempotencyRetentionDays,
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
