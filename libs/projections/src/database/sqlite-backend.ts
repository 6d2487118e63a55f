import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { incrementSignature, type Increment, type RowValues, type TableChanges } from '../runner/row-changes';
import type { CompiledColumn, CompiledTable } from '../runner/table';
import {
  CHECKPOINT_TABLE,
  LEASE_TABLE,
  LeaseLost,
  checkGenerations,
  progressByName,
  encodeFailure,
  type BatchCommit,
  type ShadowPair,
  type StoredProgress,
  type SwapOutcome,
  type SwapRequest,
  type Fence,
  type LeaseHolder,
  type LeaseRecord,
  type ReadModelBackend,
} from './backend';
import { decodeRow, encodeValue, toBigint } from './codec';
import { SqlBuilder } from './sql';

type Row = Record<string, unknown>;

const LOAD_GROUPS = [256, 64, 16, 4, 1];
/**
 * Settings of the connection while a rebuild replays the log into emptied tables (`beginRebuild`): a page
 * cache large enough for the tables' B-trees (a replay touches rows of every batch ever made, in no key
 * order, which an 8 MB cache turns into constant re-reads), and WAL checkpoints every 256 MB instead of
 * every 4 MB (each checkpoint is an fsync). `synchronous` stays NORMAL: commits survive a crash of the
 * process, as always. See docs/performance.md.
 */
const REBUILD_CACHE_KIB = 512 * 1024;
const REBUILD_WAL_AUTOCHECKPOINT_PAGES = 65_536;

/**
 * SQLite through the DataSource's own better-sqlite3 connection. Every batch is one synchronous
 * `BEGIN IMMEDIATE … COMMIT`: no other JavaScript runs while it is open (so nothing reads half a batch on
 * this connection), and another process's writer waits on the file lock.
 */
export class SqliteReadModelBackend implements ReadModelBackend {
  readonly kind = 'sqlite' as const;
  private readonly sql = new SqlBuilder('sqlite');
  private readonly statements = new Map<string, Database.Statement<unknown[], Row>>();
  private readonly incrementStatements = new Map<string, Database.Statement<unknown[], Row>>();
  private readonly commitTransaction: (batch: BatchCommit) => void;
  private readonly resetTransaction: (
    fence: Fence,
    tables: readonly CompiledTable[],
    projections: readonly string[],
  ) => void;

  constructor(private readonly db: Database.Database) {
    this.commitTransaction = db.transaction((batch: BatchCommit) =>
      this.commitInTransaction(batch),
    ).immediate;
    this.resetTransaction = db.transaction(
      (fence: Fence, tables: readonly CompiledTable[], projections: readonly string[]) => {
        this.checkFence(fence);
        for (const table of tables) this.statement(`DELETE FROM ${this.sql.table(table.name)}`).run();
        const forget = this.statement(`DELETE FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = ?`);
        // (the failure and generation go with the row)
        for (const name of projections) forget.run(name);
      },
    ).immediate;
  }

  static fromDataSource(dataSource: DataSource): SqliteReadModelBackend {
    // TypeORM's better-sqlite3 driver keeps one connection; using it directly skips TypeORM's per-query
    // overhead (async wrapper, logging, statement FIFO) on the hot path.
    const driver = dataSource.driver as unknown as { databaseConnection?: Database.Database };
    if (!driver.databaseConnection)
      throw new Error('The read-model DataSource is not an initialized better-sqlite3 one');
    return new SqliteReadModelBackend(driver.databaseConnection);
  }

  async load(table: CompiledTable, keys: readonly RowValues[]): Promise<RowValues[]> {
    const rows: RowValues[] = [];
    let offset = 0;
    // Keys go in groups of LOAD_GROUPS sizes, so a handful of prepared statements serve any count.
    for (const size of LOAD_GROUPS) {
      while (keys.length - offset >= size) {
        const select = this.statement(this.sql.selectByKeys(table, size));
        const values: unknown[] = [];
        for (let i = offset; i < offset + size; i += 1) values.push(...this.keyValues(table, keys[i]));
        for (const raw of select.all(...values)) rows.push(decodeRow(table, raw));
        offset += size;
      }
    }
    return rows;
  }

  async readCheckpoints(): Promise<Map<string, bigint>> {
    const rows = this.statement(`SELECT name, position FROM ${this.sql.table(CHECKPOINT_TABLE)}`).all();
    return new Map(rows.map((row) => [String(row.name), toBigint(row.position)]));
  }

  async readProgress(): Promise<Map<string, StoredProgress>> {
    const rows = this.statement(
      `SELECT name, position, generation, version, failure FROM ${this.sql.table(CHECKPOINT_TABLE)}`,
    ).all();
    return progressByName(rows);
  }

  async commit(batch: BatchCommit): Promise<void> {
    this.assertNoOpenTransaction();
    this.commitTransaction(batch);
  }

