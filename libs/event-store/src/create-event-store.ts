import type { EventStore } from './event-store.port';
import {
  EventStoreDbEventStore,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

export type EventStoreConfig =
  | ({ readonly kind: 'sqlite' } & SqliteEventStoreOptions)
  | ({ readonly kind: 'postgres' } & PostgresEventStoreOptions)
  | ({ readonly kind: 'eventstoredb' } & EventStoreDbEventStoreOptions);

/** Opens the configured store, ready to use (the PostgreSQL schema is created when missing). */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore(config);
    case 'postgres': {
      const store = new PostgresEventStore(config);
      try {
        await store.ensureSchema();
      } catch (error) {
        await store.close();
        throw error;
      }
      return store;
    }
    case 'eventstoredb':
      return new EventStoreDbEventStore(config);
  }
}
