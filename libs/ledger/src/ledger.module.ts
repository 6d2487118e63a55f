import { PeopleRecords } from './people/people-records';
import { DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CLOCK, EVENT_STORE, type Clock, type EventStore } from '@wasteflow/event-store';
import type { DecideOptions } from '@wasteflow/domain';
import { TokenService } from './access/token-service';
import { AcknowledgeAlertHandler } from './acknowledge-alert/acknowledge-alert.command';
import { CloseAlertHandler } from './close-alert/close-alert.command';
import { GrantTransferApprovalHandler } from './grant-transfer-approval/grant-transfer-approval.command';
import { CancelManifestHandler } from './cancel-manifest/cancel-manifest.command';
import { ConsolidateBatchesHandler } from './consolidate-batches/consolidate-batches.command';
import { CorrectMassHandler } from './correct-mass/correct-mass.command';
import { GrantPermitHandler } from './grant-permit/grant-permit.command';
import { IssueManifestHandler } from './issue-manifest/issue-manifest.command';
import { IssueTokenHandler } from './issue-token/issue-token.command';
import { RevokeTokenHandler } from './revoke-token/revoke-token.command';
import {
  ManifestCustodyLifecycle,
  MANIFEST_CUSTODY_ENABLED,
} from './manifest-custody/manifest-custody.lifecycle';
import {
  ManifestCustodyProcessManager,
  type ManifestCustodyOptions,
} from './manifest-custody/manifest-custody.process-manager';
import { PickUpManifestHandler } from './pick-up-manifest/pick-up-manifest.command';
import { HandOverManifestHandler } from './hand-over-manifest/hand-over-manifest.command';
import { ReceiveManifestHandler } from './receive-manifest/receive-manifest.command';
import { RegisterPartyHandler } from './register-party/register-party.command';
import { RevokePermitHandler } from './revoke-permit/revoke-permit.command';
import { SubmitCommandsHandler } from './submit-commands/submit-commands.command';
import { TreatWasteHandler } from './treat-waste/treat-waste.command';
import { DECIDE_OPTIONS } from './use-case/decide-options';
import { LedgerCommands } from './use-case/ledger-commands';
import { UseCases } from './use-case/use-case-registry';
import { UseCaseRunner } from './use-case/use-case-runner';
import { LegacyBookkeepingMigration } from './writing/bookkeeping.lifecycle';
import { LedgerWriter } from './writing/ledger-writer';

export interface LedgerModuleOptions {
  /** Accepted as an admin token (README "Configuration": WASTEFLOW_ADMIN_TOKEN or <data dir>/admin-token). */
  readonly bootstrapAdminToken?: string;
  /** The loaded catalogue, time policy and tolerance handed to every decide function. */
  readonly decideOptions?: DecideOptions;
  /** Run the manifest custody process manager in this process (the api: yes; the CLI: no). Default true. */
  readonly runProcessManagers?: boolean;
  readonly manifestCustody?: Omit<ManifestCustodyOptions, 'logger'>;
}

export const COMMAND_HANDLERS = [
  RegisterPartyHandler,
  GrantPermitHandler,
  RevokePermitHandler,
  IssueTokenHandler,
  RevokeTokenHandler,
  ConsolidateBatchesHandler,
  IssueManifestHandler,
  PickUpManifestHandler,
  HandOverManifestHandler,
  ReceiveManifestHandler,
  CancelManifestHandler,
  TreatWasteHandler,
  CorrectMassHandler,
  AcknowledgeAlertHandler,
  CloseAlertHandler,
  GrantTransferApprovalHandler,
  SubmitCommandsHandler,
];

/**
 * The command side: @nestjs/cqrs handlers (one per use case), the writer, tokens and the manifest custody
 * process manager. Needs EVENT_STORE and CLOCK from the application (apps/api StorageModule, apps/cli).
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: DECIDE_OPTIONS, useValue: options.decideOptions ?? {} },
      {
        provide: LedgerWriter,
        inject: [EVENT_STORE],
        useFactory: (store: EventStore) => new LedgerWriter(store),
      },
      {
        provide: TokenService,
        inject: [EVENT_STORE, CLOCK],
        // the ledger's clock decides when a token has expired, as it dates every event
        useFactory: (store: EventStore, clock: Clock) =>
          new TokenService(store, {
            bootstrapAdminToken: options.bootstrapAdminToken,
            now: () => clock.now().getTime(),
          }),
      },
      UseCaseRunner,
      UseCases,
      LedgerCommands,
      PeopleRecords,
      LegacyBookkeepingMigration,
      ...COMMAND_HANDLERS,
      {
        provide: ManifestCustodyProcessManager,
        inject: [EVENT_STORE, LedgerWriter],
        useFactory: (store: EventStore, writer: LedgerWriter) => {
          const logger = new Logger('ManifestCustody');
          return new ManifestCustodyProcessManager(store, writer, {
            ...options.manifestCustody,
            logger: {
              log: (message) => logger.debug(message),
              warn: (message) => logger.warn(message),
              error: (message) => logger.error(message),
            },
          });
        },
      },
      { provide: MANIFEST_CUSTODY_ENABLED, useValue: options.runProcessManagers ?? true },
      ManifestCustodyLifecycle,
    ];
    return {
      module: LedgerModule,
      // every module of the app reaches the write side (LedgerCommands: routes, bulk, imports)
      global: true,
      imports: [CqrsModule.forRoot()],
      providers,
      exports: [
        LedgerWriter,
        TokenService,
        UseCaseRunner,
        UseCases,
        LedgerCommands,
        PeopleRecords,
        ManifestCustodyProcessManager,
        DECIDE_OPTIONS,
        CqrsModule,
      ],
    };
  }
}
