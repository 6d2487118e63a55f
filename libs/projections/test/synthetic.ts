import type { EventStore, EventToAppend, RecordedEvent, StreamWrite } from '@wasteflow/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres, readModelTable, type MigrationClass } from '../src/database/migration-helpers';
import { defineProjection, type Projection } from '../src/runner/projection';
import type { RowAccess } from '../src/runner/row-access';
import { compileTable, defineTable, type ColumnType, type RowOf, type TableDefinition } from '../src/runner/table';

const SQL_TYPES: Readonly<Record<ColumnType, { readonly postgres: string; readonly sqlite: string }>> = {
  text: { postgres: 'text', sqlite: 'text' },
  integer: { postgres: 'integer', sqlite: 'integer' },
  bigint: { postgres: 'bigint', sqlite: 'bigint' },
  real: { postgres: 'double precision', sqlite: 'REAL' },
  boolean: { postgres: 'boolean', sqlite: 'INTEGER' },
  json: { postgres: 'jsonb', sqlite: 'TEXT' },
};

/**
 * A migration creating (and dropping) synthetic tables from their definitions, so each synthetic column is
 * declared once. For these test tables only: a real read model's migration writes its DDL out, because an
 * old migration must keep meaning what it meant when its table's definition changes later (runner/table.ts);
 * a synthetic table has no data directory to keep in step.
 */
