import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { defineTable, compileTable } from '../runner/table';
import { dropSchemas, POSTGRES_URL, describePostgres, schemaFor, tempDirectory } from '../../test/support';
import { ALL_SYNTHETIC_MIGRATIONS, SyntheticTables1764400000100 } from '../../test/synthetic';
import { createReadModelBackend } from './create-backend';
import type { ReadModelDatabaseConfig } from './read-model-config';
import {
  openReadModelDatabase,
  READ_MODEL_MIGRATIONS_TABLE,
  readModelDataSourceOptions,
} from './read-model-database';

const MAX_POSITION = (1n << 63n) - 1n;

function databaseScenarios(kind: 'sqlite' | 'postgres'): void {
  // Made on first use: a skipped describe still runs this body, but never its afterAll.
  let dir: ReturnType<typeof tempDirectory> | undefined;
  const opened: DataSource[] = [];
  const schemas: string[] = [];
  let counter = 0;

  function config(): ReadModelDatabaseConfig {
    counter += 1;
    if (kind === 'sqlite') {
      dir ??= tempDirectory(__filename);
      return { kind: 'sqlite', file: dir.path(`nested/dir-${counter}/read.sqlite`) };
    }
    const schema = schemaFor(__filename, `db${counter}`);
    schemas.push(schema);
    return { kind: 'postgres', url: POSTGRES_URL, schema, poolSize: 2 };
  }

  async function open(
    cfg: ReadModelDatabaseConfig,
    migrations = ALL_SYNTHETIC_MIGRATIONS,
  ): Promise<DataSource> {
    const dataSource = await openReadModelDatabase(cfg, { migrations });
    opened.push(dataSource);
    return dataSource;
  }

  async function tables(dataSource: DataSource, cfg: ReadModelDatabaseConfig): Promise<string[]> {
    const rows: { name: string }[] =
      cfg.kind === 'sqlite'
        ? await dataSource.query(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
          )
        : await dataSource.query(
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
            [cfg.schema],
          );
    return rows.map((row) => row.name);
  }

  afterEach(async () => {
    while (opened.length > 0) {
      const dataSource = opened.pop() as DataSource;
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });

  afterAll(async () => {
    if (schemas.length > 0) await dropSchemas(...schemas);
    dir?.cleanup();
  });

  it('creates the database (schema or file) and runs the infrastructure and projection migrations, once', async () => {
    const cfg = config();
    const dataSource = await open(cfg);
    expect(await tables(dataSource, cfg)).toEqual([
      'projection_checkpoint',
      'projection_lease',
      READ_MODEL_MIGRATIONS_TABLE,
      'synth_notes',
      'synth_stream_counts',
      'synth_stream_stats',
      'synth_type_totals',
    ]);
    const migrations = async (ds: DataSource): Promise<string[]> =>
      (await ds.query(`SELECT name FROM ${READ_MODEL_MIGRATIONS_TABLE} ORDER BY id`)).map(
        (row: { name: string }) => row.name,
      );
    expect(await migrations(dataSource)).toEqual([
      'ProjectionInfrastructure1764400000000',
      'ProjectionProgress1764400000050',
      'SyntheticTables1764400000100',
      'SyntheticCounts1764400000200',
      'SyntheticNotes1764400000300',
    ]);
    await dataSource.destroy();
    const again = await open(cfg);
    expect(await migrations(again)).toHaveLength(5);
    expect(readModelDataSourceOptions(cfg).synchronize).toBe(false);
    if (cfg.kind === 'sqlite') {
      expect(existsSync(cfg.file)).toBe(true);
      expect(await again.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } else {
      // search_path points at the read-model schema, for query services' unqualified names.
      expect(await again.query('SELECT count(*)::int AS n FROM projection_checkpoint')).toEqual([{ n: 0 }]);
    }
  });

  it('stores checkpoints up to 2^63 - 1 and reads them back exactly, as bigint', async () => {
    const dataSource = await open(config());
    const backend = createReadModelBackend(dataSource);
    const token = await backend.acquireLease('projections', 'me', 1_000, 2_000);
    expect(token).toBe(1n);
    const positions = new Map([
      ['max', MAX_POSITION],
      ['above-2^53', (1n << 53n) + 1n],
      ['zero', 0n],
    ]);
    await backend.commit({
      fence: { lease: 'projections', owner: 'me', token: 1n, renewTo: 3_000 },
      changes: [],
      checkpoints: positions,
    });
    expect(await backend.readCheckpoints()).toEqual(positions);
    expect(await backend.readLease('projections')).toEqual({ owner: 'me', token: 1n, expiresAt: 3_000 });
  });

  it('hands out increasing fencing tokens: a live lease is refused, an expired or released one taken over', async () => {
    const backend = createReadModelBackend(await open(config()));
    expect(await backend.acquireLease('l', 'a', 1_000, 2_000)).toBe(1n);
    expect(await backend.acquireLease('l', 'b', 1_999, 2_999)).toBeUndefined();
    expect(await backend.renewLease('l', 'a', 1n, 5_000)).toBe(true);
    expect(await backend.acquireLease('l', 'b', 4_999, 5_999)).toBeUndefined();
    expect(await backend.acquireLease('l', 'b', 5_000, 6_000)).toBe(2n);
    expect(await backend.renewLease('l', 'a', 1n, 9_000)).toBe(false);
    await backend.releaseLease('l', 'a', 1n);
    expect(await backend.readLease('l')).toEqual({ owner: 'b', token: 2n, expiresAt: 6_000 });
    await backend.releaseLease('l', 'b', 2n);
    expect(await backend.acquireLease('l', 'a', 5_001, 7_000)).toBe(3n);
    expect(await backend.acquireLease('other', 'a', 0, 1)).toBe(1n);
  });

  it('says which table or column is missing when a projection migration was not listed', async () => {
    const dataSource = await open(config(), []);
    const backend = createReadModelBackend(dataSource);
    const table = compileTable(defineTable({ name: 'not_migrated', key: ['id'], columns: { id: 'text' } }));
    await backend.acquireLease('projections', 'me', 0, 10_000);
    const attempt = backend.commit({
      fence: { lease: 'projections', owner: 'me', token: 1n, renewTo: 10_000 },
      changes: [{ table, upserts: [{ id: 'x' }], deletes: [], increments: [] }],
      checkpoints: new Map(),
    });
    // Matched on the message: better-sqlite3's native error class belongs to the first Jest realm that
    // loaded it, so in a later test file it is not `instanceof Error` and toThrow would not see it.
    await expect(attempt).rejects.toMatchObject({
      message:
        kind === 'postgres'
          ? expect.stringMatching(/not_migrated does not exist: is its migration listed\?/)
          : 'no such table: not_migrated',
    });
  });

  if (kind === 'postgres') {
    it('migrates once when several processes open the same schema at the same time', async () => {
      const cfg = config();
      const sources = await Promise.all([open(cfg), open(cfg), open(cfg)]);
      const rows = await sources[0].query(`SELECT count(*)::int AS n FROM ${READ_MODEL_MIGRATIONS_TABLE}`);
      expect(rows).toEqual([{ n: 5 }]);
    });

    it('adds a later migration to an existing schema', async () => {
      const cfg = config();
      await (await open(cfg, [SyntheticTables1764400000100])).destroy();
      const later = await open(cfg);
      expect(await tables(later, cfg)).toContain('synth_stream_counts');
    });
  }
}

describe('read-model database on SQLite', () => {
  databaseScenarios('sqlite');
});

describePostgres('read-model database on PostgreSQL', () => {
  databaseScenarios('postgres');
});