  async beginRebuild(): Promise<() => Promise<void>> {
    const saved = {
      cacheSize: this.db.pragma('cache_size', { simple: true }) as number,
      autocheckpoint: this.db.pragma('wal_autocheckpoint', { simple: true }) as number,
    };
    this.db.pragma(`cache_size = -${REBUILD_CACHE_KIB}`);
    this.db.pragma(`wal_autocheckpoint = ${REBUILD_WAL_AUTOCHECKPOINT_PAGES}`);
    return async () => {
      this.db.pragma(`cache_size = ${Number(saved.cacheSize)}`);
      this.db.pragma(`wal_autocheckpoint = ${Number(saved.autocheckpoint)}`);
      // Fold the rebuild's WAL back into the file now (and shrink the cache: its pages are released).
      this.db.pragma('wal_checkpoint(RESTART)');
    };
  }

  async createShadows(pairs: readonly ShadowPair[]): Promise<void> {
    this.assertNoOpenTransaction();
    this.db.transaction(() => {
      for (const { live, shadow } of pairs) {
        this.db.exec(`DROP TABLE IF EXISTS ${this.sql.table(shadow.name)}`);
        const row = this.db
          .prepare<[string], { sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
          .get(live.name);
        if (!row) throw new Error(`Read-model table ${live.name} does not exist: is its migration listed?`);
        // The live table's own CREATE statement under the shadow's name; its indexes come at the swap, so
        // the replay inserts into bare B-trees.
        const create = row.sql.replace(/^CREATE TABLE\s+("?)[a-z0-9_]+\1/i, `CREATE TABLE ${this.sql.table(shadow.name)}`);
        this.db.exec(create);
      }
    }).immediate();
  }

  async dropShadows(pairs: readonly ShadowPair[]): Promise<void> {
    this.assertNoOpenTransaction();
    for (const { shadow } of pairs) this.db.exec(`DROP TABLE IF EXISTS ${this.sql.table(shadow.name)}`);
  }

  async swap(request: SwapRequest): Promise<SwapOutcome> {
    this.assertNoOpenTransaction();
    // BEGIN IMMEDIATE takes the write lock: no live commit runs meanwhile, and readers in WAL mode keep
    // reading the old tables until this commits, then the new ones: never an empty or half-built one.
    return this.db.transaction((): SwapOutcome => {
      const names = request.projections.map((p) => p.name);
      const live = this.statement(`SELECT name, position FROM ${this.sql.table(CHECKPOINT_TABLE)}`).all();
      let behind = 0n;
      for (const row of live) {
        if (names.includes(String(row.name)) && toBigint(row.position) > request.position)
          behind = toBigint(row.position) > behind ? toBigint(row.position) : behind;
      }
      if (behind > 0n) return { swapped: false, behind };
      for (const projection of request.projections) {
        for (const { live: table, shadow } of projection.tables) {
          const indexes = this.db
            .prepare<[string], { sql: string }>(
              `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
            )
            .all(table.name);
          this.db.exec(`DROP TABLE ${this.sql.table(table.name)}`);
          this.db.exec(`ALTER TABLE ${this.sql.table(shadow.name)} RENAME TO ${this.sql.table(table.name)}`);
          for (const index of indexes) this.db.exec(index.sql);
        }
        this.statement(
          `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} (name, position, updated_at, version, generation, failure)
           VALUES (?, ?, CURRENT_TIMESTAMP, ?, 1, NULL)
           ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at,
             version = excluded.version, generation = generation + 1, failure = NULL`,
        ).run(projection.name, request.position, projection.version);
        this.statement(`DELETE FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = ?`).run(projection.shadowCheckpoint);
      }
      return { swapped: true };
    }).immediate();
  }

  async reset(fence: Fence, tables: readonly CompiledTable[], projections: readonly string[]): Promise<void> {
    this.assertNoOpenTransaction();
    this.resetTransaction(fence, tables, projections);
  }

  async acquireLease(
    lease: string,
    owner: string,
    now: number,
    expiresAt: number,
    takeFrom?: LeaseHolder,
  ): Promise<bigint | undefined> {
    // all(), not get(): with RETURNING, SQLite hands out the row before the statement has committed, and
    // get() stops there — on a full disk the commit then fails unseen and get() reports a lease that was
    // never stored. all() steps to the end, so the failure is thrown.
    const rows = this.statement(
      `INSERT INTO ${this.sql.table(LEASE_TABLE)} AS cur (name, owner, token, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = cur.token + 1, expires_at = excluded.expires_at
       WHERE cur.expires_at <= ? OR (cur.owner = ? AND cur.token = ?) RETURNING token`,
    ).all(lease, owner, expiresAt, now, takeFrom?.owner ?? null, takeFrom?.token ?? null);
    return rows.length > 0 ? toBigint(rows[0].token) : undefined;
  }

  async renewLease(lease: string, owner: string, token: bigint, expiresAt: number): Promise<boolean> {
    return this.renew(lease, owner, token, expiresAt);
  }

  async releaseLease(lease: string, owner: string, token: bigint): Promise<void> {
    this.statement(
      `UPDATE ${this.sql.table(LEASE_TABLE)} SET expires_at = 0 WHERE name = ? AND owner = ? AND token = ?`,
    ).run(lease, owner, token);
  }

  async readLease(lease: string): Promise<LeaseRecord | undefined> {
    const row = this.statement(
      `SELECT owner, token, expires_at FROM ${this.sql.table(LEASE_TABLE)} WHERE name = ?`,
    ).get(lease);
    return row
      ? { owner: String(row.owner), token: toBigint(row.token), expiresAt: Number(row.expires_at) }
      : undefined;
  }

  async dump(table: CompiledTable): Promise<Record<string, unknown>[]> {
    return this.statement(this.sql.selectAll(table))
      .all()
      .map((raw) => decodeRow(table, raw));
  }

  private commitInTransaction(batch: BatchCommit): void {
    this.checkFence(batch.fence);
    if (batch.generations) {
      const rows = this.statement(`SELECT name, generation FROM ${this.sql.table(CHECKPOINT_TABLE)}`).all();
      checkGenerations(batch.generations, new Map(rows.map((r) => [String(r.name), Number(r.generation)])));
    }
    for (const change of batch.changes) this.writeChanges(change);
    batch.beforeCheckpoint?.();
    const save = this.statement(
      `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} (name, position, updated_at, version) VALUES (?, ?, CURRENT_TIMESTAMP, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    for (const [name, position] of batch.checkpoints) save.run(name, position, batch.versions?.get(name) ?? 1);
    if (batch.failures) {
      const record = this.statement(
        `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} (name, position, updated_at, version, failure) VALUES (?, ?, CURRENT_TIMESTAMP, ?, ?)
         ON CONFLICT (name) DO UPDATE SET failure = excluded.failure, updated_at = excluded.updated_at`,
      );
      for (const [name, { position, failure }] of batch.failures)
        record.run(name, position, batch.versions?.get(name) ?? 1, failure ? encodeFailure(failure) : null);
    }
  }

  private writeChanges(change: TableChanges): void {
    // One single-row statement per row, prepared once: in-process, binding a row's values and stepping
    // SQLite once is faster per row than multi-row VALUES lists (figures: docs/performance.md).
    const { table } = change;
    if (change.deletes.length > 0) {
      const remove = this.statement(this.sql.deleteByKeys(table, 1));
      for (const key of change.deletes) remove.run(this.keyValues(table, key));
    }
    if (change.upserts.length > 0) {
      const upsert = this.statement(this.sql.upsert(table, 1));
      for (const row of change.upserts) upsert.run(this.rowValues(table, row));
    }
    for (const increment of change.increments) {
      this.incrementStatement(table, incrementSignature(increment), increment).run(
        this.rowValues(table, increment.insertRow),
      );
    }
  }

  private incrementStatement(
    table: CompiledTable,
    signature: string,
    increment: Increment,
  ): Database.Statement<unknown[], Row> {
    const key = `${table.name}:${signature}`;
    let statement = this.incrementStatements.get(key);
    if (!statement) {
      const deltas = Object.keys(increment.delta).map((p) => table.byProperty.get(p) as CompiledColumn);
      statement = this.statement(this.sql.increment(table, deltas, 1));
      this.incrementStatements.set(key, statement);
    }
    return statement;
  }

  private checkFence(fence: Fence): void {
    if (!this.renew(fence.lease, fence.owner, fence.token, fence.renewTo)) {
      throw new LeaseLost(fence.lease, fence.owner, fence.token);
    }
  }

  private renew(lease: string, owner: string, token: bigint, expiresAt: number): boolean {
    const result = this.statement(
      `UPDATE ${this.sql.table(LEASE_TABLE)} SET expires_at = ? WHERE name = ? AND owner = ? AND token = ?`,
    ).run(expiresAt, lease, owner, token);
    return result.changes === 1;
  }

  private keyValues(table: CompiledTable, key: RowValues): unknown[] {
    const values: unknown[] = [];
    for (const column of table.keyColumns) values.push(encodeValue('sqlite', column, key[column.property]));
    return values;
  }

  private rowValues(table: CompiledTable, row: RowValues): unknown[] {
    const values: unknown[] = [];
    for (const column of table.columns) values.push(encodeValue('sqlite', column, row[column.property]));
    return values;
  }

  private assertNoOpenTransaction(): void {
    // better-sqlite3 would nest our transaction as a savepoint of someone else's open one (a TypeORM
    // transaction awaiting I/O on this connection), tying our commit to theirs.
    if (this.db.inTransaction)
      throw new Error('The read-model SQLite connection is inside another transaction');
  }

  private statement(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], Row>(sql);
      if (statement.reader) statement.safeIntegers(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
