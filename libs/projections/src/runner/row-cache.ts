import type { CarriedRows } from './carried-rows';
import type { KeyCollector, RowAccess } from './row-access';
import type { Increment, RowLoader, RowValues, TableChanges } from './row-changes';
import { compileTable, type CompiledColumn, type CompiledTable, type TableDefinition } from './table';

/**
 * Whether the database holds the key, as far as this batch knows: `yes`/`no` once it was read (or loaded by
 * prefetch), `unknown` for a key only written. A key the database is known not to hold needs no DELETE
 * (a row put and removed within one batch: an alert raised and settled, a manifest issued and received).
 */
type Stored = 'yes' | 'no' | 'unknown';

type Entry =
  | { kind: 'row'; row: RowValues; dirty: boolean; stored: Stored }
  /** Known not to exist; `dirty` when it may exist in the database and must be deleted. */
  | { kind: 'absent'; key: RowValues; dirty: boolean; stored: Stored }
  /** Not read: only increments are known. */
  | { kind: 'delta'; key: RowValues; delta: Record<string, number | bigint> };

/** Rows of one table for the length of one batch. */
class TableCache {
  readonly entries = new Map<string, Entry>();
  /** A projection read this table in this batch (get or prefetch). */
  read = false;

  constructor(readonly table: CompiledTable) {}

  changes(): TableChanges {
    const upserts: RowValues[] = [];
    const deletes: RowValues[] = [];
    const increments: Increment[] = [];
    for (const entry of this.entries.values()) {
      if (entry.kind === 'row') {
        if (entry.dirty) upserts.push(entry.row);
      } else if (entry.kind === 'absent') {
        if (entry.dirty) deletes.push(entry.key);
      } else {
        increments.push({
          key: entry.key,
          delta: entry.delta,
          insertRow: this.newRow(entry.key, entry.delta),
        });
      }
    }
    return { table: this.table, upserts, deletes, increments };
  }

  newRow(key: RowValues, delta: Readonly<Record<string, number | bigint>>): RowValues {
    const row: RowValues = {};
    for (const column of this.table.columns) {
      if (column.isKey) {
        row[column.property] = key[column.property];
      } else if (column.property in delta) {
        row[column.property] = delta[column.property];
      } else if (column.hasDefault) {
        row[column.property] = column.defaultValue;
      } else {
        throw new Error(
          `Table ${this.table.name}: add() creates a row but column ${column.property} has no default; give it one or put() the row first`,
        );
      }
    }
    return row;
  }
}

function keyOnly(table: CompiledTable, source: RowValues): RowValues {
  const key: RowValues = {};
  for (const column of table.keyColumns) key[column.property] = source[column.property];
  return key;
}

/** One value of an `add`, checked against its column. */
function counterValue(table: CompiledTable, property: string, value: unknown): number | bigint {
  const column: CompiledColumn | undefined = table.byProperty.get(property);
  if (!column || column.isKey)
    throw new Error(`Table ${table.name}: add() on ${property}, which is not a value column`);
  const ok =
    column.type === 'bigint'
      ? typeof value === 'bigint'
      : (column.type === 'integer' || column.type === 'real') &&
        typeof value === 'number' &&
        Number.isFinite(value);
  if (!ok)
    throw new Error(
      `Table ${table.name}: add() on ${property} (${column.type}) with ${typeof value} ${String(value)}`,
    );
  return value as number | bigint;
}

function checkDelta(
  table: CompiledTable,
  deltas: Readonly<Record<string, unknown>>,
): Record<string, number | bigint> {
  const checked: Record<string, number | bigint> = {};
  for (const property in deltas) {
    const value = deltas[property];
    if (value === undefined) continue;
    checked[property] = counterValue(table, property, value);
  }
  return checked;
}

/**
 * Adds `deltas` into a delta this batch staged (the cache's own object), checking each value as
 * `checkDelta` does but without a copy; zeros change nothing and are skipped (an indicator add carries
 * every counter, six of them 0).
 */
function mergeDelta(
  table: CompiledTable,
  into: Record<string, number | bigint>,
  deltas: Readonly<Record<string, unknown>>,
): void {
  for (const property in deltas) {
    const value = deltas[property];
    if (value === undefined) continue;
    const checked = counterValue(table, property, value);
    if (checked === 0n || checked === 0) continue;
    into[property] = plus(into[property], checked);
  }
}

