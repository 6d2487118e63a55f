import type { RowLoader, TableChanges } from '../runner/row-changes';
import type { CompiledTable } from '../runner/table';
import { toBigint } from './codec';

/** A lease as stored: who holds it, its fencing token, until when (epoch ms). */
export interface LeaseRecord {
  readonly owner: string;
  readonly token: bigint;
  readonly expiresAt: number;
}

/** One grant of a lease: taking over from it fails if it has changed hands since it was read. */
export interface LeaseHolder {
  readonly owner: string;
  readonly token: bigint;
}

/** What a batch commit proves about its writer: it still holds the lease it was granted. */
export interface Fence {
  readonly lease: string;
  readonly owner: string;
  readonly token: bigint;
  /** Committing renews the lease to this instant. */
  readonly renewTo: number;
}

/** Why a projection stopped alone, as stored beside its checkpoint (column `failure`, JSON). */
export interface StoredFailure {
  readonly position: bigint;
  readonly eventType: string;
  readonly eventId: string;
  readonly phase: 'prefetch' | 'evolve';
  readonly message: string;
  /** ISO 8601. */
  readonly at: string;
}

/** One projection's row of `projection_checkpoint`. */
export interface StoredProgress {
  readonly position: bigint;
  /** Bumped by every swap of rebuilt tables (ADR 0011). */
  readonly generation: number;
  /** The projection's code version its tables were built by. */
  readonly version: number;
  readonly failure?: StoredFailure;
}

export interface BatchCommit {
  readonly fence: Fence;
  readonly changes: readonly TableChanges[];
  readonly checkpoints: ReadonlyMap<string, bigint>;
  /** Code versions, recorded when a projection's checkpoint row is first written. */
  readonly versions?: ReadonlyMap<string, number>;
  /**
   * Failures to record with the projection's current checkpoint, or to clear (null): a projection that
   * cannot apply an event stops alone, and every process reads why from here.
   */
  readonly failures?: ReadonlyMap<string, { readonly position: bigint; readonly failure: StoredFailure | null }>;
  /**
   * The generation each projection's tables had when the batch was computed: a swap since then refuses
   * the whole commit (ProjectionSwapped) and nothing is written.
   */
  readonly generations?: ReadonlyMap<string, number>;
  /**
   * Runs inside the transaction after the rows were written and before the checkpoint is: where tests
   * inject a crash. Synchronous, because the SQLite transaction is.
   */
  readonly beforeCheckpoint?: () => void;
}

/** A table and the shadow a rebuild fills for it. */
export interface ShadowPair {
  readonly live: CompiledTable;
  readonly shadow: CompiledTable;
}

/** Rebuilt projections to swap in: their shadow tables replace the live ones, their checkpoint moves to `position`. */
export interface SwapRequest {
  /** The live writer's lease: locked first, as every live commit does, so the swap and a commit serialize. */
  readonly lease: string;
  readonly position: bigint;
  readonly projections: readonly {
    readonly name: string;
    readonly version: number;
    readonly tables: readonly ShadowPair[];
    /** The checkpoint row the rebuild kept (deleted by the swap). */
    readonly shadowCheckpoint: string;
  }[];
}

/** Swapped; or not, because the live projections are past the shadow's position (catch up and retry). */
export type SwapOutcome = { readonly swapped: true } | { readonly swapped: false; readonly behind: bigint };

/** Thrown by a commit whose fence no longer holds: someone else took the lease. Nothing was written. */
export class LeaseLost extends Error {
  constructor(
    readonly lease: string,
    readonly owner: string,
    readonly token: bigint,
  ) {
    super(`Lease ${lease} is no longer held by ${owner} (token ${token})`);
    this.name = 'LeaseLost';
  }
}

/** Thrown by a commit computed over tables that a rebuild has since swapped out. Nothing was written. */
export class ProjectionSwapped extends Error {
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly found: number,
  ) {
    super(`Projection ${projection} was swapped by a rebuild (generation ${expected} → ${found})`);
    this.name = 'ProjectionSwapped';
  }
}

