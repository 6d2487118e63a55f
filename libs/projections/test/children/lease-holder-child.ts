/**
 * A projector process that takes the lease under its default owner id (host:pid:random) and then either
 * idles (the parent kills it with SIGKILL: a dead holder) or stops itself with SIGSTOP inside a batch
 * transaction, after its rows and before its checkpoint (a stalled holder keeping the lease row locked).
 * Input (argv[2], JSON): read-model config, event store config, lease TTL, and `stallAfter` (a position:
 * the first batch past it stops the process) or nothing. Prints one JSON line once it leads.
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
  readonly ttlMs: number;
  readonly stallAfter?: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const stallAfter = input.stallAfter === undefined ? undefined : BigInt(input.stallAfter);
  const store = await createEventStore(input.store);
  const dataSource = await openReadModelDatabase(input.readModels, { migrations: ALL_SYNTHETIC_MIGRATIONS });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projections: [syntheticProjection()],
    logger: new RecordingLogger(),
    batchSize: 50,
    lease: { ttlMs: input.ttlMs },
    testHooks: {
      beforeCheckpoint: ({ from }) => {
        if (stallAfter !== undefined && from > stallAfter) process.kill(process.pid, 'SIGSTOP');
      },
    },
  });
  await runner.start();
  const status = await runner.status();
  process.stdout.write(`${JSON.stringify({ owner: status.owner, leader: status.leader })}\n`);
  // Runs until the parent kills it (or the hook stops it).
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