function plus(a: unknown, b: number | bigint): number | bigint {
  if (typeof b === 'bigint') return (typeof a === 'bigint' ? a : 0n) + b;
  return (typeof a === 'number' ? a : 0) + b;
}

/**
 * The per-batch row cache behind `RowAccess`. The runner builds one per batch, lets every projection
 * evolve over it, then writes `changes()` and the checkpoint in one transaction; if anything throws before
 * the commit the whole cache is dropped, so nothing of a failed batch survives.
 */
export class BatchRows {
  private readonly tables = new Map<TableDefinition, TableCache>();

  /** `carried`: rows committed by earlier batches of a rebuild, consulted before the loader. */
  /** `tableOf`: where a table's rows live (a rebuild writes shadow tables); the table itself by default. */
  constructor(
    private readonly loader: RowLoader,
    private readonly carried?: CarriedRows,
    private readonly tableOf: (definition: TableDefinition) => CompiledTable = compileTable,
  ) {}

  /** RowAccess limited to `tables`: a projection touches only what it declared. */
  access(owner: string, tables: readonly TableDefinition[]): RowAccess {
    const allowed = new Map<TableDefinition, TableCache>();
    for (const definition of tables) allowed.set(definition, this.cache(definition));
    const cacheOf = (definition: TableDefinition): TableCache => {
      const cache = allowed.get(definition);
      if (!cache)
        throw new Error(`Projection ${owner} uses table ${definition.name}, which it does not declare`);
      return cache;
    };
    return {
      get: (definition, key) => this.get(this.reading(definition, cacheOf(definition)), key) as never,
      put: (definition, row) => this.put(cacheOf(definition), row as RowValues),
      delete: (definition, key) => this.remove(cacheOf(definition), key as RowValues),
      add: (definition, key, deltas) =>
        this.add(cacheOf(definition), key as RowValues, deltas as Readonly<Record<string, unknown>>),
    };
  }

  collector(
    owner: string,
    tables: readonly TableDefinition[],
  ): { collector: KeyCollector; load: () => Promise<void> } {
    const wanted = new Map<TableCache, Map<string, RowValues>>();
    const allowed = new Set(tables);
    const collector: KeyCollector = {
      want: (definition, key) => {
        if (!allowed.has(definition)) {
          throw new Error(
            `Projection ${owner} prefetches table ${definition.name}, which it does not declare`,
          );
        }
        const cache = this.reading(definition);
        const encoded = cache.table.encodeKey(key as RowValues);
        const entry = cache.entries.get(encoded);
        if (entry && entry.kind !== 'delta') return;
        const carried = this.carried?.lookup(cache.table, encoded);
        if (carried !== undefined) {
          this.settle(cache, encoded, key as RowValues, carried ?? undefined);
          return;
        }
        let keys = wanted.get(cache);
        if (!keys) wanted.set(cache, (keys = new Map()));
        keys.set(encoded, keyOnly(cache.table, key as RowValues));
      },
    };
    const load = async (): Promise<void> => {
      for (const [cache, keys] of wanted) {
        const rows = await this.loader.load(cache.table, [...keys.values()]);
        const found = new Map(rows.map((row) => [cache.table.encodeKey(row), row]));
        for (const [encoded, key] of keys) this.settle(cache, encoded, key, found.get(encoded));
      }
      wanted.clear();
    };
    return { collector, load };
  }

  changes(): TableChanges[] {
    return [...this.tables.values()].map((cache) => cache.changes());
  }

  /** The changes of `tables` alone (one projection's, committed on its own). */
  changesOf(tables: readonly TableDefinition[]): TableChanges[] {
    const changes: TableChanges[] = [];
    for (const definition of tables) {
      const cache = this.tables.get(definition);
      if (cache) changes.push(cache.changes());
    }
    return changes;
  }

  /** Drops what the batch staged for `tables` (a projection that failed): none of it is written. */
  discard(tables: readonly TableDefinition[]): void {
    for (const definition of tables) this.tables.delete(definition);
  }

  private cache(definition: TableDefinition): TableCache {
    let cache = this.tables.get(definition);
    if (!cache) {
      cache = new TableCache(this.tableOf(definition));
      this.tables.set(definition, cache);
    }
    return cache;
  }

