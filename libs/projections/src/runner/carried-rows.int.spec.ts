import { createEventStore, type EventStore } from '@wasteflow/event-store';
import type { DataSource } from 'typeorm';
import { openReadModelDatabase } from '../database/read-model-database';
import { loadReferenceData } from '../reference/reference-data';
import { wasteflowProjections } from '../wasteflow-projections';
import { appendHistory, domainHistory } from '../../test/domain-history';
import { RecordingLogger, tempDirectory } from '../../test/support';
import { ProjectionRunner } from './projection-runner';
import type { ProjectionRunnerOptions } from './runner-types';

const PROJECTIONS = wasteflowProjections(loadReferenceData({}));

/**
 * A rebuild whose carried rows are evicted all along (a limit of a few rows, small batches: what a history
 * of tens of millions of events does to the default limit) builds the very tables the incremental runner
 * built, row for row, as does one that carries everything and one that carries nothing.
 */
describe('rebuild with carried rows evicted (bounded memory)', () => {
  const dir = tempDirectory(__filename);
  const sources: DataSource[] = [];
  let store: EventStore;
  const world = domainHistory({ seed: 20261204, generations: 14, actions: 160 });

  const runnerOn = async (name: string, options: Partial<ProjectionRunnerOptions> = {}) => {
    const dataSource = await openReadModelDatabase(
      { kind: 'sqlite', file: dir.path(`${name}.sqlite`) },
      { migrations: PROJECTIONS.flatMap((p) => p.migrations ?? []) },
    );
    sources.push(dataSource);
    return new ProjectionRunner({
      store,
      dataSource,
      projections: PROJECTIONS,
      logger: new RecordingLogger(),
      restartDelayMs: 0,
      ...options,
    });
  };
  const dump = async (runner: ProjectionRunner) => {
    const tables: Record<string, unknown[]> = {};
    for (const projection of PROJECTIONS)
      for (const table of projection.tables) tables[table.name] = await runner.dumpTable(table);
    return tables;
  };

  let incremental: Record<string, unknown[]>;

  beforeAll(async () => {
    store = await createEventStore({ kind: 'sqlite', file: dir.path('events.sqlite'), synchronous: 'NORMAL' });
    await appendHistory(store, world.log, 17);
    const live = await runnerOn('live', { batchSize: 7 });
    await live.start();
    expect(await live.waitForPosition(await store.headPosition(), 30_000)).toBe(true);
    incremental = await dump(live);
    await live.close();
  }, 60_000);

  afterAll(async () => {
    for (const source of sources) if (source.isInitialized) await source.destroy();
    await store?.close();
    dir.cleanup();
  });

  it('has a history worth checking', () => {
    expect(incremental.trace_batch.length).toBeGreaterThan(20);
    expect(incremental.manifest_view.length).toBeGreaterThan(5);
    expect(incremental.ledger_book_entry.length).toBeGreaterThan(incremental.trace_batch.length);
  });

  it.each([
    ['evicting every other batch', { rebuildBatchSize: 10, carriedRowsLimit: 6 }],
    ['evicting now and then', { rebuildBatchSize: 25, carriedRowsLimit: 60 }],
    ['carrying everything', { rebuildBatchSize: 25 }],
    ['carrying nothing', { rebuildBatchSize: 25, carryRows: false }],
  ] as const)('equals the incremental read models, %s', async (_name, options) => {
    const rebuilding = await runnerOn(`rebuild-${options.rebuildBatchSize}-${'carriedRowsLimit' in options ? options.carriedRowsLimit : 'all'}-${'carryRows' in options ? 'off' : 'on'}`, options);
    const result = await rebuilding.rebuild();
    expect(result.events).toBe(world.log.length);
    expect(await dump(rebuilding)).toEqual(incremental);
    await rebuilding.close();
  }, 60_000);

  it('refuses a limit that is not a positive integer', async () => {
    await expect(runnerOn('refused', { carriedRowsLimit: 0 })).rejects.toThrow('carriedRowsLimit must be a positive integer, got 0');
  });
});
