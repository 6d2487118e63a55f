import type { RowValues, TableChanges } from './row-changes';
import { KeyFilter } from './key-filter';
import type { CompiledTable } from './table';

/** The committed rows of one table that the replay reads. */
export interface CarriedTable {
  /** Encoded key → the row as committed, or null when it is known not to exist: rows of the recent commits. */
  young: Map<string, RowValues | null>;
  /** The same for the commits before them; what is used here again moves back to `young`. */
  old: Map<string, RowValues | null>;
  /**
   * Holds every row the database holds for this table, but for the keys in `evicted`: a key found in
   * neither is missing there too, so it needs neither a query (prefetch, get) nor a DELETE. True from the
   * start of the replay (the tables were emptied) for a table first read before the first commit, until an
   * increment.
   */
  complete: boolean;
  /** Keys of a complete table whose rows were evicted: the database may hold them. */
  evicted: KeyFilter | undefined;
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
 * complete. Bounded, whatever the history's size: once the rows of the recent commits pass half of `limit`,
 * the rows not used since the commits before are evicted (a waste batch settled months ago, a manifest
 * received), and a complete table remembers the evicted keys in a `KeyFilter` (about a byte each) — it stays
 * complete: an evicted key is read from the database again when asked for, a key never written still needs
 * no query.
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
    const carried = this.track(table);
    const row = carried.young.get(encoded);
    if (row !== undefined) return row;
    const older = carried.old.get(encoded);
    if (older !== undefined) {
      // used again: it survives the next eviction
      carried.old.delete(encoded);
      carried.young.set(encoded, older);
      return older;
    }
    return this.absent(carried, encoded);
  }

  /** Starts carrying `table` (the replay reads it), if it is not carried yet. */
  track(table: CompiledTable): CarriedTable {
    let carried = this.tables.get(table);
    if (!carried) {
      carried = { young: new Map(), old: new Map(), complete: this.commits === 0, evicted: undefined };
      this.tables.set(table, carried);
    }
    return carried;
  }

  /** As `lookup`, without starting to carry a table that is not carried yet (a put or a delete). */
  peek(table: CompiledTable, encoded: string): RowValues | null | undefined {
    const carried = this.tables.get(table);
    if (!carried) return undefined;
    const row = carried.young.get(encoded);
    if (row !== undefined) return row;
    const older = carried.old.get(encoded);
    return older !== undefined ? older : this.absent(carried, encoded);
  }

  committed(changes: readonly TableChanges[]): void {
    this.commits += 1;
    for (const change of changes) {
      const carried = this.tables.get(change.table);
      if (!carried) continue;
      const { table } = change;
      const { young, old } = carried;
      for (const key of change.deletes) {
        const encoded = table.encodeKey(key);
        old.delete(encoded);
        if (carried.complete) young.delete(encoded);
        else young.set(encoded, null);
      }
      for (const row of change.upserts) {
        const encoded = table.encodeKey(row);
        old.delete(encoded);
        young.set(encoded, row);
      }
      if (change.increments.length > 0) {
        carried.complete = false;
        carried.evicted = undefined;
        for (const increment of change.increments) {
          const encoded = table.encodeKey(increment.key);
          young.delete(encoded);
          old.delete(encoded);
        }
      }
    }
    let recent = 0;
    for (const carried of this.tables.values()) recent += carried.young.size;
    if (recent > this.limit / 2) this.evictOld();
  }

  /** Rows carried now (for tests and measurements). */
  get size(): number {
    let size = 0;
    for (const carried of this.tables.values()) size += carried.young.size + carried.old.size;
    return size;
  }

  clear(): void {
    this.tables.clear();
    this.commits = 0;
  }

  private evictOld(): void {
    for (const carried of this.tables.values()) {
      if (carried.complete) {
        // a key known absent (null) is not in a complete table's maps: every key here may be held
        for (const encoded of carried.old.keys()) (carried.evicted ??= new KeyFilter()).add(encoded);
      }
      carried.old = carried.young;
      carried.young = new Map();
    }
  }

  private absent(carried: CarriedTable, encoded: string): null | undefined {
    if (!carried.complete) return undefined;
    return carried.evicted?.mightHold(encoded) ? undefined : null;
  }
}
