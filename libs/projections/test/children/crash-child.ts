/**
 * A projector process that dies by SIGKILL inside a batch transaction, after its rows were written and
 * before its checkpoint: the harshest crash there is. Input (argv[2], JSON): read-model config, event
 * store config, and the position after which the next batch kills the process.
 */
import { createEventStore, type EventStoreConfig } from '@wasteflow/event-store';
import { openReadModelDatabase } from '../../src/database/read-model-database';
import type { ReadModelDatabaseConfig } from '../../src/database/read-model-config';
import { ProjectionRunner } from '../../src/runner/projection-runner';
import { RecordingLogger } from '../support';
import { ALL_SYNTHETIC_MIGRATIONS, syntheticProjection } from '../synthetic';

interface Input {
  readonly readModels: ReadModelDatabaseConfig;
  readonly store: EventStoreConfig;
  readonly killAfter: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const killAfter = BigInt(input.killAfter);
  const store = await createEventStore(input.store);
  const dataSource = await openReadModelDatabase(input.readModels, { migrations: ALL_SYNTHETIC_MIGRATIONS });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projections: [syntheticProjection()],
    logger: new RecordingLogger(),
    owner: 'doomed-child',
    batchSize: 50,
    lease: { ttlMs: 500 },
    testHooks: {
      beforeCheckpoint: ({ from }) => {
        if (from > killAfter) process.kill(process.pid, 'SIGKILL');
      },
    },
  });
  await runner.start();
  // Runs until the hook kills it; the parent's timeout catches a child that never gets there.
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
