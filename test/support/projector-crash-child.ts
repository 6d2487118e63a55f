/**
 * A projector that dies by SIGKILL inside a batch transaction — after the read-model rows of the batch were
 * written and before its checkpoint — running the real projections (WASTEFLOW_PROJECTIONS) over real domain
 * events. Input (argv[2], JSON): { store: EventStoreConfig, readModels: ReadModelDatabaseConfig, killAfter,
 * batchSize }. Run with `node -r @swc-node/register` (see test/rebuild.e2e-spec.ts).
 */
import { createEventStore, type EventStoreConfig } from '@wasteflow/event-store';
import {
  openReadModelDatabase,
  ProjectionRunner,
  loadReferenceData,
  wasteflowProjections,
  type ReadModelDatabaseConfig,
} from '@wasteflow/projections';

/** Every projection over the bundled reference data (the working-day calendar), as the api runs them. */
const WASTEFLOW_PROJECTIONS = wasteflowProjections(loadReferenceData({}));

interface Input {
  readonly store: EventStoreConfig;
  readonly readModels: ReadModelDatabaseConfig;
  readonly killAfter: string;
  readonly batchSize: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as Input;
  const killAfter = BigInt(input.killAfter);
  const store = await createEventStore(input.store);
  const dataSource = await openReadModelDatabase(input.readModels, {
    migrations: WASTEFLOW_PROJECTIONS.flatMap((p) => p.migrations ?? []),
  });
  const runner = new ProjectionRunner({
    store,
    dataSource,
    projections: WASTEFLOW_PROJECTIONS,
    logger: { log: () => undefined, warn: () => undefined, error: (m) => process.stderr.write(`${m}\n`) },
    owner: 'doomed-projector',
    batchSize: input.batchSize,
    lease: { ttlMs: 1_000 },
    restartDelayMs: 0,
    testHooks: {
      beforeCheckpoint: ({ from, to }) => {
        if (from > killAfter) {
          process.stdout.write(`${JSON.stringify({ killedIn: [from.toString(), to.toString()] })}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
      },
    },
  });
  await runner.start();
  // Runs until the hook kills it; the parent's timeout catches a child that never gets there.
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
