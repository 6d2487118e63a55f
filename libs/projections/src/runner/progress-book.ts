import type { StoredFailure, StoredProgress } from '../database/backend';

/** Why one projection stopped alone: the event it could not apply, and the error. */
export interface ProjectionFailure {
  readonly position: bigint;
  readonly eventType: string;
  readonly eventId: string;
  /** Where it failed: its prefetch or evolve threw, or the database refused its rows. */
  readonly phase: 'prefetch' | 'evolve' | 'commit';
  readonly message: string;
  readonly at: Date;
}

export interface ProjectionProgress {
  readonly checkpoint: bigint;
  readonly generation: number;
  /** The code version its tables were built by; undefined until it has a checkpoint row. */
  readonly version?: number;
  readonly failure?: ProjectionFailure;
}

export function failureOf(stored: StoredFailure): ProjectionFailure {
  return { ...stored, phase: stored.phase as ProjectionFailure['phase'], at: new Date(stored.at) };
}

export function storedFailure(failure: ProjectionFailure): StoredFailure {
  return {
    position: failure.position,
    eventType: failure.eventType,
    eventId: failure.eventId,
    phase: failure.phase === 'commit' ? 'evolve' : failure.phase,
    message: failure.phase === 'commit' ? `commit: ${failure.message}` : failure.message,
    at: failure.at.toISOString(),
  };
}

/**
 * Each projection's progress as this process knows it: its checkpoint, the generation of its tables and,
 * when it stopped alone, why. Authoritative while the runner leads (it writes the table); a copy of the
 * table otherwise (`load`).
 */
export class ProgressBook {
  private readonly entries = new Map<string, ProjectionProgress>();

  constructor(readonly names: readonly string[]) {
    for (const name of names) this.entries.set(name, { checkpoint: 0n, generation: 0 });
  }

  get(name: string): ProjectionProgress {
    return this.entries.get(name) ?? { checkpoint: 0n, generation: 0 };
  }

  checkpoint(name: string): bigint {
    return this.get(name).checkpoint;
  }

  failure(name: string): ProjectionFailure | undefined {
    return this.get(name).failure;
  }

  isFailed(name: string): boolean {
    return this.get(name).failure !== undefined;
  }

  /** Replaces everything with the table's rows (a projection without a row is at 0, healthy). */
  load(stored: ReadonlyMap<string, StoredProgress>): void {
    for (const name of this.names) {
      const row = stored.get(name);
      this.entries.set(
        name,
        row
          ? {
              checkpoint: row.position,
              generation: row.generation,
              version: row.version,
              ...(row.failure ? { failure: failureOf(row.failure) } : {}),
            }
          : { checkpoint: 0n, generation: 0 },
      );
    }
  }

  advance(name: string, checkpoint: bigint): void {
    this.entries.set(name, { ...this.get(name), checkpoint });
  }

  fail(name: string, failure: ProjectionFailure): void {
    this.entries.set(name, { ...this.get(name), failure });
  }

  clearFailure(name: string): void {
    const { failure: _cleared, ...rest } = this.get(name);
    this.entries.set(name, rest);
  }

  /** Forget failures so that the next start tries the projections again (a fix may have been deployed). */
  clearFailures(): void {
    for (const name of this.names) this.clearFailure(name);
  }

  setGeneration(name: string, generation: number): void {
    this.entries.set(name, { ...this.get(name), generation });
  }

  /** The lowest checkpoint of the healthy projections (all of them with `includeFailed`). */
  lowest(includeFailed = false): bigint {
    let lowest: bigint | undefined;
    for (const name of this.names) {
      const entry = this.get(name);
      if (!includeFailed && entry.failure) continue;
      if (lowest === undefined || entry.checkpoint < lowest) lowest = entry.checkpoint;
    }
    return lowest ?? this.highest();
  }

  highest(): bigint {
    let highest = 0n;
    for (const name of this.names) if (this.get(name).checkpoint > highest) highest = this.get(name).checkpoint;
    return highest;
  }

  /** Every named projection (all by default) has committed `position`. */
  reached(position: bigint, names: readonly string[] = this.names): boolean {
    return names.every((name) => this.get(name).checkpoint >= position);
  }

  /** The first named projection (all by default) that stopped alone, if any. */
  firstFailed(names: readonly string[] = this.names): string | undefined {
    return names.find((name) => this.isFailed(name));
  }

  checkpoints(): Map<string, bigint> {
    return new Map(this.names.map((name) => [name, this.get(name).checkpoint]));
  }

  generations(): Map<string, number> {
    return new Map(this.names.map((name) => [name, this.get(name).generation]));
  }
}
