import { assertIdentifier } from '../runner/table';

/** Where the read models live: the embedded SQLite file, or a schema of their own in PostgreSQL. */
export type ReadModelDatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Created when missing. Default `wasteflow_read`. */
      readonly schema?: string;
      /** Pooled connections. Default 10. */
      readonly poolSize?: number;
    };

export const DEFAULT_READ_MODEL_SCHEMA = 'wasteflow_read';
export const SQLITE_READ_MODEL_FILE = 'read-models.sqlite';

export function readModelSchema(config: ReadModelDatabaseConfig): string | undefined {
  if (config.kind !== 'postgres') return undefined;
  const schema = config.schema ?? DEFAULT_READ_MODEL_SCHEMA;
  assertIdentifier('schema', schema);
  return schema;
}

/** The part of the store settings (libs/ledger `StoreSettings`) that places the read models. */
export interface ReadModelPlacement {
  readonly store: 'sqlite' | 'postgres' | 'kurrentdb';
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** PostgreSQL schemas are `<prefix>_events` and `<prefix>_read`. */
  readonly postgresSchemaPrefix: string;
}

/**
 * Where the read models of a deployment live, one mapping for the api, apps/projector and the CLI (they
 * must agree, or a projector would fill tables the api never reads): `<data dir>/read-models.sqlite` with
 * the embedded store; schema `<prefix>_read` of DATABASE_URL with postgres or kurrentdb.
 */
export function readModelConfigFor(settings: ReadModelPlacement): ReadModelDatabaseConfig {
  if (settings.store === 'sqlite') {
    return { kind: 'sqlite', file: `${settings.dataDir.replace(/\/+$/, '')}/${SQLITE_READ_MODEL_FILE}` };
  }
  if (!settings.databaseUrl)
    throw new Error(`WASTEFLOW_STORE=${settings.store} needs DATABASE_URL for the read models`);
  return { kind: 'postgres', url: settings.databaseUrl, schema: `${settings.postgresSchemaPrefix}_read` };
}
