/**
 * The injection token for the process's EventStore. libs/event-store defines it (a global symbol, so every
 * copy of the module agrees); re-exported here so projection code needs one import.
 */
export { EVENT_STORE } from '@wasteflow/event-store';
