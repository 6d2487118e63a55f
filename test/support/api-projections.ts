import {
  loadReferenceData,
  openReadModelDatabase,
  wasteflowProjections,
  type ReadModelDatabaseConfig,
} from '@wasteflow/projections';
import type { DataSource } from 'typeorm';

/** Every projection over the bundled reference data (the working-day calendar), as the api runs them. */
export const API_PROJECTIONS = wasteflowProjections(loadReferenceData({}));

/** A read-model database migrated for every projection the api runs. */
export function openApiReadModels(config: ReadModelDatabaseConfig): Promise<DataSource> {
  return openReadModelDatabase(config, { migrations: API_PROJECTIONS.flatMap((p) => p.migrations ?? []) });
}
