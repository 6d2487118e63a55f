import { formatPosition, parsePosition } from '../position';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const url = process.env.EVENTSTORE_URL;
if (!url) {
  console.warn(
    'EventStoreDB event store tests NOT RUN: EVENTSTORE_URL is not set (e.g. esdb://127.0.0.1:2113?tls=false).',
  );
}

/** EventStoreDB keeps every event of every run: each test writes under its own namespace. */
const run = `esdb${process.pid}x${Date.now().toString(36)}`;
let counter = 0;

(url ? describe : describe.skip)('EventStoreDB event store', () => {
  describeEventStoreContract(
    'eventstoredb',
    async () => {
      counter += 1;
      const store = new EventStoreDbEventStore({ connectionString: url as string });
      const others: EventStoreDbEventStore[] = [];
      return {
        store,
        namespace: `${run}t${counter}`,
        openSecondStore: async () => {
          const other = new EventStoreDbEventStore({ connectionString: url as string });
          others.push(other);
          return other;
        },
        cleanup: async () => {
          await Promise.all([store, ...others].map((instance) => instance.close()));
        },
      };
    },
    // See EventStoreDbEventStore: the server checks ids per stream position only, `any` best effort.
    { guarantees: { uniqueIdsAcrossStreams: false, dedupesAnyRetries: false } },
  );

  it('commit positions round-trip through formatPosition/parsePosition', async () => {
    const store = new EventStoreDbEventStore({ connectionString: url as string });
    try {
      const result = await store.append(
        `${run}-positions`,
        [{ id: `${run}-p1`, type: 'T', schemaVersion: 1, data: {}, metadata: {} }],
        'no_stream',
      );
      expect(parsePosition(formatPosition(result.position))).toBe(result.position);
      const [event] = await store.readAll({ after: result.position - 1n, limit: 1 });
      expect(event.position).toBe(result.position);
    } finally {
      await store.close();
    }
  });
});
