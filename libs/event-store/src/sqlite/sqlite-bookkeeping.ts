import type Database from 'better-sqlite3';
import { InvalidArgument } from '../errors';
import type { Bookkeeping, CheckpointLease, StoredIdempotencyRecord } from '../event-store.port';
import { leaseOf, PURGE_BATCH, type CheckpointRow } from '../internal/bookkeeping-policy';
import { IDEMPOTENCY_TABLE } from './sqlite-writer';

export const CHECKPOINT_TABLE = 'checkpoints';

/** Created with the log's table (IF NOT EXISTS: an older file gets them on its next open). */
export const BOOKKEEPING_DDL = `
  CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    record TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS ${IDEMPOTENCY_TABLE}_recorded_at ON ${IDEMPOTENCY_TABLE} (recorded_at);
  CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    token INTEGER NOT NULL,
    position INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
`;

interface RecordRow {
  scope: string;
  key: string;
  record: string;
  recorded_at: bigint;
}

/**
 * The SQLite store's bookkeeping, on the store's connection. Records are written by the appends that
 * carry them (SqliteWriter, same transaction); here they are read, imported and purged. Checkpoint
 * leases follow the projections' discipline: acquire when free or expired, every save checks the token.
 */
export class SqliteBookkeeping implements Bookkeeping {
  private readonly statements: {
    record: Database.Statement<[string, string], RecordRow>;
    importRecord: Database.Statement<[string, string, string, number]>;
    purgeBatch: Database.Statement<[number]>;
    checkpoint: Database.Statement<[string], CheckpointRow>;
    acquire: Database.Statement<[string, string, number, number], CheckpointRow>;
    save: Database.Statement<[bigint, number, string, bigint]>;
    release: Database.Statement<[string, bigint]>;
  };
  private readonly importAll: (records: readonly StoredIdempotencyRecord[]) => number;

  constructor(
    db: Database.Database,
    private readonly assertOpen: () => void,
  ) {
    this.statements = {
      record: db.prepare(
        `SELECT scope, key, record, recorded_at FROM ${IDEMPOTENCY_TABLE} WHERE scope = ? AND key = ?`,
      ),
      importRecord: db.prepare(
        `INSERT INTO ${IDEMPOTENCY_TABLE} (scope, key, record, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (scope, key) DO NOTHING`,
      ),
      purgeBatch: db.prepare(
        `DELETE FROM ${IDEMPOTENCY_TABLE} WHERE rowid IN
           (SELECT rowid FROM ${IDEMPOTENCY_TABLE} WHERE recorded_at < ? LIMIT ${PURGE_BATCH})`,
      ),
      checkpoint: db.prepare(
        `SELECT name, owner, token, position, expires_at FROM ${CHECKPOINT_TABLE} WHERE name = ?`,
      ),
      acquire: db.prepare(
        `INSERT INTO ${CHECKPOINT_TABLE} AS cur (name, owner, token, position, expires_at) VALUES (?, ?, 1, 0, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = cur.token + 1,
           expires_at = excluded.expires_at
         WHERE cur.expires_at <= ?
         RETURNING name, owner, token, position, expires_at`,
      ),
      save: db.prepare(
        `UPDATE ${CHECKPOINT_TABLE} SET position = ?, expires_at = ? WHERE name = ? AND token = ?`,
      ),
      release: db.prepare(`UPDATE ${CHECKPOINT_TABLE} SET expires_at = 0 WHERE name = ? AND token = ?`),
    };
    this.importAll = db.transaction((records: readonly StoredIdempotencyRecord[]) => {
      let inserted = 0;
      for (const record of records) {
        inserted += this.statements.importRecord.run(
          record.scope,
          record.key,
          JSON.stringify(record.record),
          record.recordedAt.getTime(),
        ).changes;
      }
      return inserted;
    });
  }

  async readIdempotencyRecord(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined> {
    this.assertOpen();
    const row = this.statements.record.get(scope, key);
    return row
      ? {
          scope: row.scope,
          key: row.key,
          record: JSON.parse(row.record),
          recordedAt: new Date(Number(row.recorded_at)),
        }
      : undefined;
  }

  async importIdempotencyRecords(records: readonly StoredIdempotencyRecord[]): Promise<number> {
    this.assertOpen();
    return this.importAll(records);
  }

  async purgeIdempotencyRecords(before: Date): Promise<number> {
    this.assertOpen();
    if (Number.isNaN(before.getTime())) throw new InvalidArgument('purge needs a valid date');
    let deleted = 0;
    for (;;) {
      const changes = this.statements.purgeBatch.run(before.getTime()).changes;
      deleted += changes;
      if (changes < PURGE_BATCH) return deleted;
      // Let requests (and their commits) in between batches.
      await new Promise((resolve) => setImmediate(resolve));
      this.assertOpen();
    }
  }

  async readCheckpoint(name: string): Promise<CheckpointLease | undefined> {
    this.assertOpen();
    const row = this.statements.checkpoint.get(name);
    return leaseOf(row);
  }

  async acquireCheckpoint(
    name: string,
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<CheckpointLease | undefined> {
    this.assertOpen();
    const row = this.statements.acquire.get(name, owner, expiresAt, now);
    return leaseOf(row);
  }

  async saveCheckpoint(name: string, token: bigint, position: bigint, expiresAt: number): Promise<boolean> {
    this.assertOpen();
    return this.statements.save.run(position, expiresAt, name, token).changes === 1;
  }

  async releaseCheckpoint(name: string, token: bigint): Promise<void> {
    this.assertOpen();
    this.statements.release.run(name, token);
  }
}
