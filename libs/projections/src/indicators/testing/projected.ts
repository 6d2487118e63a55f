import type { DataSource } from 'typeorm';
import { openReadModelDatabase } from '../../database/read-model-database';
import type { Projection } from '../../runner/projection';
import type { ProjectionRunner } from '../../runner/projection-runner';
import type { Fixture } from '../../../test/fixture';
import type { LedgerWorld } from './ledger-world';

export interface Projected {
  readonly runner: ProjectionRunner;
  readonly dataSource: DataSource;
  /** Appends what the ledger decided since the last call and waits until the runner has applied it. */
  catchUp(): Promise<bigint>;
  close(): Promise<void>;
}

/**
 * The real runner with the given projections over a fixture's store and a read-model database migrated
 * with their own migrations; started, caught up with what `ledger` decided so far.
 */
export async function projected(
  fixture: Fixture,
  ledger: LedgerWorld,
  projections: readonly Projection[],
  batchSize = 100,
): Promise<Projected> {
  const dataSource = await openReadModelDatabase(fixture.config, {
    migrations: projections.flatMap((p) => p.migrations ?? []),
  });
  const { runner } = await fixture.runner(projections, { batchSize }, dataSource);
  await runner.start();
  const catchUp = async () => {
    const head = await ledger.flush(fixture.store);
    if (!(await runner.waitForPosition(head, 20_000))) {
      throw new Error(
        `the runner did not reach ${head}: ${JSON.stringify((await runner.status()).error ?? {})}`,
      );
    }
    return head;
  };
  await catchUp();
  return {
    runner,
    dataSource,
    catchUp,
    async close() {
      await runner.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
