import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { DecideOptions } from '@wasteflow/domain';
import type { Clock } from '@wasteflow/event-store';
import { LedgerModule } from '@wasteflow/ledger';
import { AccessGuard } from './access/access.guard';
import { AcknowledgeAlertController } from './acknowledge-alert/acknowledge-alert.controller';
import { CloseAlertController } from './close-alert/close-alert.controller';
import { AlertFactsModule } from './read-side/alert-facts.module';
import { CancelManifestController } from './cancel-manifest/cancel-manifest.controller';
import { cacheValidationMetadata } from './common/validation-metadata-cache';
import type { ApiConfig } from './config/api-config';
import { ConsoleModule } from './console/console.module';
import { ConsolidateBatchesController } from './consolidate-batches/consolidate-batches.controller';
import { CorrectMassController } from './correct-mass/correct-mass.controller';
import { IndicatorReportModule } from './documents-indicator-report/indicator-report.module';
import { LedgerBookModule } from './documents-ledger-book/ledger-book.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { DocumentsModule } from './documents/documents.module';
import { PeopleModule } from './people/people.module';
import { GenerateWasteController } from './generate-waste/generate-waste.controller';
import { GrantPermitController } from './grant-permit/grant-permit.controller';
import { GrantTransferApprovalController } from './transfer-approvals/transfer-approvals.controller';
import { RegisterFacilityController } from './register-facility/register-facility.controller';
import { HealthController } from './health/health.controller';
import { IssueManifestController } from './issue-manifest/issue-manifest.controller';
import { IssueTokenController } from './issue-token/issue-token.controller';
import { RevokeTokenController } from './issue-token/revoke-token.controller';
import { PickUpManifestController } from './pick-up-manifest/pick-up-manifest.controller';
import { HandOverManifestController } from './hand-over-manifest/hand-over-manifest.controller';
import { ImportsModule } from './imports/imports.module';
import { InvalidRequest } from './problems/invalid-request.exception';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { MetricsModule } from './observability/metrics.module';
import { ReadSideModule } from './read-side/read-side.module';
import { FeedModule } from './feed/feed.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ReceiveManifestController } from './receive-manifest/receive-manifest.controller';
import { RegisterPartyController } from './register-party/register-party.controller';
import { RevokePermitController } from './revoke-permit/revoke-permit.controller';
import { SplitBatchController } from './split-batch/split-batch.controller';
import { StorageModule } from './storage/storage.module';
import { SubmitCommandsController } from './submit-commands/submit-commands.controller';
import { TreatWasteController } from './treat-waste/treat-waste.controller';

export interface AppModuleOptions {
  readonly config: ApiConfig;
  readonly adminToken: string;
  readonly clock?: Clock;
  /** The loaded hazardous waste catalogue (WASTEFLOW_HW_CATALOGUE) and other decide options. */
  readonly decideOptions?: DecideOptions;
}

/** The write side: one controller per use case (DESIGN.md §4), in the order of DESIGN's table. */
export const WRITE_CONTROLLERS = [
  RegisterPartyController,
  GrantPermitController,
  RegisterFacilityController,
  RevokePermitController,
  IssueTokenController,
  RevokeTokenController,
  GenerateWasteController,
  SplitBatchController,
  ConsolidateBatchesController,
  IssueManifestController,
  PickUpManifestController,
  HandOverManifestController,
  ReceiveManifestController,
  CancelManifestController,
  TreatWasteController,
  CorrectMassController,
  AcknowledgeAlertController,
  CloseAlertController,
  GrantTransferApprovalController,
  SubmitCommandsController,
];

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
        {
          provide: APP_PIPE,
          useFactory: () => {
            // class-validator gathers a DTO's decorators on every validate(): keep them (see there)
            cacheValidationMetadata();
            return new ValidationPipe({
              whitelist: true,
              forbidNonWhitelisted: true,
              forbidUnknownValues: true,
              transform: true,
              transformOptions: { enableImplicitConversion: false },
              validationError: { target: false, value: false },
              exceptionFactory: (errors) => InvalidRequest.fromValidationErrors(errors),
            });
          },
        },
      ],
    };
  }
}
