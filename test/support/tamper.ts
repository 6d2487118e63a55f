import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventHash, type JsonObject, type RecordedEvent } from '@wasteflow/event-store';
import { TEST_DATABASE_URL } from './postgres';
import type { TestApp, TestStore } from './test-app';

/** What an edit of a stored event replaces (the columns not given are kept). */
export interface StoredEventEdit {
  readonly type?: string;
  readonly schemaVersion?: number;
  readonly data?: JsonObject;
  readonly metadata?: JsonObject;
}

/**
 * Edits one stored event in the database, behind the ledger's back, as someone with access to the SQLite
 * file or the PostgreSQL server could (or a newer version of the code, rolled back, would leave).
 */
export async function editStoredEvent(
  t: TestApp,
  kind: TestStore,
  stream: string,
  revision: number,
  edit: StoredEventEdit,
): Promise<void> {
  const values = [
    edit.type ?? null,
    edit.schemaVersion ?? null,
    edit.data === undefined ? null : JSON.stringify(edit.data),
    edit.metadata === undefined ? null : JSON.stringify(edit.metadata),
    stream,
    revision,
  ];
  let changed: number;
  if (kind === 'sqlite') {
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      changed = db
        .prepare(
          `UPDATE event_log SET type = coalesce(?, type), schema_version = coalesce(?, schema_version),
             data = coalesce(?, data), metadata = coalesce(?, metadata) WHERE stream = ? AND revision = ?`,
        )
        .run(...values).changes;
    } finally {
      db.close();
    }
  } else {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query(
        `UPDATE "${t.schemaPrefix}_events".events SET type = coalesce($1, type),
           schema_version = coalesce($2, schema_version), data = coalesce($3::json, data),
           metadata = coalesce($4::json, metadata) WHERE stream = $5 AND revision = $6`,
        values,
      );
      changed = result.rowCount ?? 0;
    } finally {
      await client.end();
    }
  }
  if (changed !== 1) throw new Error(`${stream}@${revision}: ${changed} rows edited`);
}

/**
 * An edit that keeps the event's own hash valid (its chain link stays too): what a newer version of the
 * code would have written, as opposed to tampering.
 */
export function resealed(event: RecordedEvent, edit: Omit<StoredEventEdit, 'metadata'>): StoredEventEdit {
  const type = edit.type ?? event.type;
  const data = edit.data ?? event.data;
  const metadata: JsonObject = {
    ...event.metadata,
    ...(edit.schemaVersion !== undefined ? { schemaVersion: edit.schemaVersion } : {}),
  };
  return { ...edit, metadata: { ...metadata, hash: eventHash({ type, data, metadata }) } };
}
