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
import { createManifestsProjection } from '../src/manifests/manifest.projection';
import { loadReferenceData } from '../src/reference/reference-data';
import { traceProjection } from '../src/trace/trace.projection';
import { wasteflowProjections } from '../src/wasteflow-projections';
import { appendHistory, domainHistory } from './domain-history';
import { benchMain, rebuildFigures, timeRebuild, type BenchBackend } from './rebuild-bench';

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
  kind: BenchBackend,
  events: readonly DomainEvent[],
  which: 'mine' | 'all',
): Promise<void> {
  const reference = loadReferenceData({});
  const projections =
    which === 'mine'
      ? [traceProjection, createManifestsProjection(reference)]
      : wasteflowProjections(reference);
  let appendSeconds = 0;
  await timeRebuild(kind, {
    name: 'bench-domain',
    projections,
    async append(store) {
      const appendStarted = performance.now();
      await appendHistory(store, events, 500);
      appendSeconds = (performance.now() - appendStarted) / 1000;
    },
    report: (result) =>
      ` (${which}: ${projections.map((p) => p.name).join(', ')}): appended ${events.length} domain events in ${appendSeconds.toFixed(1)} s; ` +
      `rebuild ${rebuildFigures(result)}`,
  });
}

const target = Number(process.argv[2] ?? 100_000);
const which = (process.argv[4] ?? 'mine') as 'mine' | 'all';
const started = performance.now();
const events = history(target);
process.stdout.write(
  `generated ${events.length} domain events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
benchMain(process.argv[3] ?? 'all', (kind) => bench(kind, events, which));
