export { EVENT_STORE } from './event-store.token';

export {
  DEFAULT_READ_MODEL_SCHEMA,
  SQLITE_READ_MODEL_FILE,
  projectionsEnabled,
  readModelConfigFromEnv,
  type ReadModelDatabaseConfig,
} from './database/read-model-config';
export {
  READ_MODEL_MIGRATIONS_TABLE,
  initializeReadModelDataSource,
  openReadModelDatabase,
  readModelDataSourceOptions,
  readModelMigrations,
  type ReadModelDataSourceExtras,
} from './database/read-model-database';
export { ProjectionInfrastructure1764400000000 } from './database/infrastructure.migration';
export { isPostgres, quoteIdentifier, readModelTable, type MigrationClass } from './database/migration-helpers';
export { LeaseLost, type LeaseRecord } from './database/backend';

export {
  defineTable,
  type ColumnSpec,
  type ColumnType,
  type ColumnsSpec,
  type CounterColumnsOf,
  type KeyOf,
  type RowOf,
  type TableDefinition,
} from './runner/table';
export type { KeyCollector, RowAccess } from './runner/row-access';
export { defineProjection, type Projection } from './runner/projection';
export { LeaseUnavailable, ProjectionFailed } from './runner/errors';
export { DEFAULT_LEASE_TTL_MS, type LeaseTiming } from './runner/lease-policy';
export {
  ProjectionRunner,
  type ProjectionCheckpointStatus,
  type ProjectionRunnerOptions,
  type RebuildProgress,
  type RebuildResult,
  type RunnerError,
  type RunnerLogger,
  type RunnerState,
  type RunnerStatus,
  type RunnerTestHooks,
  EVENTS_BEHIND_CAP,
} from './runner/projection-runner';

export {
  PROJECTIONS_MODULE_OPTIONS,
  ProjectionsModule,
  type ProjectionsModuleAsyncOptions,
  type ProjectionsModuleOptions,
} from './nest/projections.module';
