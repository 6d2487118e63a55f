import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  CLOCK,
  createEventStore,
  EVENT_STORE,
  systemClock,
  type Clock,
  type EventStore,
  type EventStoreConfig,
} from '@wasteflow/event-store';
import { eventStoreConfigFor } from '@wasteflow/ledger';
import type { ApiConfig } from '../config/api-config';

export const API_CONFIG = Symbol.for('wasteflow.ApiConfig');

/** The event store of the configuration (shared with the CLI: `eventStoreConfigFor`, libs/ledger). */
export function eventStoreConfigOf(config: ApiConfig): EventStoreConfig {
  return eventStoreConfigFor(config);
}

/** Opens the configured event store once per process and closes it last on shutdown. */
@Global()
@Module({})
export class StorageModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: ApiConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: EVENT_STORE, useFactory: () => createEventStore(eventStoreConfigOf(config)) },
      ],
      exports: [API_CONFIG, CLOCK, EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log(`closed the ${this.store.kind} event store`);
  }
}
