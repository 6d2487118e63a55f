import { DataSource, type DataSourceOptions } from 'typeorm';
import { preparePrivateFile } from '@wasteflow/event-store';
import { ProjectionInfrastructure1764400000000 } from './infrastructure.migration';
import { ProjectionProgress1764400000050 } from './progress.migration';
import { quoteIdentifier, type MigrationClass } from './migration-helpers';
import { readModelSchema, type ReadModelDatabaseConfig } from './read-model-config';

export interface ReadModelDataSourceExtras {
  /** Projection migrations, after the infrastructure one (TypeORM orders them by their timestamp). */
  readonly migrations?: readonly MigrationClass[];
  /** Entities for query services that prefer repositories; the runner itself needs none. */
  readonly entities?: DataSourceOptions['entities'];
  readonly logging?: boolean;
}

export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

/** Every migration of the read-model database: the runner's tables first, then the projections'. */
export function readModelMigrations(projectionMigrations: readonly MigrationClass[] = []): MigrationClass[] {
  const all = [ProjectionInfrastructure1764400000000, ProjectionProgress1764400000050, ...projectionMigrations];
  return [...new Set(all)];
}

/**
 * TypeORM options for the read-model database. Never `synchronize`: the schema comes from migrations only,
 * so what runs in production is what was reviewed.
 */
export function readModelDataSourceOptions(
  config: ReadModelDatabaseConfig,
  extras: ReadModelDataSourceExtras = {},
): DataSourceOptions {
  const common = {
    migrations: readModelMigrations(extras.migrations),
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    entities: extras.entities ?? [],
    logging: extras.logging ?? false,
  } as const;
  if (config.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.file,
      enableWAL: true,
      // The runner's batches are single synchronous transactions; a writer in another process is waited for.
      timeout: 5000,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        // WAL + NORMAL loses the last commits only to an OS crash or power loss, which takes this process
        // down too; rows and checkpoint go back together and the restart projects them again. FULL's
        // fsync per commit would buy nothing here.
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  const schema = readModelSchema(config) as string;
  return {
    ...common,
    type: 'postgres',
    url: config.url,
    schema,
    poolSize: config.poolSize ?? 10,
    applicationName: 'wasteflow-read-models',
    // Unqualified names in query services resolve to the read-model schema. Every wait is bounded, so a
    // database that hangs (stopped, failing over) fails a read or a batch instead of hanging it: opening
    // a connection 5 s; an answer that never comes 70 s (client side, above the 60 s a rebuild's lease
    // work may take: postgres-backend.ts); a session's statements 30 s unless lease work says otherwise.
    extra: {
      options: `-c search_path=${schema} -c statement_timeout=30000`,
      connectionTimeoutMillis: 5_000,
      query_timeout: 70_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}

/**
 * Opens the read-model database and brings its schema up to date: creates the PostgreSQL schema when
 * missing and runs pending migrations, under an advisory lock so an api and a projector starting together
 * do not both migrate.
 */
export async function openReadModelDatabase(
  config: ReadModelDatabaseConfig,
  extras: ReadModelDataSourceExtras = {},
): Promise<DataSource> {
  return initializeReadModelDataSource(new DataSource(readModelDataSourceOptions(config, extras)));
}

/**
 * The second half of `openReadModelDatabase`, for callers (Nest's TypeOrmModule) that build the DataSource
 * from `readModelDataSourceOptions` themselves.
 */
export async function initializeReadModelDataSource(dataSource: DataSource): Promise<DataSource> {
  const options = dataSource.options;
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    preparePrivateFile(options.database);
  }
  if (!dataSource.isInitialized) await dataSource.initialize();
  try {
    if (options.type === 'postgres') {
      if (!options.schema) throw new Error('The read-model DataSource needs a schema');
      await migratePostgres(dataSource, options.schema);
    } else {
      await dataSource.runMigrations({ transaction: 'each' });
    }
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

async function migratePostgres(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  const lock = `wasteflow.read-models.migrations.${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    await runner.release();
  }
}
