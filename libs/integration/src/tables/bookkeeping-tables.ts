import type { DataSource } from 'typeorm';
import { quoteIdentifier } from '@wasteflow/projections';

export type Row = Record<string, unknown>;
/** The pool (DataSource) or one connection (QueryRunner). */
export type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * Bookkeeping tables beside the log in the read-model database that no projection owns (the webhooks' of
 * ADR 0012, the import jobs' of ADR 0008): named in the read models' schema, queried with `?` placeholders
 * on SQLite and PostgreSQL alike, and created by whichever process starts first. The base of their stores.
 */
export abstract class BookkeepingTables {
  protected readonly postgres: boolean;
  private readonly schema?: string;

  constructor(protected readonly db: DataSource) {
    this.postgres = db.options.type === 'postgres';
    this.schema = this.postgres ? (db.options as { schema?: string }).schema : undefined;
  }

  /** A table's quoted name, in the read models' schema on PostgreSQL. */
  protected t(table: string): string {
    return this.schema ? `${quoteIdentifier(this.schema)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
  }

  /** `?` placeholders on both databases; on the pool, or on one connection (`on`). */
  protected async q(text: string, params: readonly unknown[] = [], on: Queryable = this.db): Promise<Row[]> {
    let n = 0;
    const sql = this.postgres ? text.replace(/\?/g, () => `$${++n}`) : text;
    const result = (await on.query(sql, params as unknown[])) as Row[] | undefined;
    return Array.isArray(result) ? result : [];
  }

  /**
   * Runs `create` (its `CREATE … IF NOT EXISTS`) one process at a time. The api and apps/projector may start
   * together on a new database, where a PostgreSQL `CREATE … IF NOT EXISTS` racing its twin fails (23505 on
   * the catalogue's unique index): on PostgreSQL under the advisory lock `lock` (per schema), as the read
   * models' migrations are; SQLite has one writer.
   */
  protected async createOnce(lock: string, create: (on: Queryable) => Promise<void>): Promise<void> {
    if (!this.postgres) return create(this.db);
    const runner = this.db.createQueryRunner('master');
    await runner.connect();
    const key = `${lock}.${this.schema ?? ''}`;
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        await create(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