  /**
   * The table's cache, noting that the batch reads it: a rebuild carries the committed rows of the tables
   * it reads (even rows this batch wrote before reading them, which the batch cache answers).
   */
  private reading(definition: TableDefinition, cache = this.cache(definition)): TableCache {
    if (!cache.read) {
      cache.read = true;
      this.carried?.track(cache.table);
    }
    return cache;
  }

  private async get(cache: TableCache, key: RowValues): Promise<RowValues | undefined> {
    const encoded = cache.table.encodeKey(key);
    let entry = cache.entries.get(encoded);
    if (!entry || entry.kind === 'delta') {
      const carried = this.carried?.lookup(cache.table, encoded);
      const [row] =
        carried !== undefined
          ? carried
            ? [carried]
            : []
          : await this.loader.load(cache.table, [keyOnly(cache.table, key)]);
      this.settle(cache, encoded, key, row);
      entry = cache.entries.get(encoded) as Entry;
    }
    return entry.kind === 'row' ? entry.row : undefined;
  }

  /** Records what the database holds for a key, folding in increments staged before it was read. */
  private settle(cache: TableCache, encoded: string, key: RowValues, stored: RowValues | undefined): void {
    const entry = cache.entries.get(encoded);
    if (entry && entry.kind !== 'delta') return;
    if (!entry) {
      cache.entries.set(
        encoded,
        stored
          ? { kind: 'row', row: stored, dirty: false, stored: 'yes' }
          : { kind: 'absent', key: keyOnly(cache.table, key), dirty: false, stored: 'no' },
      );
      return;
    }
    if (stored) {
      const row = { ...stored };
      for (const property in entry.delta) row[property] = plus(row[property], entry.delta[property]);
      cache.entries.set(encoded, { kind: 'row', row, dirty: true, stored: 'yes' });
    } else {
      cache.entries.set(encoded, {
        kind: 'row',
        row: cache.newRow(entry.key, entry.delta),
        dirty: true,
        stored: 'no',
      });
    }
  }

  private put(cache: TableCache, row: RowValues): void {
    const encoded = cache.table.encodeKey(row);
    const entry = cache.entries.get(encoded);
    const stored = entry && entry.kind !== 'delta' ? entry.stored : this.storedInCarried(cache, encoded);
    cache.entries.set(encoded, { kind: 'row', row, dirty: true, stored });
  }

  private remove(cache: TableCache, key: RowValues): void {
    const encoded = cache.table.encodeKey(key);
    const entry = cache.entries.get(encoded);
    // A row known absent from the database and never written needs no DELETE.
    if (entry?.kind === 'absent' && !entry.dirty) return;
    const stored = entry && entry.kind !== 'delta' ? entry.stored : this.storedInCarried(cache, encoded);
    cache.entries.set(encoded, {
      kind: 'absent',
      key: keyOnly(cache.table, key),
      dirty: stored !== 'no',
      stored,
    });
  }

  /** What the rows carried from earlier batches of a rebuild say about a key this batch has not read. */
  private storedInCarried(cache: TableCache, encoded: string): Stored {
    const carried = this.carried?.peek(cache.table, encoded);
    return carried === undefined ? 'unknown' : carried ? 'yes' : 'no';
  }

  private add(cache: TableCache, key: RowValues, deltas: Readonly<Record<string, unknown>>): void {
    const encoded = cache.table.encodeKey(key);
    const entry = cache.entries.get(encoded);
    if (entry?.kind === 'delta') {
      mergeDelta(cache.table, entry.delta, deltas);
      return;
    }
    const delta = checkDelta(cache.table, deltas);
    if (!entry) {
      cache.entries.set(encoded, { kind: 'delta', key: keyOnly(cache.table, key), delta });
    } else if (entry.kind === 'row') {
      const row = { ...entry.row };
      for (const property in delta) row[property] = plus(row[property], delta[property]);
      cache.entries.set(encoded, { kind: 'row', row, dirty: true, stored: entry.stored });
    } else {
      cache.entries.set(encoded, {
        kind: 'row',
        row: cache.newRow(entry.key, delta),
        dirty: true,
        stored: entry.stored,
      });
    }
  }
}
