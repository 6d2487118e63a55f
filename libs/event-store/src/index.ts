export * from './event-store.port';
export * from './errors';
export { formatPosition, parsePosition, MAX_POSITION } from './position';
export { createEventStore, type EventStoreConfig } from './create-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export {
  decodePosition as decodePostgresPosition,
  encodePosition as encodePostgresPosition,
  MAX_EVENTS_PER_COMMIT as POSTGRES_MAX_EVENTS_PER_COMMIT,
} from './postgres/postgres-position';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
export * from './integrity/event-integrity';
export { canonicalJson } from './integrity/canonical-json';
export { EVENT_STORE } from './event-store.token';
export { CLOCK, systemClock, ManualClock, type Clock } from './clock';
export { preparePrivateFile } from './files/private-files';
export { storeFailureOf, type StoreFailure, type StoreFailureOutcome } from './availability/store-failure';
export { dataDirectoryProblem } from './availability/file-readiness';
export { DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from './postgres/postgres-event-store';
