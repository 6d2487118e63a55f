import type { Pool, QueryResultRow } from 'pg';
import { InvalidArgument } from '../errors';
import type { Bookkeeping, CheckpointLease, JsonObject, StoredIdempotencyRecord } from '../event-store.port';
import { leaseOf, PURGE_BATCH, type CheckpointRow } from '../internal/bookkeeping-policy';

interface RecordRow extends QueryResultRow {
  scope: string;
  key: string;
  record: JsonObject;
  recorded_at: Date;
}

/**
 * The PostgreSQL store's bookkeeping (tables idempotency_records and checkpoints of its schema, see
 * postgres-schema.ts). Records are written by the appends that carry them, in their transaction; here
 * they are read, imported and purged. Checkpoint leases: acquired when free or expired, every save and
 * release checks the fencing token (the row lock of the UPDATE orders a save against a takeover).
 */
export class PostgresBookkeeping implements Bookkeeping {
  private readonly table: { records: string; checkpoints: string };

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly ready: () => Promise<void>,
  ) {
    this.table = { records: `${schema}.idempotency_records`, checkpoints: `${schema}.checkpoints` };
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT scope, key, record, recorded_at FROM ${this.table.records} WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    return row
      ? { scope: row.scope, key: row.key, record: row.record, recordedAt: row.recorded_at }
      : undefined;
  }

  async importIdempotencyRecords(records: readonly StoredIdempotencyRecord[]): Promise<number> {
    await this.ready();
    if (records.length === 0) return 0;
    const result = await this.pool.query(
      `INSERT INTO ${this.table.records} (scope, key, record, recorded_at)
       SELECT r.scope, r.key, r.record::json, r.recorded_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS r(scope, key, record, recorded_at)
       ON CONFLICT (scope, key) DO NOTHING`,
      [
        records.map((record) => record.scope),
        records.map((record) => record.key),
        records.map((record) => JSON.stringify(record.record)),
        records.map((record) => record.recordedAt.toISOString()),
      ],
    );
    return result.rowCount ?? 0;
  }

  async purgeIdempotencyRecords(before: Date): Promise<number> {
    await this.ready();
    if (Number.isNaN(before.getTime())) throw new InvalidArgument('purge needs a valid date');
    let deleted = 0;
    for (;;) {
      // In batches: short transactions, no long lock on a busy table.
      const result = await this.pool.query(
        `DELETE FROM ${this.table.records} WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ${this.table.records} WHERE recorded_at < $1 LIMIT ${PURGE_BATCH}))`,
        [before.toISOString()],
      );
      const count = result.rowCount ?? 0;
      deleted += count;
      if (count < PURGE_BATCH) return deleted;
    }
  }

  async readCheckpoint(name: string): Promise<CheckpointLease | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<CheckpointRow>(
      `SELECT name, owner, token, position, expires_at FROM ${this.table.checkpoints} WHERE name = $1`,
      [name],
    );
    return leaseOf(rows[0]);
  }

  async acquireCheckpoint(
    name: string,
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<CheckpointLease | undefined> {
    await this.ready();
    const { rows } = await this.pool.query<CheckpointRow>(
      `INSERT INTO ${this.table.checkpoints} AS cur (name, owner, token, position, expires_at)
       VALUES ($1, $2, 1, 0, $3)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = cur.token + 1,
         expires_at = excluded.expires_at
       WHERE cur.expires_at <= $4
       RETURNING name, owner, token, position, expires_at`,
      [name, owner, expiresAt, now],
    );
    return leaseOf(rows[0]);
  }

  async saveCheckpoint(name: string, token: bigint, position: bigint, expiresAt: number): Promise<boolean> {
    await this.ready();
    const result = await this.pool.query(
      `UPDATE ${this.table.checkpoints} SET position = $3, expires_at = $4 WHERE name = $1 AND token = $2`,
      [name, token.toString(), position.toString(), expiresAt],
    );
    return result.rowCount === 1;
  }

  async releaseCheckpoint(name: string, token: bigint): Promise<void> {
    await this.ready();
    await this.pool.query(
      `UPDATE ${this.table.checkpoints} SET expires_at = 0 WHERE name = $1 AND token = $2`,
      [name, token.toString()],
    );
  }
}
