import type { EventStore } from '../event-store.port';
import type { EventStoreFixture } from './event-store.contract';

/**
 * A fixture whose stores all come from `open` (the same data, as several processes would open it): the
 * first is `store`, every `openSecondStore` opens one more; cleanup closes them all, then `release` frees
 * the data (a directory, a schema).
 */
export function reopenableFixture<S extends EventStore>(
  open: () => S,
  release: () => Promise<void> | void,
): EventStoreFixture & { store: S } {
  const store = open();
  const others: S[] = [];
  return {
    store,
    openSecondStore: async () => {
      const other = open();
      others.push(other);
      return other;
    },
    cleanup: async () => {
      await Promise.all([store, ...others].map((instance) => instance.close()));
      await release();
    },
  };
}
