/** Dependency-injection token for the one EventStore instance of a process (no framework import needed). */
export const EVENT_STORE = Symbol.for('wasteflow.EventStore');
