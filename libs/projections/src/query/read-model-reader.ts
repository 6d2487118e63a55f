import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { CHECKPOINT_TABLE } from '../database/backend';
import { decodeRow, toBigint, type Dialect } from '../database/codec';
import { SqlBuilder } from '../database/sql';
import { compileTable, type RowOf, type TableDefinition } from '../runner/table';

/**
 * The one reader of every query service (trace, manifests, indicators, inventory, alerts) over the
 * read-model DataSource, with the value helpers they share (`./values.ts`) and read scopes and paging
 * (`./read-scope.ts`).
 *
 * Two ways to read:
 * - `select` / `query`: one statement, `?` placeholders (numbered for PostgreSQL here), typed rows through a
 *   table definition with `select`. Each statement sees a committed state; a checkpoint read before them
 *   (`checkpoint`) is one that the rows reflect at least.
 * - `snapshot`: several statements with `:name` placeholders against one consistent snapshot, so figures
 *   and the checkpoint they are reported at always agree — on PostgreSQL one `REPEATABLE READ, READ ONLY`
 *   transaction; on SQLite one read transaction.
 *
 * On SQLite every statement runs on the DataSource's own better-sqlite3 connection, prepared once and run
 * synchronously: the runner's batch transactions are synchronous on that same connection, so a read never
 * sees half a batch and no batch lands between the statements of a snapshot (WAL gives the snapshot
 * against other processes).
 */
export type SqlRow = Record<string, unknown>;

/** A read statement with `:name` placeholders (no `::` casts, no colons in literals). */
export interface SnapshotStatement {
  readonly sql: string;
  readonly params?: Readonly<Record<string, string | number | bigint | null>>;
}

const PLACEHOLDER = /(?<![:\w]):([A-Za-z_]\w*)/g;
const MAX_CACHED_STATEMENTS = 200;

export class ReadModelReader {
  readonly dialect: Dialect;
  private readonly sql: SqlBuilder;
  private readonly sqlite?: Database.Database;
  private readonly statements = new Map<string, Database.Statement<unknown[], SqlRow>>();

  constructor(private readonly dataSource: DataSource) {
    const options = dataSource.options;
    if (options.type === 'better-sqlite3') {
      this.dialect = 'sqlite';
      this.sql = new SqlBuilder('sqlite');
      const driver = dataSource.driver as unknown as { databaseConnection?: Database.Database };
      if (!driver.databaseConnection) throw new Error('The read-model DataSource is not initialized');
      this.sqlite = driver.databaseConnection;
    } else if (options.type === 'postgres') {
      this.dialect = 'postgres';
      this.sql = new SqlBuilder('postgres', options.schema);
    } else {
      throw new Error(`Read models on ${options.type} are not supported`);
    }
  }

  /** The quoted (and on PostgreSQL schema-qualified) name of a read-model table. */
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

  /**
   * The rows of `table` whose `column` is one of `values`, asked 500 values at a time (well below either
   * database's limit on parameters); `narrow.where` (with `narrow.params` for its `?`s) narrows each ask and
   * `narrow.orderBy` orders the rows of each.
   */
  async selectIn<D extends TableDefinition>(
    table: D,
    column: string,
    values: readonly unknown[],
    narrow: { readonly where?: string; readonly params?: readonly unknown[]; readonly orderBy?: string } = {},
  ): Promise<RowOf<D>[]> {
    const found: RowOf<D>[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      const condition = `${column} IN (${chunk.map(() => '?').join(', ')})`;
      const where = narrow.where ? `${narrow.where} AND ${condition}` : condition;
      const order = narrow.orderBy ? ` ORDER BY ${narrow.orderBy}` : '';
      found.push(
        ...(await this.select(table, `WHERE ${where}${order}`, [...(narrow.params ?? []), ...chunk])),
      );
    }
    return found;
  }

  /**
   * What access checks need about many keys: the projection's checkpoint, read first, then `entry` of each
   * row of `table` whose `column` is one of `keys`, by key (every row written up to the checkpoint is there).
   */
  async accessByKey<D extends TableDefinition, A>(
    projection: string,
    table: D,
    column: string,
    keys: readonly string[],
    entry: (row: RowOf<D>) => readonly [string, A],
  ): Promise<{ checkpoint: bigint; access: Map<string, A> }> {
    const checkpoint = await this.checkpoint(projection);
    const rows = await this.selectIn(table, column, [...new Set(keys)]);
    return { checkpoint, access: new Map(rows.map(entry)) };
  }

  /** One statement with `?` placeholders; booleans and bigints as parameters work on both databases. */
  async query(text: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
    if (this.sqlite) return this.statement(this.sqlite, text).all(...params.map(sqliteParam));
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${(n += 1)}`);
    return (await this.dataSource.query(numbered, params.map(postgresParam))) as SqlRow[];
  }

  /** A projection's checkpoint: every event up to it is in its tables (0 before its first batch). */
  async checkpoint(projection: string): Promise<bigint> {
    const rows = await this.query(`SELECT position FROM ${this.table(CHECKPOINT_TABLE)} WHERE name = ?`, [
      projection,
    ]);
    return rows.length === 0 ? 0n : toBigint(rows[0].position);
  }

  /** For `snapshot`: one projection's checkpoint as text (0 when it has none yet), as a single row `position`. */
  checkpointStatement(projection: string): SnapshotStatement {
    return {
      sql: `SELECT CAST(COALESCE(MAX(position), 0) AS TEXT) AS position FROM ${this.table(CHECKPOINT_TABLE)} WHERE name = :projection`,
      params: { projection },
    };
  }

  /** Runs the statements against one snapshot; returns their rows in order. */
  async snapshot(statements: readonly SnapshotStatement[]): Promise<SqlRow[][]> {
    if (this.sqlite) {
      const db = this.sqlite;
      const prepared = statements.map((s) => ({ statement: this.statement(db, s.sql), params: bindable(s) }));
      // A deferred transaction: the snapshot starts at the first read and holds to the end.
      return db.transaction(() => prepared.map(({ statement, params }) => statement.all(params)))();
    }
    const runner = this.dataSource.createQueryRunner('slave');
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      try {
        const results: SqlRow[][] = [];
        for (const statement of statements) {
          const { sql, values } = toPostgres(statement);
          results.push((await runner.query(sql, values)) as SqlRow[]);
        }
        await runner.query('COMMIT');
        return results;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private statement(db: Database.Database, text: string): Database.Statement<unknown[], SqlRow> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = db.prepare<unknown[], SqlRow>(text);
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

/** better-sqlite3 wants exactly the named parameters the statement uses. */
function bindable(statement: SnapshotStatement): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const match of statement.sql.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!statement.params || !(name in statement.params)) throw new Error(`No value for :${name}`);
    params[name] = statement.params[name];
  }
  return params;
}

function toPostgres(statement: SnapshotStatement): { sql: string; values: unknown[] } {
  const index = new Map<string, number>();
  const values: unknown[] = [];
  const sql = statement.sql.replace(PLACEHOLDER, (_all, name: string) => {
    if (!statement.params || !(name in statement.params)) throw new Error(`No value for :${name}`);
    let n = index.get(name);
    if (n === undefined) {
      const value = statement.params[name];
      values.push(typeof value === 'bigint' ? value.toString() : value);
      n = values.length;
      index.set(name, n);
    }
    return `$${n}`;
  });
  return { sql, values };
}
