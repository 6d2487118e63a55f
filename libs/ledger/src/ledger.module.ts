import { PeopleRecords } from './people/people-records';
import { DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { CLOCK, EVENT_STORE, type Clock, type EventStore } from '@wasteflow/event-store';
import type { DecideOptions } from '@wasteflow/domain';
import { TokenService } from './access/token-service';
import {
  ManifestCustodyLifecycle,
  MANIFEST_CUSTODY_ENABLED,
} from './manifest-custody/manifest-custody.lifecycle';
import {
  ManifestCustodyProcessManager,
  type ManifestCustodyOptions,
} from './manifest-custody/manifest-custody.process-manager';
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

/**
 * The command side: the use cases (UseCases) and LedgerCommands that runs them by name, the writer, tokens
 * and the manifest custody process manager. Needs EVENT_STORE and CLOCK from the application (apps/api
 * StorageModule, apps/cli). No command bus (ADR 0020).
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
      ],
    };
  }
}
