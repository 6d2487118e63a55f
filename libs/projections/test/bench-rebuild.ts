/**
 * Rebuild throughput of the synthetic projection (not part of the test suite):
 *
 *   node -r @swc-node/register libs/projections/test/bench-rebuild.ts [events] [sqlite|postgres|all] [lazy]
 *
 * Appends the events once (not timed), then times `runner.rebuild()` from an empty read model: reading the
 * log, applying, committing. SQLite: event log and read models in files under os.tmpdir(); PostgreSQL: both
 * in schemas of DATABASE_URL (or the local test server), dropped afterwards.
 */
import {
  ALL_SYNTHETIC_MIGRATIONS,
  appendSynthetic,
  countingProjection,
  lazySyntheticProjection,
  syntheticProjection,
} from './synthetic';
import { benchMain, rebuildFigures, timeRebuild, type BenchBackend } from './rebuild-bench';

async function bench(kind: BenchBackend, events: number, lazy: boolean): Promise<void> {
  let appendSeconds = 0;
  await timeRebuild(kind, {
    name: 'bench',
    projections: [lazy ? lazySyntheticProjection() : syntheticProjection(), countingProjection()],
    migrations: ALL_SYNTHETIC_MIGRATIONS,
    async append(store) {
      const appendStarted = performance.now();
      await appendSynthetic(store, 0, events, {
        perCommit: 1000,
        streams: Math.max(40, Math.floor(events / 20)),
      });
      appendSeconds = (performance.now() - appendStarted) / 1000;
    },
    report: (result) =>
      `${lazy ? ' (no prefetch)' : ''}: appended ${events} events in ${appendSeconds.toFixed(1)} s; rebuild ${rebuildFigures(result)}`,
  });
}

const events = Number(process.argv[2] ?? 100_000);
const lazy = process.argv[4] === 'lazy';
benchMain(process.argv[3] ?? 'all', (kind) => bench(kind, events, lazy));