export function encodeFailure(failure: StoredFailure): string {
  return JSON.stringify({ ...failure, position: failure.position.toString() });
}

export function decodeFailure(text: unknown): StoredFailure | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const parsed = JSON.parse(text) as Omit<StoredFailure, 'position'> & { position: string };
  return { ...parsed, position: BigInt(parsed.position) };
}

/** The rows of `projection_checkpoint` (name, position, generation, version, failure) by projection name. */
export function progressByName(
  rows: readonly Readonly<Record<string, unknown>>[],
): Map<string, StoredProgress> {
  return new Map(
    rows.map((row) => {
      const failure = decodeFailure(row.failure);
      const progress: StoredProgress = {
        position: toBigint(row.position),
        generation: Number(row.generation),
        version: Number(row.version),
        ...(failure ? { failure } : {}),
      };
      return [String(row.name), progress];
    }),
  );
}

/** Checks the generations a commit expects against those stored; throws ProjectionSwapped on a mismatch. */
export function checkGenerations(
  expected: ReadonlyMap<string, number> | undefined,
  stored: ReadonlyMap<string, number>,
): void {
  if (!expected) return;
  for (const [name, generation] of expected) {
    const found = stored.get(name) ?? 0;
    if (found !== generation) throw new ProjectionSwapped(name, generation, found);
  }
}

/**
 * The read-model database as the runner uses it. Two implementations: SQLite (synchronous better-sqlite3
 * statements, one synchronous transaction per batch) and PostgreSQL (one statement per table and kind of
 * change, rows as column arrays, on one pooled connection per batch).
 */
export interface ReadModelBackend extends RowLoader {
  readonly kind: 'sqlite' | 'postgres';
  readCheckpoints(): Promise<Map<string, bigint>>;
  /** Every projection's checkpoint row: position, generation, version, failure. */
  readProgress(): Promise<Map<string, StoredProgress>>;
  /** Rows, checkpoints and a lease renewal in one transaction; LeaseLost when the fence fails. */
  commit(batch: BatchCommit): Promise<void>;
  /**
   * Optional: settings for replaying the whole log into emptied tables (a larger cache, rarer WAL
   * checkpoints); resolves to the function that restores the usual ones.
   */
  beginRebuild?(): Promise<() => Promise<void>>;
  /** Empties `tables` and forgets the checkpoints of `projections`, under the fence. */
  reset(fence: Fence, tables: readonly CompiledTable[], projections: readonly string[]): Promise<void>;
  /** Creates an empty shadow of each live table (dropping a leftover one): a rebuild writes there. */
  createShadows(pairs: readonly ShadowPair[]): Promise<void>;
  dropShadows(pairs: readonly ShadowPair[]): Promise<void>;
  /**
   * In one transaction: the shadow tables replace the live ones (indexes as the live ones had them), the
   * projections' checkpoints move to the shadow's position, their generation goes up by one (a live batch
   * computed before is refused) and their failure is cleared. Refused (`swapped: false`) when a live
   * checkpoint is already past the shadow's position.
   */
  swap(request: SwapRequest): Promise<SwapOutcome>;
  /**
   * Takes the lease when it is free or expired at `now`, or when it is still exactly `takeFrom`'s (a
   * holder proven gone); the new fencing token, or undefined. Never waits long on a holder's lock.
   */
  acquireLease(
    lease: string,
    owner: string,
    now: number,
    expiresAt: number,
    takeFrom?: LeaseHolder,
  ): Promise<bigint | undefined>;
  renewLease(lease: string, owner: string, token: bigint, expiresAt: number): Promise<boolean>;
  releaseLease(lease: string, owner: string, token: bigint): Promise<void>;
  readLease(lease: string): Promise<LeaseRecord | undefined>;
  /** Every row of a table in key order, decoded; for tests and audits comparing a rebuild. */
  dump(table: CompiledTable): Promise<Record<string, unknown>[]>;
}

export const CHECKPOINT_TABLE = 'projection_checkpoint';
export const LEASE_TABLE = 'projection_lease';
