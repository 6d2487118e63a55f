import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@wasteflow/event-store';
import { Client } from 'pg';
import { generateHistory, HISTORY_GENERATOR_VERSION, type HistoryEvent, type HistoryFacts } from './waste-history';

/**
 * The read-side benchmarks' event logs: `generateHistory` appended to a SQLite event store once and kept in
 * a cache directory between runs, keyed by the generator's version and the size, so that repeated
 * `npm run bench` runs reuse the file (generating a million events takes about a minute). The directory
 * is `WASTEFLOW_BENCH_CACHE`, else `<os tmpdir>/wasteflow-bench-cache`; delete it to start over. A
 * PostgreSQL copy is made from the SQLite file by bulk inserts (`copyToPostgres`).
 */
export interface HistoryDataset {
  /** The SQLite event store file (open it read-mostly: the benches never append to it). */
  readonly file: string;
  readonly facts: HistoryFacts;
  /** Head position of the store (what a rebuild reads up to). */
  readonly head: bigint;
  /** Seconds the generation took, or 0 when the cached file was reused. */
  readonly generatedSeconds: number;
}

export function benchCacheDirectory(): string {
  const directory = process.env.WASTEFLOW_BENCH_CACHE ?? join(tmpdir(), 'wasteflow-bench-cache');
  mkdirSync(directory, { recursive: true });
  return directory;
}

/**
 * How the cached files are laid out, beside the generator's version: 2 since the process manager's
 * checkpoint is bookkeeping (docs/adr/0008), not an event in the log.
 */
const DATASET_LAYOUT = 2;
/** The ledger's process manager checkpoint (libs/ledger's MANIFEST_CUSTODY_CHECKPOINT; benches import no lib). */
const CUSTODY_CHECKPOINT = 'manifest-custody';

/**
 * Puts the custody process manager's checkpoint at `head`, in the store's bookkeeping: an api started on
 * this history has no manifest events to catch up on.
 */
async function checkpointAtHead(store: EventStore, head: bigint): Promise<void> {
  const lease = await store.bookkeeping.acquireCheckpoint(CUSTODY_CHECKPOINT, 'bench-history', Date.now(), Date.now() + 60_000);
  if (!lease) throw new Error('the bench history checkpoint is leased by someone else');
  await store.bookkeeping.saveCheckpoint(CUSTODY_CHECKPOINT, lease.token, head, Date.now() + 60_000);
  await store.bookkeeping.releaseCheckpoint(CUSTODY_CHECKPOINT, lease.token);
}

const pending = new Map<number, Promise<HistoryDataset>>();

/** The cached history of about `events` events, generated (and cached) on first use. */
export function historyDataset(events: number, log: (message: string) => void): Promise<HistoryDataset> {
  let dataset = pending.get(events);
  if (!dataset) {
    dataset = loadOrGenerate(events, log);
    pending.set(events, dataset);
    dataset.catch(() => pending.delete(events));
  }
  return dataset;
}

