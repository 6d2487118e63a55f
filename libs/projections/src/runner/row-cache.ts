import type { KeyCollector, RowAccess } from './row-access';
import { compileTable, type CompiledColumn, type CompiledTable, type TableDefinition } from './table';

/** A row as the cache holds it: property name → decoded value. */
export type RowValues = Record<string, unknown>;

export interface RowLoader {
  /** The existing rows among `keys` (any order; missing keys simply absent). */
  load(table: CompiledTable, keys: readonly RowValues[]): Promise<RowValues[]>;
}

type Entry =
  | { kind: 'row'; row: RowValues; dirty: boolean }
  /** Known not to exist; `dirty` when it existed in the database and must be deleted. */
  | { kind: 'absent'; key: RowValues; dirty: boolean }
  /** Not read: only increments are known. */
  | { kind: 'delta'; key: RowValues; delta: Record<string, number | bigint> };

export interface Increment {
  readonly key: RowValues;
  readonly delta: Readonly<Record<string, number | bigint>>;
  /** The whole row to insert when none exists yet: defaults, key and the delta. */
  readonly insertRow: RowValues;
}

export interface TableChanges {
  readonly table: CompiledTable;
  readonly upserts: readonly RowValues[];
  readonly deletes: readonly RowValues[];
  readonly increments: readonly Increment[];
}

/** Rows of one table for the length of one batch. */
class TableCache {
  readonly entries = new Map<string, Entry>();

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
        increments.push({ key: entry.key, delta: entry.delta, insertRow: this.newRow(entry.key, entry.delta) });
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

function checkDelta(table: CompiledTable, deltas: Readonly<Record<string, unknown>>): Record<string, number | bigint> {
  const checked: Record<string, number | bigint> = {};
  for (const [property, value] of Object.entries(deltas)) {
    if (value === undefined) continue;
    const column: CompiledColumn | undefined = table.byProperty.get(property);
    if (!column || column.isKey) throw new Error(`Table ${table.name}: add() on ${property}, which is not a value column`);
    const ok =
      column.type === 'bigint'
        ? typeof value === 'bigint'
        : (column.type === 'integer' || column.type === 'real') && typeof value === 'number' && Number.isFinite(value);
    if (!ok) throw new Error(`Table ${table.name}: add() on ${property} (${column.type}) with ${typeof value} ${String(value)}`);
    checked[property] = value as number | bigint;
  }
  return checked;
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

  constructor(private readonly loader: RowLoader) {}

  /** RowAccess limited to `tables`: a projection touches only what it declared. */
  access(owner: string, tables: readonly TableDefinition[]): RowAccess {
    const allowed = new Map<TableDefinition, TableCache>();
    for (const definition of tables) allowed.set(definition, this.cache(definition));
    const cacheOf = (definition: TableDefinition): TableCache => {
      const cache = allowed.get(definition);
      if (!cache) throw new Error(`Projection ${owner} uses table ${definition.name}, which it does not declare`);
      return cache;
    };
    return {
      get: (definition, key) => this.get(cacheOf(definition), key) as never,
      put: (definition, row) => this.put(cacheOf(definition), row as RowValues),
      delete: (definition, key) => this.remove(cacheOf(definition), key as RowValues),
      add: (definition, key, deltas) =>
        this.add(cacheOf(definition), key as RowValues, deltas as Readonly<Record<string, unknown>>),
    };
  }

  collector(owner: string, tables: readonly TableDefinition[]): { collector: KeyCollector; load: () => Promise<void> } {
    const wanted = new Map<TableCache, Map<string, RowValues>>();
    const allowed = new Set(tables);
    const collector: KeyCollector = {
      want: (definition, key) => {
        if (!allowed.has(definition)) {
          throw new Error(`Projection ${owner} prefetches table ${definition.name}, which it does not declare`);
        }
        const cache = this.cache(definition);
        const encoded = cache.table.encodeKey(key as RowValues);
        const entry = cache.entries.get(encoded);
        if (entry && entry.kind !== 'delta') return;
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

  private cache(definition: TableDefinition): TableCache {
    let cache = this.tables.get(definition);
    if (!cache) {
      cache = new TableCache(compileTable(definition));
      this.tables.set(definition, cache);
    }
    return cache;
  }

  private async get(cache: TableCache, key: RowValues): Promise<RowValues | undefined> {
    const encoded = cache.table.encodeKey(key);
    let entry = cache.entries.get(encoded);
    if (!entry || entry.kind === 'delta') {
      const [row] = await this.loader.load(cache.table, [keyOnly(cache.table, key)]);
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
        stored ? { kind: 'row', row: stored, dirty: false } : { kind: 'absent', key: keyOnly(cache.table, key), dirty: false },
      );
      return;
    }
    if (stored) {
      const row = { ...stored };
      for (const [property, value] of Object.entries(entry.delta)) row[property] = plus(row[property], value);
      cache.entries.set(encoded, { kind: 'row', row, dirty: true });
    } else {
      cache.entries.set(encoded, { kind: 'row', row: cache.newRow(entry.key, entry.delta), dirty: true });
    }
  }

  private put(cache: TableCache, row: RowValues): void {
    const encoded = cache.table.encodeKey(row);
    cache.entries.set(encoded, { kind: 'row', row, dirty: true });
  }

  private remove(cache: TableCache, key: RowValues): void {
    const encoded = cache.table.encodeKey(key);
    const entry = cache.entries.get(encoded);
    // A row known absent from the database and never written needs no DELETE.
    if (entry?.kind === 'absent') return;
    cache.entries.set(encoded, { kind: 'absent', key: keyOnly(cache.table, key), dirty: true });
  }

  private add(cache: TableCache, key: RowValues, deltas: Readonly<Record<string, unknown>>): void {
    const delta = checkDelta(cache.table, deltas);
    const encoded = cache.table.encodeKey(key);
    const entry = cache.entries.get(encoded);
    if (!entry) {
      cache.entries.set(encoded, { kind: 'delta', key: keyOnly(cache.table, key), delta });
    } else if (entry.kind === 'delta') {
      for (const [property, value] of Object.entries(delta)) entry.delta[property] = plus(entry.delta[property], value);
    } else if (entry.kind === 'row') {
      const row = { ...entry.row };
      for (const [property, value] of Object.entries(delta)) row[property] = plus(row[property], value);
      cache.entries.set(encoded, { kind: 'row', row, dirty: true });
    } else {
      cache.entries.set(encoded, { kind: 'row', row: cache.newRow(entry.key, delta), dirty: true });
    }
  }
}
