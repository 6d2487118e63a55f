import type { DataSource, QueryRunner } from 'typeorm';
import type { RowValues } from '../runner/row-changes';
import type { CompiledTable } from '../runner/table';
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
import { decodeRow, toBigint } from './codec';
import { quoteIdentifier } from './migration-helpers';
import { PostgresRows, type RowStatement } from './postgres-rows';
import { SqlBuilder } from './sql';

type Row = Record<string, unknown>;
type Executor = Pick<QueryRunner, 'query'>;

/**
 * Time bounds on lease work. A batch transaction row-locks the lease from its first statement to its
 * commit; a holder that stalls in between (SIGSTOP, a frozen VM, a long GC pause) would hold that lock —
 * and block every takeover — for as long as it stalls. So:
 * - the server ends a batch transaction left idle longer than `idleInTransactionMs` (the stalled
 *   holder's session dies, its lock with it, its half-done batch is rolled back), shorter than a TTL so
 *   the lock is gone by the time the lease expires;
 * - a takeover waits at most `lockTimeoutMs` for the lock, then reports "not taken" and polls again;
 * - no statement of lease work runs longer than `statementTimeoutMs` (generous: a rebuild's batches are
 *   large).
 */
export interface LeaseWorkTimeouts {
  readonly lockTimeoutMs: number;
  readonly idleInTransactionMs: number;
  readonly statementTimeoutMs: number;
}

export const DEFAULT_LEASE_WORK_TIMEOUTS: LeaseWorkTimeouts = {
  lockTimeoutMs: 2_000,
  idleInTransactionMs: 5_000,
  statementTimeoutMs: 60_000,
};

/** SQLSTATEs of a bounded wait that ran out: lock_not_available, query_canceled (statement timeout). */
const WAIT_RAN_OUT = new Set(['55P03', '57014']);

/**
 * PostgreSQL through the DataSource's pool. A batch is one transaction on one connection: the fencing
 * UPDATE first (it row-locks the lease, so a takeover waits until we are done), the row changes, then
 * the checkpoints. The row statements themselves (one array per column) are postgres-rows.ts.
 */
