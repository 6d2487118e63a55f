import type Database from 'better-sqlite3';
import type {
  PersonalDataRecords,
  PersonErasure,
  PersonRecordWrite,
  StoredPersonRecord,
} from '../event-store.port';

export const PERSON_KEYS_TABLE = 'person_keys';
export const PERSON_RECORDS_TABLE = 'person_records';

/**
 * Created with the log's table (IF NOT EXISTS: an older file gets them on its next open). The key is in a
 * table of its own, so that where keys move to a key service later only that table moves.
 */
export const PERSONAL_DATA_DDL = `
  CREATE TABLE IF NOT EXISTS ${PERSON_RECORDS_TABLE} (
    person_id TEXT PRIMARY KEY,
    sealed BLOB,
    recorded_at INTEGER NOT NULL,
    erased_at INTEGER,
    erased_by TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS ${PERSON_KEYS_TABLE} (
    person_id TEXT PRIMARY KEY,
    key BLOB NOT NULL
  ) STRICT;
`;

interface Row {
  person_id: string;
  sealed: Buffer | null;
  recorded_at: bigint;
  erased_at: bigint | null;
  erased_by: string | null;
  key: Buffer | null;
}

/**
 * The SQLite store's personal data records, on the store's connection (like its bookkeeping). An erasure
 * deletes with `secure_delete` on (SQLite then overwrites the freed bytes in the file instead of leaving
 * them in a free page) and then checkpoints the WAL, so the key leaves the file and its journal, not only
 * the table.
 */
export class SqlitePersonalData implements PersonalDataRecords {
  private readonly statements: {
    insertRecord: Database.Statement<[string, Buffer, number]>;
    insertKey: Database.Statement<[string, Buffer]>;
    read: Database.Statement<[string], Row>;
    deleteKey: Database.Statement<[string]>;
    markErased: Database.Statement<[number, string, string]>;
    discard: Database.Statement<[string]>;
    discardKey: Database.Statement<[string]>;
    listPresent: Database.Statement<[number, number], { person_id: string }>;
  };
  private readonly putAll: (records: readonly PersonRecordWrite[]) => string[];
  private readonly eraseOne: (personId: string, erasedBy: string, at: number) => PersonErasure;
  private readonly discardAll: (personIds: readonly string[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly assertOpen: () => void,
  ) {
    this.statements = {
      insertRecord: db.prepare(
        `INSERT INTO ${PERSON_RECORDS_TABLE} (person_id, sealed, recorded_at) VALUES (?, ?, ?)
         ON CONFLICT (person_id) DO NOTHING`,
      ),
      insertKey: db.prepare(`INSERT INTO ${PERSON_KEYS_TABLE} (person_id, key) VALUES (?, ?)`),
      read: db.prepare(
        `SELECT r.person_id, r.sealed, r.recorded_at, r.erased_at, r.erased_by, k.key
           FROM ${PERSON_RECORDS_TABLE} r LEFT JOIN ${PERSON_KEYS_TABLE} k ON k.person_id = r.person_id
          WHERE r.person_id = ?`,
      ),
      deleteKey: db.prepare(`DELETE FROM ${PERSON_KEYS_TABLE} WHERE person_id = ?`),
      markErased: db.prepare(
        `UPDATE ${PERSON_RECORDS_TABLE} SET sealed = NULL, erased_at = ?, erased_by = ?
          WHERE person_id = ? AND erased_at IS NULL`,
      ),
      discard: db.prepare(`DELETE FROM ${PERSON_RECORDS_TABLE} WHERE person_id = ? AND erased_at IS NULL`),
      discardKey: db.prepare(`DELETE FROM ${PERSON_KEYS_TABLE} WHERE person_id = ?`),
      listPresent: db.prepare(
        `SELECT person_id FROM ${PERSON_RECORDS_TABLE} WHERE erased_at IS NULL AND recorded_at < ?
          ORDER BY recorded_at, person_id LIMIT ?`,
      ),
    };
    this.putAll = db.transaction((records: readonly PersonRecordWrite[]) => {
      const inserted: string[] = [];
      const now = Date.now();
      for (const r of records) {
        if (this.statements.insertRecord.run(r.personId, r.sealed, now).changes === 0) continue;
        this.statements.insertKey.run(r.personId, r.key);
        inserted.push(r.personId);
      }
      return inserted;
    });
    this.eraseOne = db.transaction((personId: string, erasedBy: string, at: number): PersonErasure => {
      const row = this.statements.read.get(personId);
      if (!row) return 'not_found';
      if (row.erased_at !== null) return 'already_erased';
      this.statements.deleteKey.run(personId);
      this.statements.markErased.run(at, erasedBy, personId);
      return 'erased';
    });
    this.discardAll = db.transaction((personIds: readonly string[]) => {
      for (const id of personIds) {
        const row = this.statements.read.get(id);
        if (!row || row.erased_at !== null) continue;
        this.statements.discardKey.run(id);
        this.statements.discard.run(id);
      }
    });
  }

  async put(records: readonly PersonRecordWrite[]): Promise<string[]> {
    this.assertOpen();
    return records.length === 0 ? [] : this.putAll(records);
  }

  async read(personIds: readonly string[]): Promise<Map<string, StoredPersonRecord>> {
    this.assertOpen();
    const found = new Map<string, StoredPersonRecord>();
    for (const id of new Set(personIds)) {
      const row = this.statements.read.get(id);
      if (row) found.set(id, toRecord(row));
    }
    return found;
  }

  async erase(personId: string, erasedBy: string, at: Date): Promise<PersonErasure> {
    this.assertOpen();
    const outcome = this.withSecureDelete(() => this.eraseOne(personId, erasedBy, at.getTime()));
    if (outcome === 'erased') this.checkpoint();
    return outcome;
  }

  async discard(personIds: readonly string[]): Promise<void> {
    this.assertOpen();
    if (personIds.length > 0) this.withSecureDelete(() => this.discardAll(personIds));
  }

  async listPresent(recordedBefore: Date, limit: number): Promise<string[]> {
    this.assertOpen();
    return this.statements.listPresent.all(recordedBefore.getTime(), limit).map((r) => r.person_id);
  }

  private withSecureDelete<T>(run: () => T): T {
    this.db.pragma('secure_delete = ON');
    try {
      return run();
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
  }

  /**
   * The WAL still holds the frames that inserted the key: copy them into the file (where secure_delete has
   * overwritten the row) and truncate the WAL. Best effort: a reader holding an old snapshot keeps frames
   * until the next checkpoint (SQLite's own, at the latest).
   */
  private checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

function toRecord(row: Row): StoredPersonRecord {
  if (row.erased_at !== null || row.sealed === null || row.key === null)
    return {
      personId: row.person_id,
      status: 'erased',
      erasedAt: new Date(Number(row.erased_at ?? 0n)),
      erasedBy: row.erased_by ?? '',
    };
  return {
    personId: row.person_id,
    status: 'present',
    key: Buffer.from(row.key),
    sealed: Buffer.from(row.sealed),
    recordedAt: new Date(Number(row.recorded_at)),
  };
}
