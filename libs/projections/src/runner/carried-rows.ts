import type { RowValues, TableChanges } from './row-changes';
import type { CompiledTable } from './table';

/**
 * Rows committed by the previous batches of a rebuild, kept in memory so that the next batches' prefetch
 * finds them without a query: during a replay the runner is the only writer of its tables (it holds the
 * lease, and the tables were emptied under it), so what it committed is what the database holds.
 *
 * Fed only after a commit succeeded (`committed`), so a rolled-back batch leaves nothing here. A row
 * written as an increment is forgotten (its new value is the database's sum). Bounded: two generations of
 * at most `limit` rows each; a full generation becomes the old one and the older one is dropped, so
 * recently written rows stay and memory stays flat.
 */
export class CarriedRows {
  private current = new Map<CompiledTable, Map<string, RowValues | null>>();
  private previous = new Map<CompiledTable, Map<string, RowValues | null>>();
  private size = 0;

  constructor(private readonly limit = 200_000) {}

  /** The row as committed, `null` when it is known not to exist, undefined when not known here. */
  lookup(table: CompiledTable, encoded: string): RowValues | null | undefined {
    const current = this.current.get(table)?.get(encoded);
    if (current !== undefined) return current;
    return this.previous.get(table)?.get(encoded);
  }

  committed(changes: readonly TableChanges[]): void {
    for (const change of changes) {
      const { table } = change;
      for (const key of change.deletes) this.set(table, table.encodeKey(key), null);
      for (const row of change.upserts) this.set(table, table.encodeKey(row), row);
      for (const increment of change.increments) {
        const encoded = table.encodeKey(increment.key);
        this.current.get(table)?.delete(encoded);
        this.previous.get(table)?.delete(encoded);
      }
    }
  }

  clear(): void {
    this.current = new Map();
    this.previous = new Map();
    this.size = 0;
  }

  private set(table: CompiledTable, encoded: string, row: RowValues | null): void {
    if (this.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
      this.size = 0;
    }
    let rows = this.current.get(table);
    if (!rows) this.current.set(table, (rows = new Map()));
    if (!rows.has(encoded)) this.size += 1;
    rows.set(encoded, row);
  }
}
