import type { CompiledTable } from './table';

/** A row as the cache holds it: property name → decoded value. */
export type RowValues = Record<string, unknown>;

export interface RowLoader {
  /** The existing rows among `keys` (any order; missing keys simply absent). */
  load(table: CompiledTable, keys: readonly RowValues[]): Promise<RowValues[]>;
}

export interface Increment {
  readonly key: RowValues;
  readonly delta: Readonly<Record<string, number | bigint>>;
  /** The whole row to insert when none exists yet: defaults, key and the delta. */
  readonly insertRow: RowValues;
}

/** The incremented columns of an increment, in a stable order: increments with one signature share a statement. */
export function incrementSignature(increment: Increment): string {
  return Object.keys(increment.delta).join(',');
}

export interface TableChanges {
  readonly table: CompiledTable;
  readonly upserts: readonly RowValues[];
  readonly deletes: readonly RowValues[];
  readonly increments: readonly Increment[];
}
