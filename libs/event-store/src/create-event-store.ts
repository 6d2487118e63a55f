import type { EventStore } from './event-store.port';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

export type EventStoreConfig =
  | ({ readonly kind: 'sqlite' } & SqliteEventStoreOptions)
  | ({ readonly kind: 'postgres' } & PostgresEventStoreOptions)
  | ({ readonly kind: 'kurrentdb' } & KurrentDbEventStoreOptions);

/**
 * Opens the configured store, ready to use (the PostgreSQL schema is created when missing; a KurrentDB
 * server without multi-stream append, or whose $all the user may not read, is refused: StoreServerRefused).
 */
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
    case 'kurrentdb': {
      const store = new KurrentDbEventStore(config);
      try {
        await store.ready();
      } catch (error) {
        await store.close();
        throw error;
      }
      return store;
    }
  }
}
