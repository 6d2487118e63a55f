import { performance } from 'node:perf_hooks';
import type { RecordedEvent } from '@wasteflow/event-store';
import type { BatchCommit, Fence, ReadModelBackend, StoredFailure } from '../database/backend';
import type { CarriedRows } from './carried-rows';
import { ProjectionFailed } from './errors';
import { storedFailure, type ProgressBook, type ProjectionFailure } from './progress-book';
import type { Projection } from './projection';
import { BatchRows } from './row-cache';
import type { TableChanges } from './row-changes';
import { compileTable, type CompiledTable, type TableDefinition } from './table';

/** A projection as the runner runs it. */
export interface RuntimeProjection {
  readonly definition: Projection;
  readonly name: string;
  readonly version: number;
  readonly handles: (type: string) => boolean;
}

export function runtimeProjection(definition: Projection): RuntimeProjection {
  const types = definition.eventTypes === 'all' ? undefined : new Set(definition.eventTypes);
  return {
    definition,
    name: definition.name,
    version: definition.version ?? 1,
    handles: types ? (type) => types.has(type) : () => true,
  };
}

/** A batch being applied: its rows, the positions it spans, what each projection applied or why it failed. */
export interface OpenBatch {
  readonly rows: BatchRows;
  readonly from: bigint;
  to: bigint;
  events: number;
  readonly applied: Map<string, number>;
  /** Projections that failed on an event of this batch: their rows are dropped, their checkpoint stays. */
  readonly failed: Map<string, ProjectionFailure>;
  readonly started: number;
}

export interface CommitOutcome {
  /** New checkpoints of the projections the batch advanced. */
  readonly advanced: ReadonlyMap<string, bigint>;
  /** Projections that stopped in this batch. */
  readonly failed: ReadonlyMap<string, ProjectionFailure>;
  readonly applied: ReadonlyMap<string, number>;
  readonly seconds: number;
}

/**
 * The database refused the rows themselves (a NUL byte in a PostgreSQL text column, a value out of range,
 * a constraint), as opposed to being unreachable: committing again would fail again, so the projection
 * whose rows they are stops alone.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface BatchApplierOptions {
  readonly backend: ReadModelBackend;
  readonly projections: readonly RuntimeProjection[];
  readonly book: ProgressBook;
  readonly clock: () => number;
  /** Inside the transaction, after the rows and before the checkpoint (tests). */
  readonly beforeCheckpoint?: (batch: { from: bigint; to: bigint }) => void;
  /** Where each table's rows go (a rebuild: the shadow tables); the table itself by default. */
  readonly tableOf?: (definition: TableDefinition) => CompiledTable;
  /** The checkpoint row of a projection (a rebuild keeps its own, `<name>~shadow`). */
  readonly checkpointName?: (projection: string) => string;
}

/**
 * Applies a batch of events to every healthy projection over one row cache and commits it: rows,
 * checkpoints and failures in one transaction. A projection that cannot apply an event stops alone: its
 * rows of the batch are dropped, its failure (event position, type, id, error) recorded beside its
 * checkpoint, and the others' rows commit. When the database refuses a row, the projections are committed
 * one by one, and the one refused is applied again one event per transaction to find the event.
 */
export class BatchApplier {
  private readonly backend: ReadModelBackend;
  private readonly projections: readonly RuntimeProjection[];
  private readonly book: ProgressBook;
  private readonly clock: () => number;
  private readonly beforeCheckpoint?: (batch: { from: bigint; to: bigint }) => void;
  private readonly versions: ReadonlyMap<string, number>;
  private readonly tableOf: (definition: TableDefinition) => CompiledTable;
  private readonly checkpointName: (projection: string) => string;

  constructor(options: BatchApplierOptions) {
    this.tableOf = options.tableOf ?? compileTable;
    this.checkpointName = options.checkpointName ?? ((name) => name);
    this.backend = options.backend;
    this.projections = options.projections;
    this.book = options.book;
    this.clock = options.clock;
    this.beforeCheckpoint = options.beforeCheckpoint;
    this.versions = new Map(options.projections.map((p) => [p.name, p.version]));
  }

