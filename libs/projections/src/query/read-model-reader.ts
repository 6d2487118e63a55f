import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { CHECKPOINT_TABLE } from '../database/backend';
import { decodeRow, toBigint, type Dialect } from '../database/codec';
import { SqlBuilder } from '../database/sql';
import { compileTable, type RowOf, type TableDefinition } from '../runner/table';

type RawRow = Record<string, unknown>;

const MAX_CACHED_STATEMENTS = 200;

/**
 * Reads for query services over the read-model DataSource, typed by the projections' table definitions.
 * SQL is written with `?` placeholders (numbered for PostgreSQL here); `{table}` names are qualified by
 * `table()`. On SQLite the statements run on the DataSource's own better-sqlite3 connection, prepared once,
 * synchronously: the runner's batch transactions are synchronous on that same connection, so a read never
 * sees half a batch, and two reads issued together see the same state.
 */
export class ReadModelReader {
  readonly dialect: Dialect;
  private readonly sql: SqlBuilder;
  private readonly db?: Database.Database;
  private readonly statements = new Map<string, Database.Statement<unknown[], RawRow>>();

  constructor(private readonly dataSource: DataSource) {
    const options = dataSource.options;
    if (options.type === 'better-sqlite3') {
      this.dialect = 'sqlite';
      this.sql = new SqlBuilder('sqlite');
      const driver = dataSource.driver as unknown as { databaseConnection?: Database.Database };
      this.db = driver.databaseConnection;
    } else if (options.type === 'postgres') {
      this.dialect = 'postgres';
      this.sql = new SqlBuilder('postgres', options.schema);
    } else {
      throw new Error(`Read models on ${options.type} are not supported`);
    }
  }

  /** The qualified, quoted name of a read-model table. */
  table(name: string | TableDefinition): string {
    return this.sql.table(typeof name === 'string' ? name : name.name);
  }

  /** `SELECT <every column of table> FROM table <rest>`, decoded into typed rows. */
  async select<D extends TableDefinition>(
    table: D,
    rest: string,
    params: readonly unknown[] = [],
  ): Promise<RowOf<D>[]> {
    const compiled = compileTable(table);
    const raw = await this.query(
      `SELECT ${this.sql.selectColumns(compiled)} FROM ${this.table(table)} ${rest}`,
      params,
    );
    return raw.map((row) => decodeRow(compiled, row) as RowOf<D>);
  }

  /** Any query; booleans and bigints as parameters work on both databases. */
  async query(text: string, params: readonly unknown[] = []): Promise<RawRow[]> {
    if (this.db) {
      return this.statement(text).all(...params.map(sqliteParam));
    }
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${(n += 1)}`);
    return (await this.dataSource.query(numbered, params.map(postgresParam))) as RawRow[];
  }

  /** A projection's checkpoint: every event up to it is in its tables (0 before its first batch). */
  async checkpoint(projection: string): Promise<bigint> {
    const rows = await this.query(`SELECT position FROM ${this.table(CHECKPOINT_TABLE)} WHERE name = ?`, [
      projection,
    ]);
    return rows.length === 0 ? 0n : toBigint(rows[0].position);
  }

  private statement(text: string): Database.Statement<unknown[], RawRow> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = (this.db as Database.Database).prepare<unknown[], RawRow>(text);
      if (statement.reader) statement.safeIntegers(true);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      this.statements.set(text, statement);
    }
    return statement;
  }
}

function sqliteParam(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function postgresParam(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Grams (as the read models keep them) → kilograms with at most 3 decimals. */
export function kgOf(grams: bigint | number): number {
  const n = typeof grams === 'bigint' ? grams : BigInt(grams);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const kg = Number(`${abs / 1000n}.${String(abs % 1000n).padStart(3, '0')}`);
  return negative ? -kg : kg;
}
