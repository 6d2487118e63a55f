import { quoteIdentifier } from './migration-helpers';
import type { Dialect } from './codec';
import type { CompiledColumn, CompiledTable } from '../runner/table';

/**
 * SQL text for the runner's statements on SQLite, where single-row statements prepared once and run per
 * row are the fastest way in-process; reads take keys in fixed-size groups. PostgreSQL's statements,
 * which take whole columns as arrays, are in postgres-backend.ts.
 */
export class SqlBuilder {
  constructor(
    readonly dialect: Dialect,
    readonly schema?: string,
  ) {}

  table(name: string): string {
    return this.schema ? `${quoteIdentifier(this.schema)}.${quoteIdentifier(name)}` : quoteIdentifier(name);
  }

  /** Placeholders for `rows` tuples of `width` values, numbered from 1. */
  tuples(rows: number, width: number): string {
    const parts: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r += 1) {
      const values: string[] = [];
      for (let c = 0; c < width; c += 1) values.push(this.dialect === 'sqlite' ? '?' : `$${(n += 1)}`);
      parts.push(`(${values.join(', ')})`);
    }
    return parts.join(', ');
  }

  selectColumns(table: CompiledTable): string {
    return table.columns
      .map((column) =>
        // jsonb comes back parsed by node-postgres, which cannot tell the JSON string "x" from text; as
        // text it always goes through JSON.parse, the same as SQLite.
        this.dialect === 'postgres' && column.type === 'json'
          ? `CAST(${quoteIdentifier(column.column)} AS TEXT) AS ${quoteIdentifier(column.column)}`
          : quoteIdentifier(column.column),
      )
      .join(', ');
  }

  /** Rows whose key is one of `keys` keys (SQLite: a row-value IN takes a VALUES list, not a tuple list). */
  selectByKeys(table: CompiledTable, keys: number): string {
    return `SELECT ${this.selectColumns(table)} FROM ${this.table(table.name)} WHERE ${this.keyMatch(table, keys)}`;
  }

  deleteByKeys(table: CompiledTable, keys: number): string {
    return `DELETE FROM ${this.table(table.name)} WHERE ${this.keyMatch(table, keys)}`;
  }

  /** Every row in key order: dumps for tests and audits. */
  selectAll(table: CompiledTable): string {
    const order = table.keyColumns.map((c) => quoteIdentifier(c.column)).join(', ');
    return `SELECT ${this.selectColumns(table)} FROM ${this.table(table.name)} ORDER BY ${order}`;
  }

  upsert(table: CompiledTable, rows: number): string {
    const set = table.valueColumns.map(
      (c) => `${quoteIdentifier(c.column)} = excluded.${quoteIdentifier(c.column)}`,
    );
    return this.insert(table, rows, set.length > 0 ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING');
  }

  /** Insert with defaults, or add `deltas` to the existing row. */
  increment(table: CompiledTable, deltas: readonly CompiledColumn[], rows: number): string {
    if (deltas.length === 0) return this.insert(table, rows, 'DO NOTHING');
    const set = deltas.map((c) => {
      const name = quoteIdentifier(c.column);
      return `${name} = COALESCE(cur.${name}, 0) + excluded.${name}`;
    });
    return this.insert(table, rows, `DO UPDATE SET ${set.join(', ')}`);
  }

  private insert(table: CompiledTable, rows: number, onConflict: string): string {
    const columns = table.columns.map((c) => quoteIdentifier(c.column)).join(', ');
    const keys = table.keyColumns.map((c) => quoteIdentifier(c.column)).join(', ');
    return (
      `INSERT INTO ${this.table(table.name)} AS cur (${columns}) VALUES ${this.tuples(rows, table.columns.length)} ` +
      `ON CONFLICT (${keys}) ${onConflict}`
    );
  }

  private keyMatch(table: CompiledTable, keys: number): string {
    const names = table.keyColumns.map((c) => quoteIdentifier(c.column));
    if (keys === 1) {
      const tuple = this.tuples(1, names.length).slice(1, -1).split(', ');
      return names.map((name, i) => `${name} = ${tuple[i]}`).join(' AND ');
    }
    if (names.length === 1) return `${names[0]} IN (${this.tuples(keys, 1).replace(/[()]/g, '')})`;
    return `(${names.join(', ')}) IN (VALUES ${this.tuples(keys, names.length)})`;
  }
}
