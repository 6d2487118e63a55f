import { createEventStore, type EventStore, type EventStoreConfig, type RecordedEvent } from '@wasteflow/event-store';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { ReadModelDatabaseConfig } from '../src/database/read-model-config';
import { openReadModelDatabase } from '../src/database/read-model-database';
import type { Projection } from '../src/runner/projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../src/runner/projection-runner';
import { dropSchemas, POSTGRES_URL, RecordingLogger, schemaFor, tempDirectory } from './support';
import { ALL_SYNTHETIC_MIGRATIONS, expectedState, sortRows, streamCounts, streamStats, typeTotals, type SyntheticState } from './synthetic';

export type ReadModelKind = 'sqlite' | 'postgres';

export interface FixtureOptions {
  /** Event store on SQLite even when the read models are on PostgreSQL (it can start above 2^53). */
  readonly sqliteStore?: boolean;
  readonly initialPosition?: bigint;
}

export type RunnerOverrides = Partial<Omit<ProjectionRunnerOptions, 'store' | 'dataSource' | 'projections'>>;

/**
 * One test's world: a fresh event store and a fresh read-model database (a SQLite file, or a PostgreSQL
 * schema), and every runner and DataSource opened on them, closed and dropped by dispose().
 */
export class Fixture {
  readonly config: ReadModelDatabaseConfig;
  private readonly dataSources: DataSource[] = [];
  private readonly runners: ProjectionRunner[] = [];
  private readonly schemas: string[] = [];
  private storeInstance: EventStore | undefined;
  private storeOptions: EventStoreConfig | undefined;
  private readonly dir: ReturnType<typeof tempDirectory>;

  constructor(
    readonly kind: ReadModelKind,
    private readonly file: string,
    private readonly name: string,
    private readonly options: FixtureOptions = {},
  ) {
    this.dir = tempDirectory(`${file}-${name}`);
    if (kind === 'sqlite') {
      this.config = { kind: 'sqlite', file: this.dir.path('read-models.sqlite') };
    } else {
      const schema = schemaFor(file, name);
      this.schemas.push(schema);
      this.config = { kind: 'postgres', url: POSTGRES_URL, schema, poolSize: 4 };
    }
  }

  get store(): EventStore {
    if (!this.storeInstance) throw new Error('call init() first');
    return this.storeInstance;
  }

  /** How to open the same event store elsewhere (a child process). */
  get storeConfig(): EventStoreConfig {
    if (!this.storeOptions) throw new Error('call init() first');
    return this.storeOptions;
  }

  async init(): Promise<this> {
    if (this.kind === 'sqlite' || this.options.sqliteStore) {
      this.storeOptions = {
        kind: 'sqlite',
        file: this.dir.path('events.sqlite'),
        synchronous: 'NORMAL',
        pollIntervalMs: 20,
        initialPosition: this.options.initialPosition,
      };
    } else {
      const schema = schemaFor(this.file, `${this.name}_es`);
      this.schemas.push(schema);
      this.storeOptions = { kind: 'postgres', connectionString: POSTGRES_URL, schema, poolSize: 4, pollIntervalMs: 50 };
    }
    this.storeInstance = await createEventStore(this.storeOptions);
    return this;
  }

  /** A new DataSource on the read-model database, as another process would open it. */
  async open(): Promise<DataSource> {
    const dataSource = await openReadModelDatabase(this.config, { migrations: ALL_SYNTHETIC_MIGRATIONS });
    this.dataSources.push(dataSource);
    return dataSource;
  }

  async runner(
    projections: readonly Projection[],
    overrides: RunnerOverrides = {},
    dataSource?: DataSource,
  ): Promise<{ runner: ProjectionRunner; logger: RecordingLogger; metrics: Registry; dataSource: DataSource }> {
    const logger = overrides.logger instanceof RecordingLogger ? overrides.logger : new RecordingLogger();
    const metrics = overrides.metrics ?? new Registry();
    const source = dataSource ?? (await this.open());
    const runner = new ProjectionRunner({
      batchSize: 100,
      lease: { ttlMs: 2_000, standbyPollMs: 50 },
      checkpointPollMs: 20,
      restartDelayMs: 0,
      ...overrides,
      store: this.store,
      dataSource: source,
      projections,
      logger,
      metrics,
    });
    this.runners.push(runner);
    return { runner, logger, metrics, dataSource: source };
  }

  async events(): Promise<RecordedEvent[]> {
    return this.store.readAll();
  }

  async expected(upTo?: bigint): Promise<SyntheticState> {
    return expectedState(await this.events(), upTo);
  }

  /** The read models as they are in the database. */
  async actual(runner: ProjectionRunner, withCounts = false): Promise<SyntheticState> {
    return {
      streamStats: sortRows(await runner.dumpTable(streamStats), ['stream']),
      typeTotals: sortRows(await runner.dumpTable(typeTotals), ['type', 'bucket']),
      streamCounts: withCounts ? sortRows(await runner.dumpTable(streamCounts), ['stream']) : [],
    };
  }

  async dispose(): Promise<void> {
    for (const runner of this.runners) await runner.close().catch(() => undefined);
    await this.storeInstance?.close();
    for (const dataSource of this.dataSources) if (dataSource.isInitialized) await dataSource.destroy();
    if (this.schemas.length > 0) await dropSchemas(...this.schemas);
    this.dir.cleanup();
  }
}

/** Opens fixtures for a test file and disposes them after each test. */
export function fixtures(kind: ReadModelKind, file: string): (name: string, options?: FixtureOptions) => Promise<Fixture> {
  const open: Fixture[] = [];
  afterEach(async () => {
    while (open.length > 0) await (open.pop() as Fixture).dispose();
  });
  return async (name, options) => {
    const fixture = new Fixture(kind, file, name, options);
    open.push(fixture);
    return fixture.init();
  };
}

/** Leaves out counts when the scenario has no counting projection. */
export function withoutCounts(state: SyntheticState): SyntheticState {
  return { ...state, streamCounts: [] };
}