async function loadOrGenerate(events: number, log: (message: string) => void): Promise<HistoryDataset> {
  const directory = benchCacheDirectory();
  const base = join(directory, `history-v${HISTORY_GENERATOR_VERSION}.${DATASET_LAYOUT}-${events}`);
  const file = `${base}.sqlite`;
  const factsFile = `${base}.json`;
  if (existsSync(file) && existsSync(factsFile)) {
    const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as HistoryFacts;
    if (facts.version === HISTORY_GENERATOR_VERSION) {
      return { file, facts, head: await headOf(file), generatedSeconds: 0 };
    }
  }
  log(`    generating a history of ${events.toLocaleString('en-US')} events into ${file} (cached for later runs)`);
  const started = performance.now();
  const partial = `${base}.partial.sqlite`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  // The store creates its file and schema; the rows then go straight into its table, 10,000 to a
  // transaction, with the revisions the store would give (per stream, from 0) and `recorded_at` the
  // ledger's recording time, so the log looks as if written over the fourteen months.
  await new SqliteEventStore({ file: partial }).close();
  const db = new Database(partial);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `INSERT INTO event_log (id, stream, revision, type, schema_version, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  const insertAll = db.transaction((rows: readonly HistoryEvent[]) => {
    for (const { stream, event } of rows) {
      const revision = revisions.get(stream) ?? 0;
      revisions.set(stream, revision + 1);
      insert.run(
        event.id,
        stream,
        revision,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        Date.parse(event.metadata.recordedAt as string),
      );
    }
  });
  let buffer: HistoryEvent[] = [];
  let facts: HistoryFacts;
  try {
    facts = await generateHistory({ events }, (batch) => {
      for (const event of batch) buffer.push(event);
      if (buffer.length >= 10_000) {
        insertAll(buffer);
        buffer = [];
      }
    });
    insertAll(buffer);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const store = new SqliteEventStore({ file: partial });
  try {
    await checkpointAtHead(store, await store.headPosition());
  } finally {
    await store.close();
  }
  renameSync(partial, file);
  writeFileSync(factsFile, `${JSON.stringify(facts)}\n`);
  const generatedSeconds = (performance.now() - started) / 1000;
  log(`    generated ${facts.events.toLocaleString('en-US')} events in ${generatedSeconds.toFixed(0)} s`);
  return { file, facts, head: await headOf(file), generatedSeconds };
}

async function headOf(file: string): Promise<bigint> {
  const store = new SqliteEventStore({ file });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

/**
 * The PostgreSQL copy of a history, kept between runs like the SQLite file: schema
 * `wasteflow_bench_cache_v<version>_<events>` of the bench database (not one of a run's `bench_<run>_…`
 * schemas, which every run drops), with a `bench_cache` table saying it is complete. Made on first use by
 * `copyToPostgres`; the benches only read it. Drop the schema to reclaim its space.
 */
export async function postgresHistory(dataset: HistoryDataset, url: string, log: (message: string) => void): Promise<string> {
  const schema = `wasteflow_bench_cache_v${dataset.facts.version}_${DATASET_LAYOUT}_${dataset.facts.events}`;
  const complete = await withPg(url, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS ok`,
      [`${schema}.bench_cache`],
    );
    if (!rows[0].ok) return false;
    const info = await client.query<{ events: string; head: string }>(`SELECT events, head FROM ${schema}.bench_cache`);
    return info.rows.length === 1 && BigInt(info.rows[0].head) === dataset.head && Number(info.rows[0].events) === dataset.facts.events;
  });
  if (complete) return schema;
  await withPg(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  await copyToPostgres(dataset, url, schema, log);
  await withPg(url, async (client) => {
    await client.query(`CREATE TABLE ${schema}.bench_cache (events bigint NOT NULL, head bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO ${schema}.bench_cache (events, head) VALUES ($1, $2)`, [dataset.facts.events, dataset.head.toString()]);
  });
  return schema;
}

async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Copies the SQLite history into a fresh PostgreSQL event store schema: the store creates its schema, then
 * the rows go in with bulk `INSERT … SELECT FROM unnest(…)` of 5000 rows, keeping the SQLite positions
 * (small numbers, so below any transaction's visibility bound: every reader sees them).
 */
export async function copyToPostgres(
  dataset: HistoryDataset,
  url: string,
  schema: string,
  log: (message: string) => void,
): Promise<void> {
  const started = performance.now();
  const store = new PostgresEventStore({ connectionString: url, schema });
  await store.ensureSchema();
  await store.close();
  const db = new Database(dataset.file, { readonly: true });
  db.defaultSafeIntegers(true);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(
      `ALTER TABLE ${schema}.events DROP CONSTRAINT events_id_uq, DROP CONSTRAINT events_stream_revision_uq`,
    );
    const rows = db
      .prepare<[bigint], Record<string, unknown>>(
        `SELECT position, id, stream, revision, type, schema_version, data, metadata, recorded_at
           FROM event_log WHERE position > ? ORDER BY position LIMIT 5000`,
      )
      .raw(true);
    let after = 0n;
    for (;;) {
      const page = rows.all(after) as unknown as unknown[][];
      if (page.length === 0) break;
      const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
      for (const row of page) {
        for (let i = 0; i < 9; i += 1) {
          const value = row[i];
          columns[i].push(typeof value === 'bigint' ? value.toString() : value);
        }
      }
      columns[8] = columns[8].map((ms) => new Date(Number(ms)).toISOString());
      await client.query(
        `INSERT INTO ${schema}.events (position, id, stream, revision, type, schema_version, data, metadata, recorded_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::json[], $8::json[], $9::timestamptz[])`,
        columns,
      );
      after = BigInt(page[page.length - 1][0] as bigint);
    }
    await client.query(
      `ALTER TABLE ${schema}.events ADD CONSTRAINT events_id_uq UNIQUE (id),
                                  ADD CONSTRAINT events_stream_revision_uq UNIQUE (stream, revision)`,
    );
    await client.query(`ANALYZE ${schema}.events`);
  } finally {
    await client.end();
    db.close();
  }
  const copy = new PostgresEventStore({ connectionString: url, schema });
  try {
    await checkpointAtHead(copy, dataset.head);
  } finally {
    await copy.close();
  }
  log(`    copied the history to PostgreSQL schema ${schema} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