export class PostgresReadModelBackend implements ReadModelBackend {
  readonly kind = 'postgres' as const;
  private readonly sql: SqlBuilder;
  private readonly rows: PostgresRows;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly timeouts: LeaseWorkTimeouts = DEFAULT_LEASE_WORK_TIMEOUTS,
  ) {
    this.sql = new SqlBuilder('postgres', schema);
    this.rows = new PostgresRows(dataSource, schema, this.sql);
  }

  static fromDataSource(
    dataSource: DataSource,
    timeouts: LeaseWorkTimeouts = DEFAULT_LEASE_WORK_TIMEOUTS,
  ): PostgresReadModelBackend {
    const options = dataSource.options;
    if (options.type !== 'postgres' || !options.schema) {
      throw new Error('The read-model DataSource is not a PostgreSQL one with a schema');
    }
    return new PostgresReadModelBackend(dataSource, options.schema, timeouts);
  }

  async load(table: CompiledTable, keys: readonly RowValues[]): Promise<RowValues[]> {
    if (keys.length === 0) return [];
    const { match, parameters } = await this.rows.keyMatch(table, keys);
    const raw: Row[] = await this.dataSource.query(
      `SELECT ${this.sql.selectColumns(table)} FROM ${this.sql.table(table.name)} WHERE ${match}`,
      parameters,
    );
    return raw.map((row) => decodeRow(table, row));
  }

  async readCheckpoints(): Promise<Map<string, bigint>> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, position FROM ${this.sql.table(CHECKPOINT_TABLE)}`,
    );
    return new Map(rows.map((row) => [String(row.name), toBigint(row.position)]));
  }

  async readProgress(): Promise<Map<string, StoredProgress>> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, position, generation, version, failure FROM ${this.sql.table(CHECKPOINT_TABLE)}`,
    );
    return progressByName(rows);
  }

  async commit(batch: BatchCommit): Promise<void> {
    // Catalog reads and the encoding of every row happen before the transaction opens, so it holds the
    // lease's row lock only while the statements travel, none of them waiting on JavaScript work.
    const statements: RowStatement[] = [];
    for (const change of batch.changes) statements.push(...(await this.rows.statements(change)));
    await this.transaction(batch.fence, async (runner) => {
      if (batch.generations && batch.generations.size > 0) {
        // The fence above row-locked the lease, and a swap locks it first too: this read cannot race one.
        const rows: Row[] = await runner.query(
          `SELECT name, generation FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = ANY($1::text[])`,
          [[...batch.generations.keys()]],
        );
        checkGenerations(batch.generations, new Map(rows.map((r) => [String(r.name), Number(r.generation)])));
      }
      for (const statement of statements) await runner.query(statement.sql, statement.parameters);
      batch.beforeCheckpoint?.();
      if (batch.checkpoints.size > 0) {
        const names = [...batch.checkpoints.keys()];
        await runner.query(
          `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} (name, position, updated_at, version)
           SELECT name, position, CURRENT_TIMESTAMP, version FROM unnest($1::text[], $2::bigint[], $3::int[]) AS c(name, position, version)
           ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
          [names, [...batch.checkpoints.values()].map(String), names.map((n) => batch.versions?.get(n) ?? 1)],
        );
      }
      if (batch.failures && batch.failures.size > 0) {
        const names = [...batch.failures.keys()];
        const entries = [...batch.failures.values()];
        await runner.query(
          `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} (name, position, updated_at, version, failure)
           SELECT name, position, CURRENT_TIMESTAMP, version, failure
             FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[]) AS c(name, position, version, failure)
           ON CONFLICT (name) DO UPDATE SET failure = excluded.failure, updated_at = excluded.updated_at`,
          [
            names,
            entries.map((e) => e.position.toString()),
            names.map((n) => batch.versions?.get(n) ?? 1),
            entries.map((e) => (e.failure ? encodeFailure(e.failure) : null)),
          ],
        );
      }
    });
  }

  async createShadows(pairs: readonly ShadowPair[]): Promise<void> {
    for (const { live, shadow } of pairs) {
      await this.dataSource.query(`DROP TABLE IF EXISTS ${this.sql.table(shadow.name)}`);
      // Same columns, defaults, constraints and indexes; a fresh heap, as TRUNCATE gave the old rebuild.
      await this.dataSource.query(
        `CREATE TABLE ${this.sql.table(shadow.name)} (LIKE ${this.sql.table(live.name)} INCLUDING ALL)`,
      );
      this.rows.forget(shadow.name);
    }
  }

  async dropShadows(pairs: readonly ShadowPair[]): Promise<void> {
    for (const { shadow } of pairs)
      await this.dataSource.query(`DROP TABLE IF EXISTS ${this.sql.table(shadow.name)}`);
  }

  async swap(request: SwapRequest): Promise<SwapOutcome> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      await runner.connect();
      await runner.startTransaction();
      // Bounded: a reader or a stalled writer holding a lock makes the swap fail (and the rebuild retry or
      // report it), never hang behind it.
      await runner.query(`SELECT set_config('lock_timeout', '10000ms', true)`);
      // The live writer's lease row first, as its commits lock it first: the swap and a commit serialize.
      await runner.query(`SELECT 1 FROM ${this.sql.table(LEASE_TABLE)} WHERE name = $1 FOR UPDATE`, [
        request.lease,
      ]);
      const names = request.projections.map((p) => p.name);
      const live: Row[] = await runner.query(
        `SELECT name, position FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = ANY($1::text[]) FOR UPDATE`,
        [names],
      );
      let behind = 0n;
      for (const row of live)
        if (toBigint(row.position) > request.position && toBigint(row.position) > behind)
          behind = toBigint(row.position);
      if (behind > 0n) {
        await runner.rollbackTransaction();
        return { swapped: false, behind };
      }
      for (const projection of request.projections) {
        for (const { live: table, shadow } of projection.tables)
          await this.swapTable(runner, table.name, shadow.name);
        await runner.query(
          `INSERT INTO ${this.sql.table(CHECKPOINT_TABLE)} AS cur (name, position, updated_at, version, generation, failure)
           VALUES ($1, $2, CURRENT_TIMESTAMP, $3, 1, NULL)
           ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at,
             version = excluded.version, generation = cur.generation + 1, failure = NULL`,
          [projection.name, request.position.toString(), projection.version],
        );
        await runner.query(`DELETE FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = $1`, [
          projection.shadowCheckpoint,
        ]);
      }
      await runner.commitTransaction();
      for (const projection of request.projections)
        for (const { live: table, shadow } of projection.tables) {
          this.rows.forget(table.name);
          this.rows.forget(shadow.name);
        }
      return { swapped: true };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The shadow replaces the live table; its indexes take the live ones' names back (migrations name them). */
  private async swapTable(runner: QueryRunner, live: string, shadow: string): Promise<void> {
    const indexes = async (table: string): Promise<{ name: string; shape: string }[]> => {
      const rows: Row[] = await runner.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`,
        [this.schema, table],
      );
      return rows.map((row) => {
        const name = String(row.indexname);
        // The definition without its own name and table: what pairs a shadow index with a live one.
        const shape = String(row.indexdef)
          .replace(` INDEX ${name} ON `, ' INDEX ON ')
          .replace(` INDEX "${name}" ON `, ' INDEX ON ')
          .replace(new RegExp(`\\.("?)${table}\\1 USING`), '.T USING');
        return { name, shape };
      });
    };
    const before = await indexes(live);
    await runner.query(`DROP TABLE ${this.sql.table(live)}`);
    await runner.query(`ALTER TABLE ${this.sql.table(shadow)} RENAME TO ${quoteIdentifier(live)}`);
    const after = await indexes(live);
    const taken = new Set<string>();
    for (const index of after) {
      const match = before.find((b) => b.shape === index.shape && !taken.has(b.name));
      if (!match || match.name === index.name) continue;
      taken.add(match.name);
      await runner.query(
        `ALTER INDEX ${quoteIdentifier(this.schema)}.${quoteIdentifier(index.name)} RENAME TO ${quoteIdentifier(match.name)}`,
      );
    }
  }

  async reset(fence: Fence, tables: readonly CompiledTable[], projections: readonly string[]): Promise<void> {
    await this.transaction(fence, async (runner) => {
      // TRUNCATE, not DELETE: the replay then fills fresh heaps and indexes instead of ones full of dead
      // row versions. It is transactional, and locks the tables only until this short commit.
      if (tables.length > 0)
        await runner.query(`TRUNCATE ${tables.map((t) => this.sql.table(t.name)).join(', ')}`);
      await runner.query(`DELETE FROM ${this.sql.table(CHECKPOINT_TABLE)} WHERE name = ANY($1::text[])`, [
        [...projections],
      ]);
    });
  }

  async acquireLease(
    lease: string,
    owner: string,
    now: number,
    expiresAt: number,
    takeFrom?: LeaseHolder,
  ): Promise<bigint | undefined> {
    try {
      // ON CONFLICT DO UPDATE locks the row even when its WHERE is false: a holder mid-batch makes this
      // wait, at most lockTimeoutMs (then: not taken, poll again).
      const rows: Row[] = await this.bounded((runner) =>
        runner.query(
          `INSERT INTO ${this.sql.table(LEASE_TABLE)} AS cur (name, owner, token, expires_at) VALUES ($1, $2, 1, $3)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = cur.token + 1, expires_at = excluded.expires_at
           WHERE cur.expires_at <= $4 OR (cur.owner = $5 AND cur.token = $6) RETURNING token`,
          [lease, owner, expiresAt, now, takeFrom?.owner ?? null, takeFrom?.token.toString() ?? null],
        ),
      );
      return rows.length > 0 ? toBigint(rows[0].token) : undefined;
    } catch (error) {
      if (WAIT_RAN_OUT.has((error as { code?: string }).code ?? '')) return undefined;
      throw error;
    }
  }

  async renewLease(lease: string, owner: string, token: bigint, expiresAt: number): Promise<boolean> {
    return this.bounded((runner) => this.renew(runner, lease, owner, token, expiresAt));
  }

  async releaseLease(lease: string, owner: string, token: bigint): Promise<void> {
    await this.bounded((runner) =>
      runner.query(
        `UPDATE ${this.sql.table(LEASE_TABLE)} SET expires_at = 0 WHERE name = $1 AND owner = $2 AND token = $3`,
        [lease, owner, token.toString()],
      ),
    );
  }

  /** A short transaction of lease work under the bounds of LeaseWorkTimeouts. */
  private async bounded<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      await runner.connect();
      await runner.startTransaction();
      await this.boundLeaseWork(runner);
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await rollbackQuietly(runner);
      throw error;
    } finally {
      await runner.release();
    }
  }

  async readLease(lease: string): Promise<LeaseRecord | undefined> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT owner, token, expires_at FROM ${this.sql.table(LEASE_TABLE)} WHERE name = $1`,
      [lease],
    );
    if (rows.length === 0) return undefined;
    return {
      owner: String(rows[0].owner),
      token: toBigint(rows[0].token),
      expiresAt: Number(rows[0].expires_at),
    };
  }

  async dump(table: CompiledTable): Promise<Record<string, unknown>[]> {
    const rows: Row[] = await this.dataSource.query(this.sql.selectAll(table));
    return rows.map((raw) => decodeRow(table, raw));
  }

  /** A batch's transaction: lease work first renews (fences) the lease, then `work`. */
  private transaction(fence: Fence, work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    return this.bounded(async (runner) => {
      // Synchronous commit stays on. With it off, a server crash could drop a commit we were told had
      // happened while this process lives on, its in-memory checkpoint past events never written.
      if (!(await this.renew(runner, fence.lease, fence.owner, fence.token, fence.renewTo))) {
        throw new LeaseLost(fence.lease, fence.owner, fence.token);
      }
      await work(runner);
    });
  }

  /** For this transaction only (set_config's `true`): see LeaseWorkTimeouts. */
  private async boundLeaseWork(runner: Executor): Promise<void> {
    const { lockTimeoutMs, idleInTransactionMs, statementTimeoutMs } = this.timeouts;
    await runner.query(
      `SELECT set_config('lock_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $2, true),
              set_config('statement_timeout', $3, true)`,
      [`${lockTimeoutMs}ms`, `${idleInTransactionMs}ms`, `${statementTimeoutMs}ms`],
    );
  }

  private async renew(
    runner: Executor,
    lease: string,
    owner: string,
    token: bigint,
    expiresAt: number,
  ): Promise<boolean> {
    const result = await runner.query(
      `UPDATE ${this.sql.table(LEASE_TABLE)} SET expires_at = $1 WHERE name = $2 AND owner = $3 AND token = $4`,
      [expiresAt, lease, owner, token.toString()],
      true,
    );
    return result.affected === 1;
  }
}

async function rollbackQuietly(runner: QueryRunner): Promise<void> {
  if (!runner.isTransactionActive) return;
  try {
    await runner.rollbackTransaction();
  } catch {
    // The connection is gone; the server rolls back on its own. The original error is what matters.
  }
}
