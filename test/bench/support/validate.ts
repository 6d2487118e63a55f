import { check } from '../harness/scenario';
import type { Workload } from './events';

/** A stored event as read back, whatever the store: its stream, 0-based revision and id. */
export interface StoredRow {
  readonly stream: string;
  readonly revision: bigint | number | string;
  readonly id: string;
}

/**
 * Proves a run stored exactly the workload: the right number of events, every stream with its events in
 * order at revisions 0, 1, 2 …, nothing else. `rows` must be in the store's global order.
 */
export function validateStored(what: string, workload: Workload, rows: readonly StoredRow[]): void {
  check(
    rows.length === workload.events,
    () => `${what}: read back ${rows.length} events, wrote ${workload.events}`,
  );
  const seen = new Map<string, number>();
  for (const row of rows) {
    const expected = workload.expected.get(row.stream);
    check(expected !== undefined, () => `${what}: unexpected stream ${row.stream}`);
    const index = seen.get(row.stream) ?? 0;
    check(
      BigInt(row.revision) === BigInt(index) && expected[index] === row.id,
      () =>
        `${what}: stream ${row.stream} holds ${row.id} at revision ${row.revision}, expected ${expected[index]} at ${index}`,
    );
    seen.set(row.stream, index + 1);
  }
  check(
    seen.size === workload.expected.size,
    () => `${what}: ${seen.size} streams, expected ${workload.expected.size}`,
  );
}
