import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH_EVENT_TYPES } from '@wasteflow/domain';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@wasteflow/event-store';
import {
  openReadModelDatabase,
  ProjectionRunner,
  SQLITE_READ_MODEL_FILE,
  loadReferenceData,
  wasteflowProjections,
  type RebuildResult,
} from '@wasteflow/projections';
import type { DataSource } from 'typeorm';
import { afterAllScenarios, check, type BenchContext } from '../harness/scenario';
import { historyDataset, postgresHistory, type HistoryDataset } from './history-dataset';
import { freshSchemaName, withClient } from './postgres';

/** Every projection over the bundled reference data (the working-day calendar), as the api runs them. */
const WASTEFLOW_PROJECTIONS = wasteflowProjections(loadReferenceData({}));

/**
 * What the read-side scenarios share: the cached history, its PostgreSQL copy (made once per run), fresh
 * read-model databases to rebuild into, the validation of a rebuilt read model against the generator's own
 * figures, and one projected read model per store and size kept for the query scenarios.
 */
export type ReadStore = 'sqlite' | 'postgres';

/**
 * The histories: 100 k (every run), 1 M (full mode) and the huge one of the `*-10m` scenarios, run only when
 * named (10 M events, or `WASTEFLOW_BENCH_HUGE_EVENTS` on a machine or a session too slow for that).
 */
export const READ_SIDE_SIZES = { small: 100_000, large: 1_000_000, huge: hugeHistorySize() } as const;

function hugeHistorySize(): number {
  const named = process.env.WASTEFLOW_BENCH_HUGE_EVENTS;
  if (!named) return 10_000_000;
  const events = Number(named);
  if (!Number.isInteger(events) || events < 1_000_000) {
    throw new Error(`WASTEFLOW_BENCH_HUGE_EVENTS must be a whole number of events ≥ 1000000, not ${named}`);
  }
  return events;
}

