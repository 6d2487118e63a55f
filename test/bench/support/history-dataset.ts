import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@wasteflow/event-store';
import { Client } from 'pg';
import { dropSchema, withClient } from './postgres';
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
    dataset = cachedHistory(events, log);
    pending.set(events, dataset);
    dataset.catch(() => pending.delete(events));
  }
  return dataset;
}

/** What the `.json` beside a cached file says about the file itself, besides the generator's facts. */
interface StoredLog {
  readonly events: number;
  readonly head: string;
  readonly lastEventId: string;
}

type CachedFacts = HistoryFacts & { readonly log?: StoredLog };

/**
 * Why a cached file is not the history its `.json` describes, or undefined when it is: the stored events
 * counted, positions 1 … head without a gap, the last event the one generated last, and the process
 * manager's checkpoint at the head. A file cut short (a generation killed before its end, another bench
 * generating into the same cache, a disk that filled up) is caught here instead of being rebuilt and
 * reported as a smaller history, or failing a validation far from its cause.
 */
export function cachedHistoryDefect(file: string, facts: CachedFacts, readonly = true): string | undefined {
  if (facts.version !== HISTORY_GENERATOR_VERSION) return `generator version ${facts.version}, not ${HISTORY_GENERATOR_VERSION}`;
  // Read-write for a file about to be renamed: the last connection to close removes its -wal and -shm.
  const db = new Database(file, { readonly, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const stored = db.prepare('SELECT COUNT(*) AS n, MIN(position) AS first, MAX(position) AS last FROM event_log').get() as {
      n: bigint;
      first: bigint | null;
      last: bigint | null;
    };
    if (Number(stored.n) !== facts.events) return `${stored.n} events stored, ${facts.events} generated`;
    if (stored.first !== 1n || stored.last !== stored.n) return `positions ${stored.first} … ${stored.last} for ${stored.n} events`;
    if (facts.log) {
      const last = db.prepare('SELECT id FROM event_log WHERE position = ?').pluck().get(stored.last) as string | undefined;
      if (String(stored.last) !== facts.log.head || last !== facts.log.lastEventId)
        return `head ${stored.last} (event ${last}), generated head ${facts.log.head} (event ${facts.log.lastEventId})`;
    }
    const checkpoint = db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck().get(CUSTODY_CHECKPOINT) as bigint | undefined;
    if (checkpoint !== stored.last) return `the ${CUSTODY_CHECKPOINT} checkpoint at ${checkpoint ?? 'none'}, head ${stored.last}`;
    return undefined;
  } finally {
    db.close();
  }
}

/**
 * The history of `events` in `directory`: the cached file when it is complete, else generated (a defective
 * file is said so and replaced). One process generates a given history at a time: another one generating
 * into the same directory is refused with what to do (give each concurrent bench its own
 * `WASTEFLOW_BENCH_CACHE`).
 */
export async function cachedHistory(
  events: number,
  log: (message: string) => void,
  directory = benchCacheDirectory(),
): Promise<HistoryDataset> {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, `history-v${HISTORY_GENERATOR_VERSION}.${DATASET_LAYOUT}-${events}`);
  const file = `${base}.sqlite`;
  const factsFile = `${base}.json`;
  const reuse = (): HistoryDataset | undefined => {
    if (!existsSync(file) || !existsSync(factsFile)) return undefined;
    const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as CachedFacts;
    const defect = cachedHistoryDefect(file, facts);
    if (defect === undefined) return { file, facts: withoutLog(facts), head: BigInt(facts.events), generatedSeconds: 0 };
    log(`    the cached history ${file} is not the one its .json describes (${defect}): generating it again`);
    return undefined;
  };
  const cached = reuse();
  if (cached) return cached;
  const release = takeGenerationLock(`${base}.lock`);
  try {
    // Another process may have finished generating it while we waited for nothing: look again under the lock.
    return reuse() ?? (await generate(events, base, log));
  } finally {
    release();
  }
}

function withoutLog(facts: CachedFacts): HistoryFacts {
  const { log: _log, ...rest } = facts;
  return rest;
}

/**
 * An exclusive lock file naming its holder's pid; a lock whose process is gone (killed mid-generation) is
 * taken over. Returns its release.
 */
function takeGenerationLock(lock: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `process ${holder} is generating this history in the same cache (${lock}); ` +
            'concurrent benches need a WASTEFLOW_BENCH_CACHE each (test/bench/README.md)',
          { cause: error },
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not take the generation lock ${lock}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function generate(events: number, base: string, log: (message: string) => void): Promise<HistoryDataset> {
  const file = `${base}.sqlite`;
  const factsFile = `${base}.json`;
  // The old pair goes first: a .json must never describe another file than the one beside it.
  for (const stale of [factsFile, file, `${file}-wal`, `${file}-shm`]) rmSync(stale, { force: true });
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
  let lastEventId = '';
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
      lastEventId = event.id;
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
  let head: bigint;
  try {
    head = await store.headPosition();
    await checkpointAtHead(store, head);
  } finally {
    // closing the last connection checkpoints the WAL into the file and deletes it: the rename moves it all
    await store.close();
  }
  const described: CachedFacts = { ...facts, log: { events: facts.events, head: head.toString(), lastEventId } };
  const defect = cachedHistoryDefect(partial, described, false);
  if (defect !== undefined) throw new Error(`the history generated into ${partial} is defective: ${defect}`);
  writeFileSync(`${factsFile}.partial`, `${JSON.stringify(described)}\n`);
  renameSync(partial, file);
  renameSync(`${factsFile}.partial`, factsFile);
  const generatedSeconds = (performance.now() - started) / 1000;
  log(`    generated ${facts.events.toLocaleString('en-US')} events in ${generatedSeconds.toFixed(0)} s`);
  return { file, facts, head, generatedSeconds };
}

/**
 * The PostgreSQL copy of a history, kept between runs like the SQLite file: schema
 * `wasteflow_bench_cache_v<version>_<events>` of the bench database (not one of a run's `bench_<run>_…`
 * schemas, which every run drops), with a `bench_cache` table saying it is complete. Made on first use by
 * `copyToPostgres`; the benches only read it. Drop the schema to reclaim its space.
 */
export async function postgresHistory(dataset: HistoryDataset, url: string, log: (message: string) => void): Promise<string> {
  const schema = `wasteflow_bench_cache_v${dataset.facts.version}_${DATASET_LAYOUT}_${dataset.facts.events}`;
  const complete = await withClient(url, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS ok`,
      [`${schema}.bench_cache`],
    );
    if (!rows[0].ok) return false;
    const info = await client.query<{ events: string; head: string }>(`SELECT events, head FROM ${schema}.bench_cache`);
    return info.rows.length === 1 && BigInt(info.rows[0].head) === dataset.head && Number(info.rows[0].events) === dataset.facts.events;
  });
  if (complete) return schema;
  await dropSchema(url, schema);
  await copyToPostgres(dataset, url, schema, log);
  await withClient(url, async (client) => {
    await client.query(`CREATE TABLE ${schema}.bench_cache (events bigint NOT NULL, head bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO ${schema}.bench_cache (events, head) VALUES ($1, $2)`, [dataset.facts.events, dataset.head.toString()]);
  });
  return schema;
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
