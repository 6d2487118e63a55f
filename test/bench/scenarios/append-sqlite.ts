import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend, type SqliteEventStoreOptions } from '@wasteflow/event-store';
import { runComparison, type RatioDefinition, type Variant } from '../harness/measure';
import type { BenchContext, Scenario, ScenarioOutcome } from '../harness/scenario';
import { buildWorkload, drive, payloadSizes, type Workload, type WorkloadShape } from '../support/events';
import { validateStored } from '../support/validate';

const DESIGN = 'DESIGN.md §6';
/** Each run is cut in this many slices, taken in turns by the contenders (see harness/measure.ts). */
const SLICES = 10;
/** Embedded appends: at least half the rate of raw better-sqlite3 inserts of the same rows. */
const HALF_OF_RAW = { op: '>=', value: 0.5, source: DESIGN } as const;

function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'wasteflow-bench-'));
}

/**
 * The storage limit: the same rows into the same table (the adapter's DDL, copied) through the same
 * driver, with the same journal and sync settings, and nothing else: no revision check, no idempotency,
 * no notification. Serialising the payloads is counted (any store has to), positions and revisions are
 * known up front because this writer is alone.
 */
function rawVariant(
  workload: Workload,
  synchronous: 'FULL' | 'NORMAL',
): Variant<{
  directory: string;
  db: Database.Database;
  write: (stream: string, first: number, events: readonly EventToAppend[]) => void;
}> {
  return {
    id: 'raw',
    label: 'raw better-sqlite3 inserts',
    async prepare() {
      const directory = temporaryDirectory();
      const db = new Database(join(directory, 'raw.sqlite'));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.exec(`
        CREATE TABLE event_log (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL,
          stream TEXT NOT NULL,
          revision INTEGER NOT NULL,
          type TEXT NOT NULL,
          schema_version INTEGER NOT NULL,
          data TEXT NOT NULL,
          metadata TEXT NOT NULL,
          recorded_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX event_log_id ON event_log (id);
        CREATE UNIQUE INDEX event_log_stream_revision ON event_log (stream, revision);`);
      const insert = db.prepare(
        `INSERT INTO event_log (id, stream, revision, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertAll = (stream: string, first: number, events: readonly EventToAppend[]): void => {
        const recordedAt = Date.now();
        events.forEach((event, offset) => {
          insert.run(
            event.id,
            stream,
            first + offset,
            event.type,
            event.schemaVersion,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
            recordedAt,
          );
        });
      };
      const inTransaction = db.transaction(insertAll).immediate;
      // One event: a plain INSERT is its own transaction. Several: one BEGIN IMMEDIATE … COMMIT.
      return { directory, db, write: workload.eventsPerAppend === 1 ? insertAll : inTransaction };
    },
    async execute({ write }, slice) {
      await drive(workload, async (call) => write(call.stream, call.revisionBefore + 1, call.events), slice);
    },
    async validate({ db }) {
      const rows = db
        .prepare<[], { stream: string; revision: number; id: string }>(
          'SELECT stream, revision, id FROM event_log ORDER BY position',
        )
        .all();
      validateStored('raw', workload, rows);
    },
    async dispose({ directory, db }) {
      if (db.open) db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function adapterVariant(
  id: string,
  label: string,
  workload: Workload,
  options: Omit<SqliteEventStoreOptions, 'file'>,
): Variant<{ directory: string; store: SqliteEventStore }> {
  return {
    id,
    label,
    async prepare() {
      const directory = temporaryDirectory();
      return {
        directory,
        store: new SqliteEventStore({ file: join(directory, 'events.sqlite'), ...options }),
      };
    },
    async execute({ store }, slice) {
      await drive(
        workload,
        (call) =>
          store.append(
            call.stream,
            call.events,
            call.revisionBefore < 0 ? 'no_stream' : BigInt(call.revisionBefore),
          ),
        slice,
      );
    },
    async validate({ store }) {
      const events = await store.readAll();
      validateStored(id, workload, events);
      const head = await store.headPosition();
      if (head !== events[events.length - 1]?.position)
        throw new Error(`${id}: headPosition ${head} is not the last event's`);
    },
    async dispose({ directory, store }) {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface SqliteAppendOptions {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly shape: (quick: boolean) => WorkloadShape;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly target?: typeof HALF_OF_RAW;
  readonly note?: string;
  /** Adds the adapter with these options as a second contender, to measure an option (before/after). */
  readonly alternative?: {
    id: string;
    label: string;
    options: Omit<SqliteEventStoreOptions, 'file'>;
    ratioLabel: string;
  };
}

function sqliteAppendScenario(spec: SqliteAppendOptions): Scenario {
  return {
    name: spec.name,
    group: 'Append throughput',
    title: spec.title,
    description: spec.description,
    async run(context: BenchContext): Promise<ScenarioOutcome> {
      const shape = spec.shape(context.quick);
      const workload = buildWorkload(`${context.runId}`, shape);
      const ratios: RatioDefinition[] = [
        {
          id: 'ours/raw',
          label: 'SqliteEventStore / raw inserts',
          numerator: 'ours',
          denominator: 'raw',
          target: spec.target,
          note: spec.note,
        },
      ];
      const variants: Variant<unknown>[] = [
        rawVariant(workload, spec.synchronous) as Variant<unknown>,
        adapterVariant('ours', 'SqliteEventStore', workload, {
          synchronous: spec.synchronous,
        }) as Variant<unknown>,
      ];
      if (spec.alternative) {
        const { id, label, options, ratioLabel } = spec.alternative;
        variants.push(
          adapterVariant(id, label, workload, {
            synchronous: spec.synchronous,
            ...options,
          }) as Variant<unknown>,
        );
        ratios.push({ id: `ours/${id}`, label: ratioLabel, numerator: 'ours', denominator: id });
      }
      const result = await runComparison(context, {
        units: workload.events,
        throughputUnit: 'events/s',
        slices: SLICES,
        variants,
        ratios,
      });
      const sizes = payloadSizes();
      return {
        parameters: {
          events: shape.events,
          'events per append': shape.eventsPerAppend,
          appenders: shape.appenders,
          synchronous: spec.synchronous,
          'payload bytes (data + metadata)': `${sizes.data} + ${sizes.metadata}`,
        },
        ...result,
      };
    },
  };
}

export const sqliteAppendScenarios: Scenario[] = [
  sqliteAppendScenario({
    name: 'append-sqlite-single',
    title: 'SQLite, one event per append',
    description:
      'One appender, one event per append (one transaction each), streams of 10 events, expected revision ' +
      'checked on every append. The default `synchronous=FULL`: every commit waits for an fsync of the WAL.',
    shape: (quick) => ({
      events: quick ? 300 : 1000,
      eventsPerAppend: 1,
      appendsPerStream: 10,
      appenders: 1,
    }),
    synchronous: 'FULL',
    target: HALF_OF_RAW,
  }),
  sqliteAppendScenario({
    name: 'append-sqlite-single-normal',
    title: 'SQLite, one event per append, synchronous=NORMAL',
    description:
      'As above with `synchronous=NORMAL` (no fsync per commit; survives a process crash, not a power ' +
      'loss): without the fsync to hide behind, this shows the CPU the adapter adds per append.',
    shape: (quick) => ({
      events: quick ? 1000 : 4000,
      eventsPerAppend: 1,
      appendsPerStream: 10,
      appenders: 1,
    }),
    synchronous: 'NORMAL',
    target: HALF_OF_RAW,
    alternative: {
      id: 'ours-ungrouped',
      label: 'SqliteEventStore, groupCommit: false',
      options: { groupCommit: false },
      ratioLabel: 'group commit / groupCommit: false (what group commit costs a lone appender)',
    },
  }),
  sqliteAppendScenario({
    name: 'append-sqlite-batched',
    title: 'SQLite, 100 events per append',
    description:
      'One appender, appends of 100 events, each to a new stream (`no_stream`), `synchronous=FULL`.',
    shape: (quick) => ({
      events: quick ? 3000 : 15000,
      eventsPerAppend: 100,
      appendsPerStream: 1,
      appenders: 1,
    }),
    synchronous: 'FULL',
    target: HALF_OF_RAW,
  }),
  sqliteAppendScenario({
    name: 'append-sqlite-concurrent',
    title: 'SQLite, 16 concurrent appenders, one event per append',
    description:
      '16 async appenders in one process, each on streams of its own (10 events each), one event per ' +
      'append, each appender awaiting its append before the next; `synchronous=FULL`. The raw baseline is ' +
      'the same 16 loops making one INSERT (one transaction) per event.',
    shape: (quick) => ({
      events: quick ? 320 : 1600,
      eventsPerAppend: 1,
      appendsPerStream: 10,
      appenders: 16,
    }),
    synchronous: 'FULL',
    target: HALF_OF_RAW,
    alternative: {
      id: 'ours-ungrouped',
      label: 'SqliteEventStore, groupCommit: false',
      options: { groupCommit: false },
      ratioLabel: 'group commit / groupCommit: false (before/after of the group commit)',
    },
  }),
];