const silentLogger = { log: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

/** The event store over a history: the cached SQLite file itself, or this run's PostgreSQL copy of it. */
export interface HistoryStore {
  readonly kind: ReadStore;
  readonly dataset: HistoryDataset;
  readonly store: EventStore;
  /** PostgreSQL: the schema prefix of the api started for the queries (`<prefix>_read`, `<prefix>_events`). */
  readonly prefix?: string;
}

const stores = new Map<string, Promise<HistoryStore>>();
afterAllScenarios(() => closeReadSide());

export function historyStore(context: BenchContext, kind: ReadStore, events: number): Promise<HistoryStore> {
  const key = `${kind}:${events}`;
  let pending = stores.get(key);
  if (!pending) {
    pending = openHistoryStore(context, kind, events);
    stores.set(key, pending);
    pending.catch(() => stores.delete(key));
  }
  return pending;
}

async function openHistoryStore(context: BenchContext, kind: ReadStore, events: number): Promise<HistoryStore> {
  const dataset = await historyDataset(events, (m) => context.log(m));
  if (kind === 'sqlite') return { kind, dataset, store: new SqliteEventStore({ file: dataset.file }) };
  const url = context.postgresUrl as string;
  const schema = await postgresHistory(dataset, url, (m) => context.log(m));
  // The api started for the queries takes `<prefix>_read` (the read model) and `<prefix>_events` (its own
  // event store, for its tokens: never the cached history, which must stay as generated).
  const prefix = freshSchemaName(context.runId, `h${events / 1000}k`).slice(0, 40);
  return { kind, dataset, store: new PostgresEventStore({ connectionString: url, schema }), prefix };
}

/** A fresh, migrated read-model database. */
export interface ReadModel {
  readonly dataSource: DataSource;
  /** SQLite: the directory holding `read-models.sqlite` (what `WASTEFLOW_DATA_DIR` names for the api). */
  readonly directory?: string;
  /** PostgreSQL: its schema. */
  readonly schema?: string;
  drop(): Promise<void>;
}

export async function freshReadModel(context: BenchContext, kind: ReadStore, schema?: string): Promise<ReadModel> {
  const migrations = WASTEFLOW_PROJECTIONS.flatMap((p) => p.migrations ?? []);
  if (kind === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'wasteflow-bench-read-'));
    const dataSource = await openReadModelDatabase(
      { kind: 'sqlite', file: join(directory, SQLITE_READ_MODEL_FILE) },
      { migrations },
    );
    return {
      dataSource,
      directory,
      async drop() {
        if (dataSource.isInitialized) await dataSource.destroy();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const url = context.postgresUrl as string;
  const name = schema ?? freshSchemaName(context.runId, 'read');
  const dataSource = await openReadModelDatabase({ kind: 'postgres', url, schema: name }, { migrations });
  return {
    dataSource,
    schema: name,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
    },
  };
}

/** `runner.rebuild()` of every projection of `WASTEFLOW_PROJECTIONS`, as the CLI and the api run them. */
export async function rebuildAll(history: HistoryStore, readModel: ReadModel): Promise<RebuildResult> {
  const runner = new ProjectionRunner({
    store: history.store,
    dataSource: readModel.dataSource,
    projections: WASTEFLOW_PROJECTIONS,
    logger: silentLogger,
  });
  try {
    return await runner.rebuild();
  } finally {
    await runner.close();
  }
}

const MODE_COLUMNS: Record<string, string> = {
  utilisation: 'utilised',
  landfill: 'landfilled',
  incineration: 'incinerated',
  other_disposal: 'other_disposed',
  lost: 'lost',
};

/**
 * Proves a rebuilt read model is the history's: every checkpoint at the head, one trace row per batch and
 * one step per batch event, one manifest row per manifest, the indicator masses by category and mode equal
 * to the generator's own tally (facts and the province rollup), sampled batches as the generator left them
 * (trace and inventory), alerts of every kind.
 */
export async function validateReadModel(history: HistoryStore, readModel: ReadModel, result: RebuildResult): Promise<void> {
  const { facts, head } = history.dataset;
  const what = `${history.kind} rebuild of ${facts.events} events`;
  check(result.events === facts.events, () => `${what}: rebuilt ${result.events} events`);
  check(result.toPosition === head, () => `${what}: stopped at ${result.toPosition}, head ${head}`);
  const ds = readModel.dataSource;
  const pg = history.kind === 'postgres';
  const t = (name: string) => (pg ? `${readModel.schema}.${name}` : name);
  const one = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>> => {
    let i = 0;
    const text = pg ? sql.replace(/\?/g, () => `$${(i += 1)}`) : sql;
    return ((await ds.query(text, params)) as Record<string, unknown>[])[0];
  };
  const n = async (table: string): Promise<number> => Number((await one(`SELECT COUNT(*) AS n FROM ${t(table)}`)).n);

  const checkpoints = (await ds.query(`SELECT name, position FROM ${t('projection_checkpoint')}`)) as { name: string; position: unknown }[];
  check(
    checkpoints.length === WASTEFLOW_PROJECTIONS.length && checkpoints.every((c) => BigInt(c.position as string) === head),
    () => `${what}: checkpoints ${JSON.stringify(checkpoints.map((c) => [c.name, String(c.position)]))}, head ${head}`,
  );
  const batchEvents = BATCH_EVENT_TYPES.reduce((sum, type) => sum + (facts.eventsByType[type] ?? 0), 0);
  const counts = {
    trace_batch: facts.batches,
    trace_step: batchEvents,
    manifest_view: facts.manifests,
    manifest_party: facts.eventsByType.PartyRegistered,
    inventory_party: facts.eventsByType.PartyRegistered,
    alert_party: facts.eventsByType.PartyRegistered,
  };
  for (const [table, expected] of Object.entries(counts)) {
    const actual = await n(table);
    check(actual === expected, () => `${what}: ${table} has ${actual} rows, expected ${expected}`);
  }

  for (const [source, region] of [
    ['indicator_fact', undefined],
    ['indicator_rollup', '33'],
  ] as const) {
    const rows = (await ds.query(
      `SELECT category, CAST(SUM(generated + corrected) AS TEXT) AS generated, CAST(SUM(utilised) AS TEXT) AS utilised,
              CAST(SUM(landfilled) AS TEXT) AS landfilled, CAST(SUM(incinerated) AS TEXT) AS incinerated,
              CAST(SUM(other_disposed) AS TEXT) AS other_disposed, CAST(SUM(lost) AS TEXT) AS lost
         FROM ${t(source)} ${region ? `WHERE region = '${region}'` : ''} GROUP BY category`,
    )) as Record<string, string>[];
    for (const [category, tally] of Object.entries(facts.gramsByCategory)) {
      const row = rows.find((r) => r.category === category);
      check(row !== undefined, () => `${what}: no ${source} rows for ${category}`);
      check(
        BigInt(row.generated) === BigInt(tally.generated ?? 0),
        () => `${what}: ${source} ${category} generated ${row.generated} g, history ${tally.generated}`,
      );
      for (const [measure, column] of Object.entries(MODE_COLUMNS)) {
        check(
          BigInt(row[column]) === BigInt(tally[measure] ?? 0),
          () => `${what}: ${source} ${category} ${column} ${row[column]} g, history ${tally[measure] ?? 0}`,
        );
      }
    }
  }

  for (const sample of facts.sampleBatches) {
    const row = await one(`SELECT status, CAST(held_grams AS TEXT) AS held, custodian_uscc FROM ${t('trace_batch')} WHERE trace_code = ?`, [
      sample.traceCode,
    ]);
    check(
      row !== undefined && row.status === sample.status && BigInt(row.held as string) === BigInt(sample.heldGrams) && row.custodian_uscc === sample.custodianUscc,
      () => `${what}: trace_batch ${sample.traceCode} is ${JSON.stringify(row)}, history ${JSON.stringify(sample)}`,
    );
    const inventory = await one(`SELECT CAST(held_grams AS TEXT) AS held FROM ${t('inventory_batch')} WHERE trace_code = ?`, [sample.traceCode]);
    const live = sample.status !== 'depleted' && sample.heldGrams > 0;
    check(
      live ? inventory !== undefined && BigInt(inventory.held as string) === BigInt(sample.heldGrams) : inventory === undefined,
      () => `${what}: inventory_batch ${sample.traceCode} is ${JSON.stringify(inventory)}, history ${JSON.stringify(sample)}`,
    );
  }
  const kinds = (await ds.query(`SELECT kind, COUNT(*) AS n FROM ${t('alert')} GROUP BY kind`)) as { kind: string; n: unknown }[];
  for (const kind of ['discrepancy', 'overdue_manifest', 'late_entry']) {
    check(
      kinds.some((k) => k.kind === kind && Number(k.n) > 0),
      () => `${what}: no ${kind} alert (${JSON.stringify(kinds.map((k) => [k.kind, Number(k.n)]))})`,
    );
  }
}

/** One read model per store and size, rebuilt from the history and kept for the query scenarios. */
export interface ProjectedHistory {
  readonly history: HistoryStore;
  readonly readModel: ReadModel;
  readonly rebuild: RebuildResult;
}

const projected = new Map<string, ProjectedHistory>();

/**
 * Keeps a validated rebuilt read model for the query scenarios (replacing and dropping an older one). On
 * PostgreSQL its schema is renamed `<prefix>_read`, where an api with that schema prefix looks for it.
 */
export async function keepProjected(
  context: BenchContext,
  history: HistoryStore,
  readModel: ReadModel,
  rebuild: RebuildResult,
): Promise<void> {
  const key = `${history.kind}:${history.dataset.facts.events}`;
  await projected.get(key)?.readModel.drop();
  projected.delete(key);
  let kept = readModel;
  if (history.kind === 'postgres' && readModel.schema !== `${history.prefix}_read`) {
    await readModel.dataSource.destroy();
    const url = context.postgresUrl as string;
    await withClient(url, (client) => client.query(`ALTER SCHEMA ${readModel.schema} RENAME TO ${history.prefix}_read`));
    kept = await freshReadModel(context, 'postgres', `${history.prefix}_read`);
  }
  projected.set(key, { history, readModel: kept, rebuild });
}

/**
 * The projected read model of a history: the one a rebuild scenario kept, else rebuilt now (and validated).
 * On PostgreSQL it lives in `<prefix>_read`, so an api started with `WASTEFLOW_PG_SCHEMA_PREFIX=<prefix>`
 * reads it.
 */
export async function projectedHistory(context: BenchContext, kind: ReadStore, events: number): Promise<ProjectedHistory> {
  const history = await historyStore(context, kind, events);
  const key = `${kind}:${history.dataset.facts.events}`;
  const kept = projected.get(key);
  if (kept) return kept;
  context.log(`    rebuilding the read models of ${events.toLocaleString('en-US')} events on ${kind} for the queries`);
  const readModel = await freshReadModel(context, kind, kind === 'postgres' ? `${history.prefix}_read` : undefined);
  const rebuild = await rebuildAll(history, readModel);
  await validateReadModel(history, readModel, rebuild);
  projected.set(key, { history, readModel, rebuild });
  return projected.get(key) as ProjectedHistory;
}

/** The schema a kept PostgreSQL read model must have for the api to find it. */
export function appReadSchema(history: HistoryStore): string | undefined {
  return history.prefix ? `${history.prefix}_read` : undefined;
}

/** Closes the stores and drops the kept read models (the PostgreSQL schemas also go with the run's clean-up). */
export async function closeReadSide(): Promise<void> {
  for (const kept of projected.values()) await kept.readModel.drop().catch(() => undefined);
  projected.clear();
  for (const pending of stores.values()) {
    const store = await pending.catch(() => undefined);
    await store?.store.close().catch(() => undefined);
  }
  stores.clear();
}

