import { formatPosition, parsePosition } from '../position';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/** `npm run test:kurrentdb`: the contract against a real KurrentDB 25.1+ (docker/compose.yaml has a cluster). */
const url = process.env.KURRENTDB_URL ?? process.env.EVENTSTORE_URL;
if (!url) {
  console.warn(
    'KurrentDB event store tests NOT RUN: KURRENTDB_URL is not set (e.g. kurrentdb://127.0.0.1:2113?tls=false); this machine has no KurrentDB server and no Docker engine.',
  );
}

/** KurrentDB keeps every event of every run: each test writes under its own namespace. */
const run = `kdb${process.pid}x${Date.now().toString(36)}`;
let counter = 0;

(url ? describe : describe.skip)('KurrentDB event store (real server)', () => {
  describeEventStoreContract(
    'kurrentdb',
    async () => {
      counter += 1;
      const store = new KurrentDbEventStore({ connectionString: url as string });
      await store.ready();
      const others: KurrentDbEventStore[] = [];
      return {
        store,
        namespace: `${run}t${counter}`,
        openSecondStore: async () => {
          const other = new KurrentDbEventStore({ connectionString: url as string });
          others.push(other);
          return other;
        },
        cleanup: async () => {
          await Promise.all([store, ...others].map((instance) => instance.close()));
        },
      };
    },
    // See KurrentDbEventStore: the server checks ids per stream position only, `any` best effort.
    { guarantees: { uniqueIdsAcrossStreams: false, dedupesAnyRetries: false } },
  );

  it('commit positions round-trip, and $all reads from inside a record', async () => {
    const store = new KurrentDbEventStore({ connectionString: url as string });
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
