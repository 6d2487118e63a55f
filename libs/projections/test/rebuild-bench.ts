/**
 * What the rebuild benches share (bench-rebuild.ts, bench-rebuild-domain.ts,
 * src/indicators/testing/bench-read-models.ts; none is part of the test suite): a fresh event store and
 * read-model database per run, the events appended once (not timed), then `runner.rebuild()` timed from
 * empty read models. SQLite: both in files under os.tmpdir(); PostgreSQL: both in schemas of DATABASE_URL
 * (or the local test server), dropped afterwards.
 */
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import type { MigrationClass } from '../src/database/migration-helpers';
import { openReadModelDatabase } from '../src/database/read-model-database';
import type { Projection } from '../src/runner/projection';
import { ProjectionRunner } from '../src/runner/projection-runner';
import type { RebuildResult } from '../src/runner/runner-types';
import { dropSchemas, POSTGRES_URL, RecordingLogger, tempDirectory } from './support';

export type BenchBackend = 'sqlite' | 'postgres';

export interface RebuildBench {
  /** Names the temporary directory and schemas. */
  readonly name: string;
  readonly projections: readonly Projection[];
  /** The read-model migrations to run; the projections' own by default. */
  readonly migrations?: readonly MigrationClass[];
  /** Appends the history (not timed). */
  append(store: EventStore): Promise<void>;
  /** The line printed after the rebuild. */
  report(result: RebuildResult): string;
}

export async function timeRebuild(kind: BenchBackend, bench: RebuildBench): Promise<void> {
  const dir = tempDirectory(`${bench.name}-${kind}`);
  const schema = `${bench.name.replaceAll('-', '_')}_read_${process.pid}`;
  const eventSchema = `${bench.name.replaceAll('-', '_')}_events_${process.pid}`;
  let store: EventStore | undefined;
  try {
    store =
      kind === 'sqlite'
        ? await createEventStore({ kind: 'sqlite', file: dir.path('events.sqlite'), synchronous: 'NORMAL' })
        : await createEventStore({ kind: 'postgres', connectionString: POSTGRES_URL, schema: eventSchema });
    await bench.append(store);
    const projections = [...bench.projections];
    const dataSource = await openReadModelDatabase(
      kind === 'sqlite'
        ? { kind: 'sqlite', file: dir.path('read.sqlite') }
        : { kind: 'postgres', url: POSTGRES_URL, schema },
      { migrations: [...(bench.migrations ?? projections.flatMap((p) => p.migrations ?? []))] },
    );
    const runner = new ProjectionRunner({ store, dataSource, projections, logger: new RecordingLogger() });
    const result = await runner.rebuild();
    process.stdout.write(`${kind}${bench.report(result)}\n`);
    await runner.close();
    await dataSource.destroy();
  } finally {
    await store?.close();
    if (kind === 'postgres') await dropSchemas(schema, eventSchema);
    dir.cleanup();
  }
}

/** "rebuild 1000 events in 1.23 s = 813 events/s" */
export function rebuildFigures(result: RebuildResult): string {
  return `${result.events} events in ${(result.durationMs / 1000).toFixed(2)} s = ${result.eventsPerSecond} events/s`;
}

/**
 * A bench's entry point: runs `run` on the backends `where` names (`sqlite`, `postgres` or `all`) one after
 * the other; an error is printed and the process exits with 1.
 */
export function benchMain(where: string, run: (kind: BenchBackend) => Promise<void>): void {
  const backends = (['sqlite', 'postgres'] as const).filter((kind) => where === kind || where === 'all');
  (async () => {
    for (const kind of backends) await run(kind);
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
