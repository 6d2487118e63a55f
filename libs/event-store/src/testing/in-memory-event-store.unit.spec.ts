import { describeEventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

/** The test double keeps the port's contract, so tests over it say something about the real adapters. */
describeEventStoreContract('in memory (test double)', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
