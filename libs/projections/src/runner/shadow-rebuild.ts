import { performance } from 'node:perf_hooks';
import type { EventStore } from '@wasteflow/event-store';
import type { ReadModelBackend } from '../database/backend';
import { BatchApplier, type RuntimeProjection } from './batch-applier';
import type { LeaseKeeper } from './lease-keeper';
import type { RunnerMetrics } from './metrics';
import { ProgressBook } from './progress-book';
import { replay, REPLAY_COMMIT_ATTEMPTS } from './replay';
import { compileTable, type CompiledTable, type TableDefinition } from './table';
import type { RebuildProgress, RebuildResult, RunnerLogger, RunnerTestHooks } from './runner-types';

/**
 * A rebuild without blanking a read (ADR 0011): the log replayed from zero into shadow tables while the live
 * ones keep answering, then swapped in in one transaction once the shadow has caught up with the live
 * checkpoint. The runner (projection-runner.ts) holds the rebuild lease around it and picks up the swap.
 */

/** What a rebuild needs of its runner. */
export interface ShadowRebuildContext {
  readonly backend: ReadModelBackend;
  readonly store: EventStore;
  readonly logger: RunnerLogger;
  readonly clock: () => number;
  readonly hooks: RunnerTestHooks;
  readonly metrics?: RunnerMetrics;
  /** Only from position zero may the rebuild carry its committed rows between batches. */
  readonly carryRows: boolean;
  readonly carriedRowsLimit?: number;
  /** The writer's lease, whose holder's next batch sees the swap. */
  readonly leaseName: string;
  /** After the swap (and the failures logged): the runner goes on from the rebuilt checkpoints. */
  readonly afterSwap: () => Promise<void>;
}

/** The shadow a rebuild fills for a live table (≤ 63 characters: live names are short). */
export function shadowName(table: string): string {
  return `${table}__shadow`;
}

function shadowCheckpoint(projection: string): string {
  return `${projection}~shadow`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function rebuildInShadow(
  ctx: ShadowRebuildContext,
  chosen: readonly RuntimeProjection[],
  keeper: LeaseKeeper,
  batchSize: number,
  onProgress: ((progress: RebuildProgress) => void) | undefined,
): Promise<RebuildResult> {
  const started = performance.now();
  const shadows = new Map<TableDefinition, CompiledTable>();
  const pairsOf = (projection: RuntimeProjection) =>
    projection.definition.tables.map((definition) => ({
      live: compileTable(definition),
      shadow: shadows.get(definition) as CompiledTable,
    }));
  for (const projection of chosen) {
    for (const definition of projection.definition.tables)
      shadows.set(definition, compileTable({ ...definition, name: shadowName(definition.name) }));
  }
  const pairs = chosen.flatMap(pairsOf);
  const book = new ProgressBook(chosen.map((p) => p.name));
  const hook = ctx.hooks.beforeCheckpoint;
  const applier = new BatchApplier({
    backend: ctx.backend,
    projections: chosen,
    book,
    clock: ctx.clock,
    tableOf: (definition) => shadows.get(definition) ?? compileTable(definition),
    checkpointName: shadowCheckpoint,
    ...(hook ? { beforeCheckpoint: (range) => hook({ mode: 'rebuild', ...range }) } : {}),
  });
  const applied: Record<string, number> = Object.fromEntries(chosen.map((p) => [p.name, 0]));
  const failed: Record<string, RebuildResult['failed'][string]> = {};
  let events = 0;
  let position = 0n;
  const total = await ctx.store.headPosition();
  ctx.logger.log(
    `Rebuilding ${chosen.map((p) => p.name).join(', ')} in shadow tables up to position ${total}`,
  );
  try {
    await ctx.backend.createShadows(pairs);
    const restore = await ctx.backend.beginRebuild?.();
    try {
      let until = total;
      for (let round = 0; ; round += 1) {
        const reached = await replay({
          store: ctx.store,
          applier,
          fence: () => keeper.fence(),
          after: position,
          until,
          batchSize,
          // Only this rebuild writes the shadow tables: the rows it committed are carried between batches.
          // Only from zero: carried tables start out "complete", which holds for emptied tables alone.
          carry: round === 0 && ctx.carryRows,
          carriedRowsLimit: ctx.carriedRowsLimit,
          onCommit: (outcome) => {
            ctx.metrics?.committed('rebuild', outcome.seconds, new Map(), outcome.applied);
            for (const [name, count] of outcome.applied) applied[name] += count;
            for (const [name, failure] of outcome.failed) failed[name] = failure;
          },
          onProgress: onProgress
            ? (p) => onProgress({ processed: p.processed, total, events: events + p.events })
            : undefined,
          onResend: (batch, error, attempt) =>
            ctx.logger.warn(
              `Rebuild batch of positions ${batch.from}–${batch.to} did not commit (${errorMessage(error)}); sent again (attempt ${attempt + 1} of ${REPLAY_COMMIT_ATTEMPTS})`,
            ),
        });
        events += reached.events;
        position = reached.position > position ? reached.position : position;
        const healthy = chosen.filter((p) => !book.isFailed(p.name));
        if (healthy.length === 0) break;
        const outcome = await ctx.backend.swap({
          lease: ctx.leaseName,
          position,
          projections: healthy.map((p) => ({
            name: p.name,
            version: p.version,
            tables: pairsOf(p),
            shadowCheckpoint: shadowCheckpoint(p.name),
          })),
        });
        if (outcome.swapped) break;
        // The live projections went past the shadow meanwhile: catch up with them (and the head), swap again.
        if (round >= 20)
          throw new Error(`The rebuild could not catch up with the live projections (at ${position})`);
        const head = await ctx.store.headPosition();
        until = head > outcome.behind ? head : outcome.behind;
      }
    } finally {
      await restore?.();
    }
  } catch (error) {
    // The live tables are untouched: only the shadows go, and the cause is said as it was.
    await ctx.backend.dropShadows(pairs).catch(() => undefined);
    ctx.logger.error(`Rebuild failed, the live read models are as they were: ${errorMessage(error)}`);
    throw error;
  }
  const failedPairs = chosen.filter((p) => book.isFailed(p.name)).flatMap(pairsOf);
  if (failedPairs.length > 0) await ctx.backend.dropShadows(failedPairs);
  for (const [name, failure] of Object.entries(failed)) {
    ctx.logger.error(
      `Rebuild of ${name} stopped at position ${failure.position} (${failure.eventType} ${failure.eventId}): ${failure.message}; its live read model was kept`,
    );
  }
  await ctx.afterSwap();
  const durationMs = performance.now() - started;
  ctx.logger.log(
    `Rebuilt up to position ${position}: ${events} events in ${Math.round(durationMs)} ms and swapped in`,
  );
  return {
    events,
    applied,
    failed,
    toPosition: position,
    durationMs,
    eventsPerSecond: durationMs > 0 ? Math.round((events * 1000) / durationMs) : events,
  };
}
