import type { CounterColumnsOf, KeyOf, RowOf, TableDefinition } from './table';

/**
 * What a projection's `evolve` works on: typed rows by primary key, over the projection's own tables.
 *
 * Reads go through a per-batch cache (loaded on first use, or in bulk by `prefetch`); writes are staged in
 * that cache and reach the database only when the runner commits the batch, together with the checkpoint.
 * Rows handed out are the cache's own objects: treat them as immutable and `put` a new object to change one.
 */
export interface RowAccess {
  /** The row, or undefined when there is none (including one deleted earlier in this batch). */
  get<D extends TableDefinition>(table: D, key: KeyOf<D>): Promise<Readonly<RowOf<D>> | undefined>;
  /** Inserts or replaces the whole row. */
  put<D extends TableDefinition>(table: D, row: RowOf<D>): void;
  delete<D extends TableDefinition>(table: D, key: KeyOf<D>): void;
  /**
   * Adds to numeric columns without reading the row: `grams += x` keyed by dimensions. A missing row is
   * created with the columns' defaults (0 for numbers). Flushed as one `INSERT … ON CONFLICT DO UPDATE SET
   * c = c + excluded.c`, so indicator facts never cost a read.
   */
  add<D extends TableDefinition>(table: D, key: KeyOf<D>, deltas: CounterColumnsOf<D>): void;
}

/** Handed to `Projection.prefetch`: the rows a batch will need, loaded in one query per table. */
export interface KeyCollector {
  want<D extends TableDefinition>(table: D, key: KeyOf<D>): void;
}
