import type { DataSource } from 'typeorm';
import type { Increment, RowValues, TableChanges } from '../runner/row-changes';
import type { CompiledColumn, CompiledTable } from '../runner/table';
import { encodeValue } from './codec';
import { quoteIdentifier } from './migration-helpers';
import type { SqlBuilder } from './sql';

type Row = Record<string, unknown>;
/**
 * One row statement of a batch, its parameters encoded: one PostgreSQL array literal per column (text such
 * as `{"a","b",NULL}`), so that sending it inside the transaction is copying text to the socket.
 */
export interface RowStatement {
  readonly sql: string;
  readonly parameters: string[];
}

/**
 * The values of one column as a PostgreSQL array literal, written as node-postgres writes a JS array
 * parameter (each element quoted and escaped, NULL for null): the same text on the wire, but made before the
 * transaction opens. node-postgres would make it while sending each statement, on the event loop, between
 * the answer to the previous statement and this one — time the server counts as idle in the transaction
 * (up to 0.1 s per statement of a 20000-event batch on an idle machine; many times that on a loaded one).
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      elements[i] = 'NULL';
      continue;
    }
    const text = String(value);
    elements[i] = NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
  }
  return `{${elements.join(',')}}`;
}

/** Inside a quoted array element, a backslash and a double quote are escaped by a backslash. */
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function columnLiteral(column: CompiledColumn, rows: readonly RowValues[]): string {
  return arrayLiteral(rows.map((row) => encodeValue('postgres', column, row[column.property])));
}

/**
 * The row statements of the PostgreSQL read-model backend (postgres-backend.ts holds the transactions,
 * leases and swaps around them).
 *
 * Rows travel as one array per column (`INSERT … SELECT * FROM unnest($1::text[], $2::bigint[], …)`):
 * one short statement whatever the row count, which PostgreSQL parses and plans once and node-postgres
 * serializes quickly, where a multi-row VALUES list costs a bound parameter per value.
 */
export class PostgresRows {
  /** Column name → SQL type (as `format_type` spells it), per table, read from the catalog once. */
  private readonly columnTypes = new Map<string, Promise<Map<string, string>>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly sql: SqlBuilder,
  ) {}

  /** Forgets what the catalog said of a table (it was dropped, renamed or swapped). */
  forget(table: string): void {
    this.columnTypes.delete(table);
  }

  /**
   * A table's changes as the statements that write them, every value encoded: built before a batch's
   * transaction opens, so the transaction only sends them one after the other (no encoding between two
   * statements, where a loaded host's pauses would count against `idleInTransactionMs`).
   */
  async statements(change: TableChanges): Promise<RowStatement[]> {
    const { table } = change;
    const statements: RowStatement[] = [];
    if (change.deletes.length > 0) {
      const { match, parameters } = await this.keyMatch(table, change.deletes);
      statements.push({ sql: `DELETE FROM ${this.sql.table(table.name)} WHERE ${match}`, parameters });
    }
    if (change.upserts.length > 0) {
      const set = table.valueColumns.map(
        (c) => `${quoteIdentifier(c.column)} = excluded.${quoteIdentifier(c.column)}`,
      );
      statements.push(
        await this.insertRows(table, change.upserts, set.length > 0 ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING'),
      );
    }
    const bySignature = new Map<string, Increment[]>();
    for (const increment of change.increments) {
      const signature = Object.keys(increment.delta).join(',');
      const group = bySignature.get(signature);
      if (group) group.push(increment);
      else bySignature.set(signature, [increment]);
    }
    for (const [signature, group] of bySignature) {
      const deltas =
        signature === '' ? [] : signature.split(',').map((p) => table.byProperty.get(p) as CompiledColumn);
      const set = deltas.map((c) => {
        const name = quoteIdentifier(c.column);
        return `${name} = COALESCE(cur.${name}, 0) + excluded.${name}`;
      });
      statements.push(
        await this.insertRows(
          table,
          group.map((increment) => increment.insertRow),
          set.length > 0 ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING',
        ),
      );
    }
    return statements;
  }

  private async insertRows(table: CompiledTable, rows: readonly RowValues[], onConflict: string): Promise<RowStatement> {
    const types = await this.types(table);
    const columns = table.columns.map((c) => quoteIdentifier(c.column)).join(', ');
    const arrays = table.columns.map((c, i) => `$${i + 1}::${types.get(c.column)}[]`).join(', ');
    const keys = table.keyColumns.map((c) => quoteIdentifier(c.column)).join(', ');
    return {
      sql: `INSERT INTO ${this.sql.table(table.name)} AS cur (${columns}) SELECT * FROM unnest(${arrays}) ON CONFLICT (${keys}) ${onConflict}`,
      parameters: table.columns.map((column) => columnLiteral(column, rows)),
    };
  }

  async keyMatch(
    table: CompiledTable,
    keys: readonly RowValues[],
  ): Promise<{ match: string; parameters: string[] }> {
    const types = await this.types(table);
    const parameters = table.keyColumns.map((column) => columnLiteral(column, keys));
    if (table.keyColumns.length === 1) {
      const [column] = table.keyColumns;
      return {
        match: `${quoteIdentifier(column.column)} = ANY($1::${types.get(column.column)}[])`,
        parameters,
      };
    }
    const names = table.keyColumns.map((c) => quoteIdentifier(c.column)).join(', ');
    const arrays = table.keyColumns.map((c, i) => `$${i + 1}::${types.get(c.column)}[]`).join(', ');
    return { match: `(${names}) IN (SELECT * FROM unnest(${arrays}))`, parameters };
  }

  /** The table's SQL column types, checked against its definition: a missing column fails here, clearly. */
  types(table: CompiledTable): Promise<Map<string, string>> {
    let types = this.columnTypes.get(table.name);
    if (!types) {
      types = this.readTypes(table);
      this.columnTypes.set(table.name, types);
      types.catch(() => this.columnTypes.delete(table.name));
    }
    return types;
  }

  private async readTypes(table: CompiledTable): Promise<Map<string, string>> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a
        WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [`${quoteIdentifier(this.schema)}.${quoteIdentifier(table.name)}`],
    );
    const types = new Map(rows.map((row) => [String(row.name), String(row.type)]));
    const missing = table.columns.filter((c) => !types.has(c.column)).map((c) => c.column);
    if (missing.length > 0) {
      throw new Error(
        `Read-model table ${this.schema}.${table.name} ${types.size === 0 ? 'does not exist' : `lacks column(s) ${missing.join(', ')}`}: is its migration listed?`,
      );
    }
    return types;
  }
}
