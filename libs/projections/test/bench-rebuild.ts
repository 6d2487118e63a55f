/**
 * Rebuild throughput of the synthetic projection (not part of the test suite):
 *
 *   node -r @swc-node/register libs/projections/test/bench-rebuild.ts [events] [sqlite|postgres|all] [lazy]
 *
 * Appends the events once (not timed), then times `runner.rebuild()` from an empty read model: reading the
 * log, applying, committing. SQLite: event log and read models in files under os.tmpdir(); PostgreSQL: both
 * in schemas of DATABASE_URL (or the local test server), dropped afterwards.
 */
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import { openReadModelDatabase } from '../src/database/read-model-database';
import { ProjectionRunner } from '../src/runner/projection-runner';
import { dropSchemas, POSTGRES_URL, RecordingLogger, tempDirectory } from './support';
import { ALL_SYNTHETIC_MIGRATIONS, appendSynthetic, countingProjection, lazySyntheticProjection, syntheticProjection } from './synthetic';

async function bench(kind: 'sqlite' | 'postgres', events: number, lazy: boolean): Promise<void> {
  const dir = tempDirectory(`bench-${kind}`);
  const schema = `bench_read_${process.pid}`;
  const eventSchema = `bench_events_${process.pid}`;
  let store: EventStore | undefined;
  try {
    store =
      kind === 'sqlite'
        ? await createEventStore({ kind: 'sqlite', file: dir.path('events.sqlite'), synchronous: 'NORMAL' })
        : await createEventStore({ kind: 'postgres', connectionString: POSTGRES_URL, schema: eventSchema });
    const appendStarted = performance.now();
    await appendSynthetic(store, 0, events, { perCommit: 1000, streams: Math.max(40, Math.floor(events / 20)) });
    const appendSeconds = (performance.now() - appendStarted) / 1000;
    const dataSource = await openReadModelDatabase(
      kind === 'sqlite' ? { kind: 'sqlite', file: dir.path('read.sqlite') } : { kind: 'postgres', url: POSTGRES_URL, schema },
      { migrations: ALL_SYNTHETIC_MIGRATIONS },
    );
    const projections = [lazy ? lazySyntheticProjection() : syntheticProjection(), countingProjection()];
    const runner = new ProjectionRunner({ store, dataSource, projections, logger: new RecordingLogger() });
    const result = await runner.rebuild();
    process.stdout.write(
      `${kind}${lazy ? ' (no prefetch)' : ''}: appended ${events} events in ${appendSeconds.toFixed(1)} s; ` +
        `rebuild ${result.events} events in ${(result.durationMs / 1000).toFixed(2)} s = ${result.eventsPerSecond} events/s\n`,
    );
    await runner.close();
    await dataSource.destroy();
  } finally {
    await store?.close();
    if (kind === 'postgres') await dropSchemas(schema, eventSchema);
    dir.cleanup();
  }
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 100_000);
  const which = process.argv[3] ?? 'all';
  const lazy = process.argv[4] === 'lazy';
  if (which === 'sqlite' || which === 'all') await bench('sqlite', events, lazy);
  if (which === 'postgres' || which === 'all') await bench('postgres', events, lazy);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
