/**
 * Rebuild throughput over realistic domain events (not part of the test suite):
 *
 *   node -r @swc-node/register libs/projections/test/bench-rebuild-domain.ts [events] [sqlite|postgres|all] [mine|all]
 *
 * Builds seeded domain histories (split, consolidate, ship with losses and rejections, cancel, treat,
 * correct: see domain-history.ts) until about `events` events, appends them once (not timed), then times
 * `runner.rebuild()` from empty read models: `mine` = trace + manifests, `all` = WASTEFLOW_PROJECTIONS.
 */
import { baseWorld } from '@wasteflow/domain/testing';
import type { DomainEvent } from '@wasteflow/domain';
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import { openReadModelDatabase } from '../src/database/read-model-database';
import { createManifestsProjection } from '../src/manifests/manifest.projection';
import { loadReferenceData } from '../src/reference/reference-data';
import { ProjectionRunner } from '../src/runner/projection-runner';
import { traceProjection } from '../src/trace/trace.projection';
import { wasteflowProjections } from '../src/wasteflow-projections';
import { appendHistory, domainHistory } from './domain-history';
import { dropSchemas, POSTGRES_URL, RecordingLogger, tempDirectory } from './support';

function history(target: number): DomainEvent[] {
  const parties = baseWorld().log.length;
  const events: DomainEvent[] = [];
  for (let round = 0; events.length < target; round += 1) {
    const world = domainHistory({ seed: 1000 + round, generations: 40, actions: 300, offset: round + 1 });
    events.push(...(round === 0 ? world.log : world.log.slice(parties)));
  }
  return events;
}

async function bench(
  kind: 'sqlite' | 'postgres',
  events: readonly DomainEvent[],
  which: 'mine' | 'all',
): Promise<void> {
  const dir = tempDirectory(`bench-domain-${kind}`);
  const schema = `bench_read_${process.pid}`;
  const eventSchema = `bench_events_${process.pid}`;
  let store: EventStore | undefined;
  try {
    store =
      kind === 'sqlite'
        ? await createEventStore({ kind: 'sqlite', file: dir.path('events.sqlite'), synchronous: 'NORMAL' })
        : await createEventStore({ kind: 'postgres', connectionString: POSTGRES_URL, schema: eventSchema });
    const appendStarted = performance.now();
    await appendHistory(store, events, 500);
    const appendSeconds = (performance.now() - appendStarted) / 1000;
    const reference = loadReferenceData({});
    const projections =
      which === 'mine' ? [traceProjection, createManifestsProjection(reference)] : wasteflowProjections(reference);
    const dataSource = await openReadModelDatabase(
      kind === 'sqlite'
        ? { kind: 'sqlite', file: dir.path('read.sqlite') }
        : { kind: 'postgres', url: POSTGRES_URL, schema },
      { migrations: projections.flatMap((p) => p.migrations ?? []) },
    );
    const runner = new ProjectionRunner({ store, dataSource, projections, logger: new RecordingLogger() });
    const result = await runner.rebuild();
    process.stdout.write(
      `${kind} (${which}: ${projections.map((p) => p.name).join(', ')}): appended ${events.length} domain events in ${appendSeconds.toFixed(1)} s; ` +
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
  const target = Number(process.argv[2] ?? 100_000);
  const where = process.argv[3] ?? 'all';
  const which = (process.argv[4] ?? 'mine') as 'mine' | 'all';
  const started = performance.now();
  const events = history(target);
  process.stdout.write(
    `generated ${events.length} domain events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (where === 'sqlite' || where === 'all') await bench('sqlite', events, which);
  if (where === 'postgres' || where === 'all') await bench('postgres', events, which);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
