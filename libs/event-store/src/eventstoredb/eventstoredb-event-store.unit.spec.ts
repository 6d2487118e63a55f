import { describeEventStoreContract } from '../testing/event-store.contract';
import { FakeEventStoreDbClient } from '../testing/fake-eventstoredb-client';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The adapter's own logic against an in-memory stand-in for the server (see FakeEventStoreDbClient); the
 * real server runs the same contract in eventstoredb-event-store.int.spec.ts when EVENTSTORE_URL is set.
 */
describeEventStoreContract(
  'eventstoredb adapter on an in-memory server',
  async () => {
    const server = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore({ client: server.asClient(), pageSize: 7 });
    const others: EventStoreDbEventStore[] = [];
    return {
      store,
      openSecondStore: async () => {
        const other = new EventStoreDbEventStore({ client: server.asClient(), pageSize: 7 });
        others.push(other);
        return other;
      },
      cleanup: async () => {
        await Promise.all([store, ...others].map((instance) => instance.close()));
        await server.dispose();
      },
    };
  },
  { guarantees: { uniqueIdsAcrossStreams: false, dedupesAnyRetries: false } },
);
