import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { DecideOptions } from '@wasteflow/domain';
import type { Clock } from '@wasteflow/event-store';
import { LedgerModule } from '@wasteflow/ledger';
import { AccessGuard } from './access/access.guard';
import { AlertFactsModule } from './read-side/alert-facts.module';
import { createValidationPipe } from './common/validation-pipe';
import type { ApiConfig } from './config/api-config';
import { ConsoleModule } from './console/console.module';
import { IndicatorReportModule } from './documents-indicator-report/indicator-report.module';
import { LedgerBookModule } from './documents-ledger-book/ledger-book.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { DocumentsModule } from './documents/documents.module';
import { PeopleModule } from './people/people.module';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { MetricsModule } from './observability/metrics.module';
import { ReadSideModule } from './read-side/read-side.module';
import { FeedModule } from './feed/feed.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { StorageModule } from './storage/storage.module';
import { SubmitCommandsController } from './submit-commands/submit-commands.controller';
import { WRITE_ROUTE_CONTROLLERS } from './writes/write-registry';

export interface AppModuleOptions {
  readonly config: ApiConfig;
  readonly adminToken: string;
  readonly clock?: Clock;
  /** The loaded hazardous waste catalogue (WASTEFLOW_HW_CATALOGUE) and other decide options. */
  readonly decideOptions?: DecideOptions;
}

/** The write side: one route per use case (writes/write-registry.ts), then POST /v1/commands. */
export const WRITE_CONTROLLERS = [...WRITE_ROUTE_CONTROLLERS, SubmitCommandsController];

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StorageModule.forRoot(options.config, { clock: options.clock }),
        LedgerModule.forRoot({
          bootstrapAdminToken: options.adminToken,
          decideOptions: options.decideOptions,
        }),
        MetricsModule,
        // The read side; the ledger and the projections meet only through the events in the store.
        ReadSideModule,
        AlertFactsModule,
        LedgerBookModule,
        IndicatorReportModule,
        FeedModule,
        ImportsModule,
        DocumentsModule,
        PeopleModule,
        CatalogueModule,
        WebhooksModule,
        ConsoleModule,
      ],
      controllers: [HealthController, ...WRITE_CONTROLLERS],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
