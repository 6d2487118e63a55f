import type { RowValues, TableChanges } from './row-changes';
import type { CompiledTable } from './table';

/** The committed rows of one table that the replay reads. */
export interface CarriedTable {
  /** Encoded key → the row as committed, or null when it is known not to exist. */
  readonly rows: Map<string, RowValues | null>;
  /**
   * Holds every row the database holds for this table: a key missing here is missing there too, so it
   * needs neither a query (prefetch, get) nor a DELETE. True from the start of the replay (the tables were
   * emptied) for a table first read before the first commit, until an increment or an eviction.
   */
  complete: boolean;
}

/**
 * Rows committed by the previous batches of a rebuild, kept in memory so that the next batches' prefetch
 * finds them without a query: during a replay the runner is the only writer of its tables (it holds the
 * lease, and the tables were emptied under it), so what it committed is what the database holds.
 *
 * Only tables the replay reads (`lookup`) are carried: the rows of write-only tables (trace steps, counters)
 * would fill the memory without ever being asked for. A table first read before the first commit is
 * *complete*: every row it has was committed by this replay and is here, so a key not found is known absent
 * — no query for keys that were never written (a batch created later in the same page, an alert never
 * raised), no DELETE for rows never committed.
 *
 * Fed only after a commit succeeded (`committed`), so a rolled-back batch leaves nothing here. A row
 * written as an increment is forgotten (its new value is the database's sum) and its table is no longer
 * complete. Bounded: past `limit` rows everything is forgotten and every table becomes incomplete (the
 * next batches read what they need from the database again and carry it from then on).
 */
export class CarriedRows {
  private readonly tables = new Map<CompiledTable, CarriedTable>();
  private commits = 0;

  constructor(private readonly limit = 1_000_000) {}

  /**
   * The row as committed, `null` when it is known not to exist, undefined when not known here. Starts
   * carrying `table`.
   */
  lookup(table: CompiledTable, encoded: string): RowValues | null | undefined {
    return this.find(this.track(table), encoded);
  }

  /** Starts carrying `table` (the replay reads it), if it is not carried yet. */
  track(table: CompiledTable): CarriedTable {
    let carried = this.tables.get(table);
    if (!carried) {
      carried = { rows: new Map(), complete: this.commits === 0 };
      this.tables.set(table, carried);
    }
    return carried;
  }

  /** As `lookup`, without starting to carry a table that is not carried yet (a put or a delete). */
  peek(table: CompiledTable, encoded: string): RowValues | null | undefined {
    const carried = this.tables.get(table);
    return carried ? this.find(carried, encoded) : undefined;
  }

  committed(changes: readonly TableChanges[]): void {
    this.commits += 1;
    let size = 0;
    for (const change of changes) {
      const carried = this.tables.get(change.table);
      if (!carried) continue;
      const { table } = change;
      const { rows } = carried;
      for (const key of change.deletes) {
        const encoded = table.encodeKey(key);
        if (carried.complete) rows.delete(encoded);
        else rows.set(encoded, null);
      }
      for (const row of change.upserts) rows.set(table.encodeKey(row), row);
      if (change.increments.length > 0) {
        carried.complete = false;
        for (const increment of change.increments) rows.delete(table.encodeKey(increment.key));
      }
    }
    for (const carried of this.tables.values()) size += carried.rows.size;
    if (size > this.limit) {
      for (const carried of this.tables.values()) {
        carried.rows.clear();
        carried.complete = false;
      }
    }
  }

  clear(): void {
    this.tables.clear();
    this.commits = 0;
  }

  private find(carried: CarriedTable, encoded: string): RowValues | null | undefined {
    const row = carried.rows.get(encoded);
    if (row !== undefined) return row;
    return carried.complete ? null : undefined;
  }
}
