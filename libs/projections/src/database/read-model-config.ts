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

/**
 * DESIGN.md §4 "Running it": with `WASTEFLOW_STORE` = postgres or eventstoredb the read models live in
 * `DATABASE_URL`; with the embedded default, in a SQLite file of their own beside the event log.
 */
export function readModelConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReadModelDatabaseConfig {
  const store = env.WASTEFLOW_STORE ?? 'sqlite';
  if (store === 'sqlite') {
    const dir = (env.WASTEFLOW_DATA_DIR ?? './data').replace(/\/+$/, '');
    return { kind: 'sqlite', file: `${dir}/${SQLITE_READ_MODEL_FILE}` };
  }
  if (!env.DATABASE_URL) throw new Error(`WASTEFLOW_STORE=${store} needs DATABASE_URL for the read models`);
  return { kind: 'postgres', url: env.DATABASE_URL, schema: DEFAULT_READ_MODEL_SCHEMA };
}

/** `WASTEFLOW_PROJECTIONS=off` means another process (apps/projector) runs the projections. */
export function projectionsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.WASTEFLOW_PROJECTIONS ?? 'on').trim().toLowerCase() !== 'off';
}