  open(from: bigint, carried?: CarriedRows): OpenBatch {
    return {
      rows: new BatchRows(this.backend, carried, this.tableOf),
      from,
      to: from,
      events: 0,
      applied: new Map(this.projections.map((p) => [p.name, 0])),
      failed: new Map(),
      started: performance.now(),
    };
  }

  /** Every healthy projection evolves over `events` (consecutive, after the batch's earlier ones). */
  async evolve(batch: OpenBatch, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    for (const projection of this.projections) {
      if (this.book.isFailed(projection.name) || batch.failed.has(projection.name)) continue;
      // Checkpoints move only at commit: within a batch they are where the batch started.
      const checkpoint = this.book.checkpoint(projection.name);
      if (checkpoint >= last) continue;
      const relevant = events.filter((event) => event.position > checkpoint && projection.handles(event.type));
      if (relevant.length === 0) continue;
      try {
        await this.evolveOne(projection, batch.rows, relevant);
      } catch (error) {
        if (!(error instanceof ProjectionFailed)) throw error;
        batch.rows.discard(projection.definition.tables);
        batch.applied.set(projection.name, 0);
        batch.failed.set(projection.name, {
          position: error.position,
          eventType: error.eventType,
          eventId: error.eventId,
          phase: error.phase,
          message: message(error.cause),
          at: new Date(this.clock()),
        });
        continue;
      }
      batch.applied.set(projection.name, (batch.applied.get(projection.name) ?? 0) + relevant.length);
    }
    batch.to = last;
    batch.events += events.length;
  }

  /**
   * Commits the batch under `fence`. `events` (live batches) lets a projection whose rows the database
   * refuses be applied again event by event, to record the very event; without it (rebuild pages, already
   * dropped) the failure names the batch's first event of that projection.
   */
  async commit(
    batch: OpenBatch,
    fence: () => Fence,
    options: { events?: readonly RecordedEvent[]; carried?: CarriedRows; generations?: boolean } = {},
  ): Promise<CommitOutcome> {
    const advanced: Map<string, bigint> = this.advancing(batch, this.projections.map((p) => p.name));
    const failures = this.failureChanges(batch, advanced);
    if (advanced.size === 0 && failures.size === 0) {
      return { advanced, failed: batch.failed, applied: batch.applied, seconds: 0 };
    }
    const changes = batch.rows.changes();
    try {
      await this.backend.commit(this.commitOf(batch, fence(), changes, advanced, failures, options.generations));
      options.carried?.committed(changes);
    } catch (error) {
      if (!isDataError(error)) throw error;
      // Someone's rows were refused: commit each projection alone and isolate the one refused.
      options.carried?.clear();
      return this.commitEach(batch, fence, options.events, options.generations);
    }
    this.settle(advanced, failures, batch);
    if (options.events) {
      // A projection that threw lost its whole batch: apply its events before the one it cannot apply
      // again, one per transaction, so that it stops exactly there (recorded again, at the same event).
      for (const name of batch.failed.keys()) {
        const projection = this.projections.find((p) => p.name === name) as RuntimeProjection;
        const failure = await this.isolate(projection, batch, fence, options.events, batch.failed.get(name), options.generations);
        batch.failed.set(name, failure);
        if (this.book.checkpoint(name) > (advanced.get(name) ?? 0n)) advanced.set(name, this.book.checkpoint(name));
      }
    }
    return { advanced, failed: batch.failed, applied: batch.applied, seconds: (performance.now() - batch.started) / 1000 };
  }

