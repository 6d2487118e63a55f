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

/**
 * Where two JSON values first differ, as `path: a ≠ b` (values shortened), or undefined when they are
 * equal: a validation message that says what differs, not only that something does.
 */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  const shown = (value: unknown) => {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
  };
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found) return found;
    }
    return a.length === b.length ? undefined : `${path}: ${a.length} items ≠ ${b.length} items (first extra: ${shown(a.length > b.length ? a[b.length] : b[a.length])})`;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (!(key in x) || !(key in y)) return `${path}.${key}: ${key in x ? shown(x[key]) : 'absent'} ≠ ${key in y ? shown(y[key]) : 'absent'}`;
      const found = firstDifference(x[key], y[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return `${path}: ${shown(a)} ≠ ${shown(b)}`;
}
