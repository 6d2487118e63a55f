/**
 * What the crash and lease children share: the synthetic projection's runner (batches of 50) on the store and
 * read models the parent names, with a hook just before each batch's checkpoint (its rows written, the
 * checkpoint not yet), started; and a main that reports a failure on stderr with exit code 2.
 */
import { createEventStore, type EventStoreConfig } from '@wasteflow/event-store';
import { openReadModelDatabase } from '../../src/database/read-model-database';
import type { ReadModelDatabaseConfig } from '../../src/database/read-model-config';
import { ProjectionRunner } from '../../src/runner/projection-runner';
import type { ProjectionRunnerOptions } from '../../src/runner/runner-types';
import { RecordingLogger } from '../support';
import { ALL_SYNTHETIC_MIGRATIONS, syntheticProjection } from '../synthetic';

export interface SyntheticChildInput {
  readonly readModels: ReadModelDatabaseConfig;
  readonly store: EventStoreConfig;
}

export async function startSyntheticRunner(
  input: SyntheticChildInput,
  options: Pick<ProjectionRunnerOptions, 'owner' | 'lease'>,
  beforeCheckpoint: (from: bigint) => void,
): Promise<ProjectionRunner> {
  const store = await createEventStore(input.store);
  const dataSource = await openReadModelDatabase(input.readModels, { migrations: ALL_SYNTHETIC_MIGRATIONS });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projections: [syntheticProjection()],
    logger: new RecordingLogger(),
    batchSize: 50,
    ...options,
    testHooks: { beforeCheckpoint: ({ from }) => beforeCheckpoint(from) },
  });
  await runner.start();
  return runner;
}

/** Runs `main` with the child's input (argv[2], JSON); a failure goes to stderr and exits with code 2. */
export function runChildMain<I>(main: (input: I) => Promise<void>): void {
  main(JSON.parse(process.argv[2]) as I).catch((error: unknown) => {
    console.error(error);
    process.exit(2);
  });
}