  /**
   * After a failed commit: true when none of the batch is in the database (every checkpoint it moves is where
   * this applier has it; one transaction moves all or none), so sending it again applies it exactly once.
   */
  async uncommitted(batch: OpenBatch): Promise<boolean> {
    const advancing = this.advancing(batch, this.projections.map((p) => p.name));
    if (advancing.size === 0) return false;
    const stored = await this.backend.readCheckpoints();
    return [...advancing.keys()].every(
      (name) => (stored.get(this.checkpointName(name)) ?? 0n) === this.book.checkpoint(name),
    );
  }

  private async commitEach(
    batch: OpenBatch,
    fence: () => Fence,
    events: readonly RecordedEvent[] | undefined,
    generations: boolean | undefined,
  ): Promise<CommitOutcome> {
    const allAdvanced = new Map<string, bigint>();
    for (const projection of this.projections) {
      const name = projection.name;
      const advanced = this.advancing(batch, [name]);
      const failures = this.failureChanges(batch, advanced, [name]);
      if (advanced.size === 0 && failures.size === 0) continue;
      const changes = batch.rows.changesOf(projection.definition.tables);
      try {
        await this.backend.commit(this.commitOf(batch, fence(), changes, advanced, failures, generations, [name]));
        this.settle(advanced, failures, batch);
        for (const [n, p] of advanced) allAdvanced.set(n, p);
      } catch (error) {
        if (!isDataError(error)) throw error;
        const failure = await this.isolate(projection, batch, fence, events, error, generations);
        batch.failed.set(name, failure);
        batch.applied.set(name, 0);
        if (this.book.checkpoint(name) > (allAdvanced.get(name) ?? 0n))
          allAdvanced.set(name, this.book.checkpoint(name));
      }
    }
    return { advanced: allAdvanced, failed: batch.failed, applied: batch.applied, seconds: (performance.now() - batch.started) / 1000 };
  }

  /**
   * The projection's rows were refused: apply its events of the batch again one per transaction, each with
   * its checkpoint, until the one that is refused; record that event as its failure.
   */
  private async isolate(
    projection: RuntimeProjection,
    batch: OpenBatch,
    fence: () => Fence,
    events: readonly RecordedEvent[] | undefined,
    refusal: unknown,
    generations: boolean | undefined,
  ): Promise<ProjectionFailure> {
    const name = projection.name;
    const candidates = (events ?? []).filter(
      (event) => event.position > this.book.checkpoint(name) && event.position <= batch.to,
    );
    for (const event of candidates) {
      const single = this.open(event.position);
      const failure = async (error: unknown): Promise<ProjectionFailure> => {
        const found: ProjectionFailure = {
          position: event.position,
          eventType: event.type,
          eventId: event.id,
          phase: error instanceof ProjectionFailed ? error.phase : 'commit',
          message: message(error instanceof ProjectionFailed ? error.cause : error),
          at: new Date(this.clock()),
        };
        await this.backend.commit(
          this.commitOf(single, fence(), [], new Map(), new Map([[name, { position: this.book.checkpoint(name), failure: storedFailure(found) }]]), generations, [name]),
        );
        this.book.fail(name, found);
        return found;
      };
      try {
        if (projection.handles(event.type)) await this.evolveOne(projection, single.rows, [event]);
      } catch (error) {
        if (error instanceof ProjectionFailed) return failure(error);
        throw error;
      }
      const advanced = new Map([[name, event.position]]);
      try {
        await this.backend.commit(
          this.commitOf(single, fence(), single.rows.changesOf(projection.definition.tables), advanced, new Map(), generations, [name]),
        );
      } catch (error) {
        if (!isDataError(error)) throw error;
        return failure(error);
      }
      this.book.advance(name, event.position);
    }
    // Not reproduced one by one (or no events kept): the failure as first met, or the batch's first position.
    const met = refusal as Partial<ProjectionFailure> | undefined;
    const found: ProjectionFailure = met && typeof met === 'object' && typeof met.eventId === 'string' ? (met as ProjectionFailure) : {
      position: candidates[0]?.position ?? batch.from,
      eventType: candidates[0]?.type ?? 'unknown',
      eventId: candidates[0]?.id ?? 'unknown',
      phase: 'commit',
      message: `rows of positions ${batch.from}–${batch.to} refused: ${message(refusal)}`,
      at: new Date(this.clock()),
    };
    await this.backend.commit(
      this.commitOf(this.open(batch.from), fence(), [], new Map(), new Map([[name, { position: this.book.checkpoint(name), failure: storedFailure(found) }]]), generations, [name]),
    );
    this.book.fail(name, found);
    return found;
  }

