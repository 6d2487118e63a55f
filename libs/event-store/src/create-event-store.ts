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
    case 'postgres':
      return readyOrClosed(new PostgresEventStore(config), (store) => store.ensureSchema());
    case 'kurrentdb':
      return readyOrClosed(new KurrentDbEventStore(config), (store) => store.ready());
  }
}

/** The store once `prepare` succeeded; if it failed, the store is closed (its pool or client released). */
async function readyOrClosed<S extends EventStore>(
  store: S,
  prepare: (store: S) => Promise<unknown>,
): Promise<S> {
  try {
    await prepare(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
