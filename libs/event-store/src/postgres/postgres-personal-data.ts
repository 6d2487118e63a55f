import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type {
  PersonalDataRecords,
  PersonErasure,
  PersonRecordWrite,
  StoredPersonRecord,
} from '../event-store.port';

/** The tables of the schema (created by postgres-schema.ts): the key apart from what it opens. */
export function personalDataDdl(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.person_records (
  person_id text NOT NULL,
  sealed bytea,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  erased_at timestamptz,
  erased_by text,
  CONSTRAINT person_records_pkey PRIMARY KEY (person_id)
);
CREATE TABLE IF NOT EXISTS ${schema}.person_keys (
  person_id text NOT NULL,
  key bytea NOT NULL,
  CONSTRAINT person_keys_pkey PRIMARY KEY (person_id)
);
`;
}

interface Row extends QueryResultRow {
  person_id: string;
  sealed: Buffer | null;
  recorded_at: Date;
  erased_at: Date | null;
  erased_by: string | null;
  key: Buffer | null;
}

/**
 * The PostgreSQL store's personal data records (tables person_records and person_keys of its schema).
 * An erasure deletes the key row and nulls the sealed bytes in one transaction, then vacuums both tables
 * so the dead row versions are pruned and their space reused (PostgreSQL does not overwrite a deleted row
 * at once; its WAL and base backups taken before the erasure still hold them: see ADR 14).
 */
export class PostgresPersonalData implements PersonalDataRecords {
  private readonly records: string;
  private readonly keys: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly ready: () => Promise<void>,
  ) {
    this.records = `${schema}.person_records`;
    this.keys = `${schema}.person_keys`;
  }

  async put(records: readonly PersonRecordWrite[]): Promise<string[]> {
    if (records.length === 0) return [];
    await this.ready();
    return this.inTransaction(async (client) => {
      const inserted: string[] = [];
      for (const r of records) {
        const { rowCount } = await client.query(
          `INSERT INTO ${this.records} (person_id, sealed) VALUES ($1, $2) ON CONFLICT (person_id) DO NOTHING`,
          [r.personId, r.sealed],
        );
        if (rowCount === 0) continue;
        await client.query(`INSERT INTO ${this.keys} (person_id, key) VALUES ($1, $2)`, [r.personId, r.key]);
        inserted.push(r.personId);
      }
      return inserted;
    });
  }

  async read(personIds: readonly string[]): Promise<Map<string, StoredPersonRecord>> {
    const found = new Map<string, StoredPersonRecord>();
    if (personIds.length === 0) return found;
    await this.ready();
    const { rows } = await this.pool.query<Row>(
      `SELECT r.person_id, r.sealed, r.recorded_at, r.erased_at, r.erased_by, k.key
         FROM ${this.records} r LEFT JOIN ${this.keys} k ON k.person_id = r.person_id
        WHERE r.person_id = ANY ($1::text[])`,
      [[...new Set(personIds)]],
    );
    for (const row of rows) found.set(row.person_id, toRecord(row));
    return found;
  }

  async erase(personId: string, erasedBy: string, at: Date): Promise<PersonErasure> {
    await this.ready();
    const outcome = await this.inTransaction(async (client): Promise<PersonErasure> => {
      const { rows } = await client.query<{ erased_at: Date | null }>(
        `SELECT erased_at FROM ${this.records} WHERE person_id = $1 FOR UPDATE`,
        [personId],
      );
      if (rows.length === 0) return 'not_found';
      if (rows[0].erased_at !== null) return 'already_erased';
      await client.query(`DELETE FROM ${this.keys} WHERE person_id = $1`, [personId]);
      await client.query(
        `UPDATE ${this.records} SET sealed = NULL, erased_at = $2, erased_by = $3 WHERE person_id = $1`,
        [personId, at, erasedBy],
      );
      return 'erased';
    });
    if (outcome === 'erased') await this.pool.query(`VACUUM ${this.keys}, ${this.records}`);
    return outcome;
  }

  async discard(personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    await this.ready();
    await this.inTransaction(async (client) => {
      const ids = [...new Set(personIds)];
      const { rows } = await client.query<{ person_id: string }>(
        `DELETE FROM ${this.records} WHERE person_id = ANY ($1::text[]) AND erased_at IS NULL RETURNING person_id`,
        [ids],
      );
      await client.query(`DELETE FROM ${this.keys} WHERE person_id = ANY ($1::text[])`, [
        rows.map((r) => r.person_id),
      ]);
    });
  }

  async listPresent(recordedBefore: Date, limit: number): Promise<string[]> {
    await this.ready();
    const { rows } = await this.pool.query<{ person_id: string }>(
      `SELECT person_id FROM ${this.records} WHERE erased_at IS NULL AND recorded_at < $1
        ORDER BY recorded_at, person_id LIMIT $2`,
      [recordedBefore, limit],
    );
    return rows.map((r) => r.person_id);
  }

  private async inTransaction<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function toRecord(row: Row): StoredPersonRecord {
  if (row.erased_at !== null || row.sealed === null || row.key === null)
    return {
      personId: row.person_id,
      status: 'erased',
      erasedAt: row.erased_at ?? new Date(0),
      erasedBy: row.erased_by ?? '',
    };
  return {
    personId: row.person_id,
    status: 'present',
    key: row.key,
    sealed: row.sealed,
    recordedAt: row.recorded_at,
  };
}
