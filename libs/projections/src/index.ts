export { EVENT_STORE } from './event-store.token';

export {
  DEFAULT_READ_MODEL_SCHEMA,
  SQLITE_READ_MODEL_FILE,
  readModelConfigFor,
  type ReadModelDatabaseConfig,
  type ReadModelPlacement,
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
export {
  isPostgres,
  quoteIdentifier,
  readModelTable,
  type MigrationClass,
} from './database/migration-helpers';
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
export {
  DEFAULT_LEASE_TTL_MS,
  ownerId,
  parseOwner,
  processIsAlive,
  type LeaseTiming,
} from './runner/lease-policy';
export type { LeaseKeeper } from './runner/lease-keeper';
export { namedLease, type NamedLeaseOptions } from './runner/named-lease';
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
export { wasteflowProjections } from './wasteflow-projections';
export {
  bundledCalendarPath,
  loadReferenceData,
  loadWorkdayCalendarFile,
  ReferenceConfigurationError,
  type ReferenceData,
} from './reference/reference-data';

// Read models of wasteflow and their query services (trace, manifests), and the auditor's stream history.
export { TRACE_PROJECTION, traceProjection, type ManifestLinkJson } from './trace/trace.projection';
export { traceBatches, traceDiscrepancies, traceSteps, TraceTables1764600000000 } from './trace/trace.tables';
export {
  TraceQuery,
  type PublicTraceView,
  type TraceAccess,
  type TraceCorrectionRequest,
  type CorrectionDeciderJson,
  type TraceDiscrepancy,
  type TraceResult,
  type TraceStep,
  type TraceView,
} from './trace/trace.query';
export { MANIFESTS_PROJECTION, createManifestsProjection } from './manifests/manifest.projection';
export {
  manifestParties,
  manifestViews,
  ManifestLegs1765000000500,
  ManifestTables1764600000100,
} from './manifests/manifest.tables';
export {
  MANIFEST_STATUSES,
  ManifestQuery,
  type ManifestAccess,
  type ManifestLineView,
  type ManifestListFilters,
  type ManifestListScope,
  type ManifestPage,
  type ManifestStatusFilter,
  type ManifestSummary,
  type ManifestView,
} from './manifests/manifest.query';
export {
  AuditStreamNotFound,
  parseAsOf,
  StreamHistoryQuery,
  type AsOf,
  type AuditedEvent,
  type StreamHistory,
} from './audit/stream-history.query';

// Read models of the regulator's dashboard: indicators, inventory, alerts (and their query services).
export * from './indicators';
export * from './inventory';
export * from './alerts';
export * from './ledger-book';
export * from './transfer-approvals';