  private advancing(batch: OpenBatch, names: readonly string[]): Map<string, bigint> {
    const advanced = new Map<string, bigint>();
    for (const name of names) {
      if (this.book.isFailed(name) || batch.failed.has(name)) continue;
      if (this.book.checkpoint(name) < batch.to) advanced.set(name, batch.to);
    }
    return advanced;
  }

  /** Failures found in this batch to record; recorded failures to clear once passed (a retried projection). */
  private failureChanges(
    batch: OpenBatch,
    advanced: ReadonlyMap<string, bigint>,
    names: readonly string[] = this.projections.map((p) => p.name),
  ): Map<string, { position: bigint; failure: StoredFailure | null }> {
    const changes = new Map<string, { position: bigint; failure: StoredFailure | null }>();
    for (const name of names) {
      const found = batch.failed.get(name);
      if (found) changes.set(name, { position: this.book.checkpoint(name), failure: storedFailure(found) });
    }
    for (const [name, position] of advanced) {
      if (this.clearing.has(name)) changes.set(name, { position, failure: null });
    }
    return changes;
  }

  /** Projections whose recorded failure is being retried (a restart): cleared at their next commit. */
  readonly clearing = new Set<string>();

  private commitOf(
    batch: OpenBatch,
    fence: Fence,
    changes: readonly TableChanges[],
    checkpoints: ReadonlyMap<string, bigint>,
    failures: ReadonlyMap<string, { position: bigint; failure: StoredFailure | null }>,
    generations: boolean | undefined,
    names?: readonly string[],
  ): BatchCommit {
    const hook = this.beforeCheckpoint;
    const all = this.book.generations();
    const expected = generations
      ? new Map([...all].filter(([name]) => !names || names.includes(name)))
      : undefined;
    const named = <V>(map: ReadonlyMap<string, V>): Map<string, V> =>
      new Map([...map].map(([name, value]) => [this.checkpointName(name), value]));
    return {
      fence,
      changes,
      checkpoints: named(checkpoints),
      versions: named(this.versions),
      ...(failures.size > 0 ? { failures: named(failures) } : {}),
      ...(expected ? { generations: named(expected) } : {}),
      ...(hook ? { beforeCheckpoint: () => hook({ from: batch.from, to: batch.to }) } : {}),
    };
  }

  private settle(
    advanced: ReadonlyMap<string, bigint>,
    failures: ReadonlyMap<string, { position: bigint; failure: StoredFailure | null }>,
    batch: OpenBatch,
  ): void {
    for (const [name, position] of advanced) this.book.advance(name, position);
    for (const [name, change] of failures) {
      if (change.failure === null) {
        this.book.clearFailure(name);
        this.clearing.delete(name);
      }
    }
    for (const [name, failure] of batch.failed) this.book.fail(name, failure);
  }

  private async evolveOne(
    projection: RuntimeProjection,
    rows: BatchRows,
    events: readonly RecordedEvent[],
  ): Promise<void> {
    const { definition, name } = projection;
    if (definition.prefetch) {
      const { collector, load } = rows.collector(name, definition.tables);
      for (const event of events) {
        try {
          definition.prefetch(event, collector);
        } catch (error) {
          throw new ProjectionFailed(name, event, 'prefetch', error);
        }
      }
      await load();
    }
    const access = rows.access(name, definition.tables);
    for (const event of events) {
      try {
        const pending = definition.evolve(access, event);
        if (pending) await pending;
      } catch (error) {
        throw new ProjectionFailed(name, event, 'evolve', error);
      }
    }
  }
}