function createdFromDefinitions(name: string, tables: readonly TableDefinition[]): MigrationClass {
  return class implements MigrationInterface {
    readonly name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      const dialect = isPostgres(queryRunner) ? 'postgres' : 'sqlite';
      for (const definition of tables) {
        const table = compileTable(definition);
        const columns = table.columns.map(
          (c) => `${c.column} ${SQL_TYPES[c.type][dialect]}${c.nullable ? '' : ' NOT NULL'}`,
        );
        const key = table.keyColumns.map((c) => c.column).join(', ');
        await queryRunner.query(
          `CREATE TABLE ${readModelTable(queryRunner, table.name)} (${columns.join(', ')}, PRIMARY KEY (${key}))`,
        );
      }
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const table of [...tables].reverse())
        await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, table.name)}`);
    }
  };
}

/**
 * A synthetic read model exercising every RowAccess operation: per-stream balances (get + put, delete on
 * Closed, json and boolean columns) and per-type counters keyed by two columns (add only).
 */
export const streamStats = defineTable({
  name: 'synth_stream_stats',
  key: ['stream'],
  columns: {
    stream: 'text',
    events: 'integer',
    total: 'bigint',
    lastType: 'text',
    lastRevision: 'bigint',
    lastPosition: 'bigint',
    tags: { type: 'json', nullable: true },
    large: 'boolean',
  },
});

export const typeTotals = defineTable({
  name: 'synth_type_totals',
  key: ['type', 'bucket'],
  columns: { type: 'text', bucket: 'integer', count: 'integer', amount: 'bigint', share: 'real' },
});

/** A second projection, added "later" in the catch-up scenario. */
export const streamCounts = defineTable({
  name: 'synth_stream_counts',
  key: ['stream'],
  columns: { stream: 'text', n: 'integer' },
});

export type StreamStatsRow = RowOf<typeof streamStats>;
export type TypeTotalsRow = RowOf<typeof typeTotals>;
export type StreamCountsRow = RowOf<typeof streamCounts>;

export const SyntheticTables1764400000100 = createdFromDefinitions('SyntheticTables1764400000100', [
  streamStats,
  typeTotals,
]);
export const SyntheticCounts1764400000200 = createdFromDefinitions('SyntheticCounts1764400000200', [streamCounts]);

export const SYNTHETIC_TYPES = ['Deposited', 'Withdrawn', 'Closed'] as const;

function amountOf(event: RecordedEvent): bigint {
  return BigInt(event.data.amount as number);
}

/** Exactly representable in binary, so sums do not depend on how events are grouped into batches. */
function shareOf(amount: bigint): number {
  return Number(amount % 4n) * 0.25;
}

export interface SyntheticHooks {
  /** Called before each event is applied; may throw (a failing projection) or wait (a paused one). */
  beforeEvent?: (event: RecordedEvent) => void | Promise<void>;
  /** Counts evolve calls, to prove an event is not applied twice. */
  applied?: { count: number };
}

/** A stream's balance row after a Deposited or Withdrawn event (what the projection puts, and the oracle folds). */
function statsAfter(current: StreamStatsRow | undefined, event: RecordedEvent): StreamStatsRow {
  const amount = amountOf(event);
  const total = (current?.total ?? 0n) + (event.type === 'Deposited' ? amount : -amount);
  return {
    stream: event.stream,
    events: (current?.events ?? 0) + 1,
    total,
    lastType: event.type,
    lastRevision: event.revision,
    lastPosition: event.position,
    tags: typeof event.data.tag === 'string' ? { tag: event.data.tag, at: Number(event.revision) } : (current?.tags ?? null),
    large: total > 1000n,
  };
}

async function evolveSynthetic(rows: RowAccess, event: RecordedEvent): Promise<void> {
  const stream = event.stream;
  const amount = amountOf(event);
  if (event.type === 'Closed') rows.delete(streamStats, { stream });
  else rows.put(streamStats, statsAfter(await rows.get(streamStats, { stream }), event));
  rows.add(typeTotals, { type: event.type, bucket: event.data.bucket as number }, { count: 1, amount, share: shareOf(amount) });
}

export function syntheticProjection(hooks: SyntheticHooks = {}, name = 'synthetic'): Projection {
  return defineProjection({
    name,
    eventTypes: SYNTHETIC_TYPES,
    tables: [streamStats, typeTotals],
    migrations: [SyntheticTables1764400000100],
    prefetch(event, keys) {
      if (event.type !== 'Closed') keys.want(streamStats, { stream: event.stream });
    },
    async evolve(rows, event) {
      if (hooks.beforeEvent) await hooks.beforeEvent(event);
      if (hooks.applied) hooks.applied.count += 1;
      await evolveSynthetic(rows, event);
    },
  });
}

/** The same projection without prefetch: every get() loads its row on demand. */
export function lazySyntheticProjection(): Projection {
  return defineProjection({
    name: 'synthetic',
    eventTypes: SYNTHETIC_TYPES,
    tables: [streamStats, typeTotals],
    migrations: [SyntheticTables1764400000100],
    evolve: evolveSynthetic,
  });
}

export function countingProjection(applied?: { count: number }): Projection {
  return defineProjection({
    name: 'stream-counts',
    eventTypes: 'all',
    tables: [streamCounts],
    migrations: [SyntheticCounts1764400000200],
    evolve(rows, event) {
      if (applied) applied.count += 1;
      rows.add(streamCounts, { stream: event.stream }, { n: 1 });
    },
  });
}

/** A projection that copies free text into a text column: NUL cannot reach a PostgreSQL text column. */
export const synthNotes = defineTable({
  name: 'synth_notes',
  key: ['stream'],
  columns: { stream: 'text', note: 'text', n: 'integer' },
});

export const SyntheticNotes1764400000300 = createdFromDefinitions('SyntheticNotes1764400000300', [synthNotes]);

/** Keeps each stream's last note; throws on the note `boom` (a projection bug). */
export function notesProjection(): Projection {
  return defineProjection({
    name: 'notes',
    eventTypes: ['Noted'],
    tables: [synthNotes],
    migrations: [SyntheticNotes1764400000300],
    async evolve(rows, event) {
      const note = String(event.data.note);
      if (note === 'boom') throw new Error('boom: this projection cannot apply it');
      const current = await rows.get(synthNotes, { stream: event.stream });
      rows.put(synthNotes, { stream: event.stream, note, n: (current?.n ?? 0) + 1 });
    },
  });
}

export const ALL_SYNTHETIC_MIGRATIONS = [
  SyntheticTables1764400000100,
  SyntheticCounts1764400000200,
  SyntheticNotes1764400000300,
];

// ---------------------------------------------------------------------------------------------------
// Deterministic events

export function syntheticEvent(namespace: string, i: number, streams = 40): { stream: string; event: EventToAppend } {
  const stream = `acct-${(i * 7) % streams}`;
  const slot = i % 20;
  const type = slot < 12 ? 'Deposited' : slot < 16 ? 'Withdrawn' : slot < 19 ? 'Noise' : 'Closed';
  const data: Record<string, string | number> = { amount: ((i * 7919) % 1000) + 1, bucket: i % 3 };
  if (i % 13 === 0) data.tag = `t${i % 5}`;
  return { stream, event: { id: `${namespace}-${i}`, type, schemaVersion: 1, data, metadata: { i } } };
}

/** Appends events `from` … `from + count - 1`, `perCommit` events to a commit, streams in generation order. */
export async function appendSynthetic(
  store: EventStore,
  from: number,
  count: number,
  options: { namespace?: string; perCommit?: number; streams?: number } = {},
): Promise<void> {
  const perCommit = options.perCommit ?? 100;
  for (let start = from; start < from + count; start += perCommit) {
    const writes: StreamWrite[] = [];
    const byStream = new Map<string, EventToAppend[]>();
    for (let i = start; i < Math.min(start + perCommit, from + count); i += 1) {
      const { stream, event } = syntheticEvent(options.namespace ?? 'synth', i, options.streams);
      const list = byStream.get(stream);
      if (list) list.push(event);
      else byStream.set(stream, [event]);
    }
    for (const [stream, events] of byStream) writes.push({ stream, expected: 'any', events });
    await store.appendToStreams(writes);
  }
}

// ---------------------------------------------------------------------------------------------------
// The oracle: the same read model folded in plain JavaScript (the same row arithmetic), independent of the runner

export interface SyntheticState {
  readonly streamStats: StreamStatsRow[];
  readonly typeTotals: TypeTotalsRow[];
  readonly streamCounts: StreamCountsRow[];
}

export function expectedState(events: readonly RecordedEvent[], upTo?: bigint): SyntheticState {
  const stats = new Map<string, StreamStatsRow>();
  const totals = new Map<string, TypeTotalsRow>();
  const counts = new Map<string, StreamCountsRow>();
  for (const event of events) {
    if (upTo !== undefined && event.position > upTo) break;
    const counted = counts.get(event.stream);
    counts.set(event.stream, { stream: event.stream, n: (counted?.n ?? 0) + 1 });
    if (!(SYNTHETIC_TYPES as readonly string[]).includes(event.type)) continue;
    const amount = amountOf(event);
    if (event.type === 'Closed') stats.delete(event.stream);
    else stats.set(event.stream, statsAfter(stats.get(event.stream), event));
    const bucket = event.data.bucket as number;
    const key = `${event.type}/${bucket}`;
    const before = totals.get(key);
    totals.set(key, {
      type: event.type,
      bucket,
      count: (before?.count ?? 0) + 1,
      amount: (before?.amount ?? 0n) + amount,
      share: (before?.share ?? 0) + shareOf(amount),
    });
  }
  return {
    streamStats: sortRows([...stats.values()], ['stream']),
    typeTotals: sortRows([...totals.values()], ['type', 'bucket']),
    streamCounts: sortRows([...counts.values()], ['stream']),
  };
}

/** Key order independent of database collation. */
export function sortRows<T extends object>(rows: T[], keys: readonly (keyof T)[]): T[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = a[key];
      const y = b[key];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}
