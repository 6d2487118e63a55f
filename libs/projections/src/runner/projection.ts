import type { RecordedEvent } from '@wasteflow/event-store';
import type { MigrationClass } from '../database/migration-helpers';
import type { KeyCollector, RowAccess } from './row-access';
import { compileTable, type TableDefinition } from './table';

/**
 * A read model: the tables it owns and how each event changes their rows.
 *
 * `evolve` must be deterministic (same events, same rows) and touch only `rows`: a rebuild replays it
 * from position zero and must reach the same tables, and the runner may apply an event again after a
 * crash that rolled its batch back. No clock, no I/O of its own.
 */
export interface Projection {
  /** Stable: it names the checkpoint. Renaming a projection rebuilds it from scratch. */
  readonly name: string;
  /**
   * The version of what `evolve` computes (default 1). Raise it when a change of code changes the rows the
   * same events give: the runner that leads next rebuilds this projection in shadow tables while the old
   * ones keep answering, and swaps them in when caught up (ADR 0011).
   */
  readonly version?: number;
  /** The events `evolve` sees (`'all'` for every event); the others only move the checkpoint past them. */
  readonly eventTypes: readonly string[] | 'all';
  /** Every table `evolve` touches; a projection cannot reach another's tables. */
  readonly tables: readonly TableDefinition[];
  /** TypeORM migrations creating and changing those tables. */
  readonly migrations?: readonly MigrationClass[];
  /**
   * Optional: names the rows `evolve` will read for this event, before any `evolve` of the batch runs,
   * so they are loaded in one query per table instead of one per row. A row not named here is still
   * loaded on demand, correctly but slower; rows only `add`ed to need no loading at all.
   */
  prefetch?(event: RecordedEvent, keys: KeyCollector): void;
  evolve(rows: RowAccess, event: RecordedEvent): void | Promise<void>;
}

const PROJECTION_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/** Identity at runtime; checks the definition early and keeps the literal type for the caller. */
export function defineProjection<P extends Projection>(projection: P): P {
  validateProjection(projection);
  return projection;
}

export function validateProjection(projection: Projection): void {
  if (!PROJECTION_NAME.test(projection.name)) {
    throw new Error(
      `Invalid projection name ${JSON.stringify(projection.name)}: lower-case letters, digits, _ . -`,
    );
  }
  if (projection.eventTypes !== 'all' && projection.eventTypes.length === 0) {
    throw new Error(`Projection ${projection.name} handles no event types`);
  }
  if (projection.version !== undefined && (!Number.isSafeInteger(projection.version) || projection.version < 1)) {
    throw new Error(`Projection ${projection.name}: version must be a positive integer`);
  }
  for (const table of projection.tables) compileTable(table);
}

/** Checks a set of projections can run together: unique names, each table owned by one projection. */
export function validateProjections(projections: readonly Projection[]): void {
  const names = new Set<string>();
  const owners = new Map<string, string>();
  for (const projection of projections) {
    validateProjection(projection);
    if (names.has(projection.name)) throw new Error(`Two projections are named ${projection.name}`);
    names.add(projection.name);
    for (const table of projection.tables) {
      const owner = owners.get(table.name);
      if (owner !== undefined && owner !== projection.name) {
        throw new Error(`Table ${table.name} belongs to both ${owner} and ${projection.name}`);
      }
      owners.set(table.name, projection.name);
    }
  }
}
