import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import {
  AlertsQuery,
  ManifestQuery,
  ProjectionsModule,
  readModelConfigFor,
  StreamHistoryQuery,
  TraceQuery,
  wasteflowProjections,
  type ReadModelDatabaseConfig,
} from '@wasteflow/projections';
import { PartyRegistry } from '@wasteflow/integration';
import type { ApiConfig } from '../config/api-config';
import { METRICS_REGISTRY } from '../observability/metrics.module';
import { API_CONFIG } from '../storage/storage.module';
import { AlertsController, ALERTS_PROVIDERS } from './alerts.controller';
import { AuditController } from './audit.controller';
import { IndicatorsController, INDICATORS_PROVIDERS } from './indicators.controller';
import { InventoryController, INVENTORY_PROVIDERS } from './inventory.controller';
import { ManifestsController } from './manifests.controller';
import { PartiesController } from './parties.controller';
import { ReadYourWrites } from './read-your-writes';
import { PeopleModule } from '../people/people.module';
import { TraceController } from './trace.controller';
import { CorrectionRequestsController } from './correction-requests.controller';
import { WhoAmIController } from './whoami.controller';
import {
  TRANSFER_APPROVALS_PROVIDERS,
  TransferApprovalsController,
} from '../transfer-approvals/transfer-approvals.controller';

/** The same mapping as apps/projector and the CLI (libs/projections `readModelConfigFor`). */
export function readModelDatabaseOf(config: ApiConfig): ReadModelDatabaseConfig {
  return readModelConfigFor(config);
}

/**
 * The read side inside the api: the read-model database, the projection runner (running here unless
 * WASTEFLOW_PROJECTIONS=off) and the query controllers.
 */
@Module({
  imports: [
    ProjectionsModule.forRootAsync({
      inject: [API_CONFIG, METRICS_REGISTRY],
      useFactory: (config: ApiConfig, metrics: Registry) => ({
        database: readModelDatabaseOf(config),
        projections: wasteflowProjections(config.reference),
        run: config.runProjections,
        metrics,
      }),
    }),
    PeopleModule,
  ],
  controllers: [
    TraceController,
    CorrectionRequestsController,
    ManifestsController,
    AuditController,
    IndicatorsController,
    InventoryController,
    AlertsController,
    WhoAmIController,
    PartiesController,
    TransferApprovalsController,
  ],
  providers: [
    ReadYourWrites,
    PartyRegistry,
    TraceQuery,
    ManifestQuery,
    StreamHistoryQuery,
    ...INDICATORS_PROVIDERS,
    ...INVENTORY_PROVIDERS,
    ...ALERTS_PROVIDERS,
    ...TRANSFER_APPROVALS_PROVIDERS,
  ],
  exports: [ReadYourWrites, ProjectionsModule, TraceQuery, ManifestQuery, PartyRegistry, AlertsQuery],
})
export class ReadSideModule {}
