import {
  getPostgreSQLEventStore,
  type PostgresEventStore as EmmettStore,
} from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore, type PostgresEventStoreOptions } from '@wasteflow/event-store';
import { Pool, types } from 'pg';
import { runComparison, type RatioDefinition, type Variant } from '../harness/measure';
import type { BenchContext, Scenario, ScenarioOutcome, Target } from '../harness/scenario';
import { buildWorkload, drive, payloadSizes, type Workload, type WorkloadShape } from '../support/events';
import { dropSchema, freshSchemaName, withClient } from '../support/postgres';
import { validateStored } from '../support/validate';

const DESIGN = 'DESIGN.md §6';
const HALF_OF_RAW: Target = { op: '>=', value: 0.5, source: DESIGN };
const TWICE_EMMETT: Target = { op: '>=', value: 2, source: DESIGN };
/** Each run is cut in this many slices, taken in turns by the contenders (see harness/measure.ts). */
const SLICES = 10;
/** Every contender gets the same pool size: the adapter's default. */
const POOL_SIZE = 10;

/**
 * The storage limit: the same rows into a table of the adapter's shape (same columns, keys and unique
 * constraints; positions from a sequence) through the same driver, one prepared statement per append
 * and nothing else: autocommit, so one round trip per append like the adapter's.
 */
function rawVariant(url: string, runId: string, workload: Workload): Variant<{ schema: string; pool: Pool }> {
  return {
    id: 'raw',
    label: 'raw pg inserts',
    async prepare() {
      const schema = freshSchemaName(runId, 'raw');
      await withClient(url, (client) =>
        client.query(`
          CREATE SCHEMA ${schema};
          CREATE SEQUENCE ${schema}.positions;
          CREATE TABLE ${schema}.events (
            position bigint NOT NULL DEFAULT nextval('${schema}.positions'),
            transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
            id text NOT NULL,
            stream text NOT NULL,
            revision bigint NOT NULL,
            type text NOT NULL,
            schema_version integer NOT NULL,
            data json NOT NULL,
            metadata json NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT events_pkey PRIMARY KEY (position),
            CONSTRAINT events_id_uq UNIQUE (id),
            CONSTRAINT events_stream_revision_uq UNIQUE (stream, revision)
          );`),
      );
      return { schema, pool: new Pool({ connectionString: url, max: POOL_SIZE }) };
    },
    async execute({ schema, pool }, slice) {
      const columns = 'id, stream, revision, type, schema_version, data, metadata';
      const one = {
        name: `${schema}_one`,
        text: `INSERT INTO ${schema}.events (${columns}) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json)`,
      };
      const many = {
        name: `${schema}_many`,
        text: `INSERT INTO ${schema}.events (${columns})
               SELECT id, $2, $3::bigint + ord - 1, type, schema_version, data::json, metadata::json
               FROM unnest($1::text[], $4::text[], $5::int[], $6::text[], $7::text[])
                    WITH ORDINALITY AS e(id, type, schema_version, data, metadata, ord)`,
      };
      await drive(
        workload,
        async ({ stream, revisionBefore, events }) => {
          if (events.length === 1) {
            const [event] = events;
            await pool.query({
              ...one,
              values: [
                event.id,
                stream,
                revisionBefore + 1,
                event.type,
                event.schemaVersion,
                JSON.stringify(event.data),
                JSON.stringify(event.metadata),
              ],
            });
            return;
          }
          await pool.query({
            ...many,
            values: [
              events.map((event) => event.id),
              stream,
              revisionBefore + 1,
              events.map((event) => event.type),
              events.map((event) => event.schemaVersion),
              events.map((event) => JSON.stringify(event.data)),
              events.map((event) => JSON.stringify(event.metadata)),
            ],
          });
        },
        slice,
      );
    },
    async validate({ schema, pool }) {
      const { rows } = await pool.query<{ stream: string; revision: string; id: string }>(
        `SELECT stream, revision, id FROM ${schema}.events ORDER BY position`,
      );
      validateStored('raw', workload, rows);
    },
    async dispose({ schema, pool }) {
      await pool.end();
      await dropSchema(url, schema);
    },
  };
}

function adapterVariant(
  url: string,
  runId: string,
  workload: Workload,
  id = 'ours',
  label = 'PostgresEventStore',
  options: Partial<PostgresEventStoreOptions> = {},
): Variant<{ schema: string; store: PostgresEventStore }> {
  return {
    id,
    label,
    async prepare() {
      const schema = freshSchemaName(runId, id);
      const store = new PostgresEventStore({
        connectionString: url,
        schema,
        poolSize: POOL_SIZE,
        ...options,
      });
      await store.ensureSchema();
      return { schema, store };
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
      validateStored(id, workload, await store.readAll());
    },
    async dispose({ schema, store }) {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}

type EmmettEvent = { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };

/**
 * Emmett's PostgreSQL event store, in a fresh schema of the same database per run (its tables go where
 * `search_path` points), through a pg Pool of the same size. Our event id travels as its `messageId`
 * (Emmett would otherwise generate one), so it stores the same ids; its expected stream version is the
 * count of events already in the stream, checked on every append like ours.
 */
function emmettVariant(
  url: string,
  runId: string,
  workload: Workload,
): Variant<{ schema: string; pool: Pool; store: EmmettStore; calls: EmmettEvent[][][] }> {
  return {
    id: 'emmett',
    label: 'Emmett PostgreSQL event store',
    async prepare() {
      const schema = freshSchemaName(runId, 'emmett');
      await withClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
      const pool = new Pool({ connectionString: url, max: POOL_SIZE, options: `-c search_path=${schema}` });
      const store = withOwnTypeParsers(() => getPostgreSQLEventStore(url, { connectionOptions: { pool } }));
      await store.schema.migrate();
      const calls = workload.plan.map((appender) =>
        appender.map((call) =>
          call.events.map((event) => ({
            type: event.type,
            data: event.data,
            metadata: { messageId: event.id, ...event.metadata },
          })),
        ),
      );
      return { schema, pool, store, calls };
    },
    async execute({ store, calls }, slice) {
      await drive(
        workload,
        (call, appender, index) =>
          store.appendToStream(call.stream, calls[appender][index], {
            expectedStreamVersion: BigInt(call.revisionBefore + 1),
          }),
        slice,
      );
    },
    async validate({ pool }) {
      const { rows } = await pool.query<{ stream: string; revision: string; id: string }>(
        `SELECT stream_id AS stream, stream_position - 1 AS revision, message_id AS id
         FROM emt_messages ORDER BY global_position`,
      );
      validateStored('emmett', workload, rows);
    },
    async dispose({ schema, pool, store }) {
      await store.close();
      await pool.end();
      await dropSchema(url, schema);
    },
  };
}

/**
 * Emmett's driver layer (dumbo) replaces pg's global type parsers once (int8 → BigInt, json → its own
 * parser), which would change what the other contenders' reads cost in this process. Its appends work
 * with pg's defaults, so they are put back.
 */
function withOwnTypeParsers<T>(create: () => T): T {
  const oids = [20, 114, 3802];
  const saved = oids.map((oid) => types.getTypeParser(oid, 'text'));
  try {
    return create();
  } finally {
    oids.forEach((oid, index) => types.setTypeParser(oid, saved[index]));
  }
}

interface PostgresAppendOptions {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly shape: (quick: boolean) => WorkloadShape;
  readonly rawTarget?: Target;
  readonly emmettHere: string;
  /** Adds the adapter with these options as another contender, to measure an option (before/after). */
  readonly alternative?: {
    id: string;
    label: string;
    options: Partial<PostgresEventStoreOptions>;
    ratioLabel: string;
  };
}

function postgresAppendScenario(spec: PostgresAppendOptions): Scenario {
  return {
    name: spec.name,
    group: 'Append throughput',
    title: spec.title,
    description: spec.description,
    requires: ['postgres'],
    async run(context: BenchContext): Promise<ScenarioOutcome> {
      const url = context.postgresUrl as string;
      const shape = spec.shape(context.quick);
      const workload = buildWorkload(context.runId, shape);
      const variants: Variant<unknown>[] = [
        rawVariant(url, context.runId, workload) as Variant<unknown>,
        adapterVariant(url, context.runId, workload) as Variant<unknown>,
        emmettVariant(url, context.runId, workload) as Variant<unknown>,
      ];
      const ratios: RatioDefinition[] = [
        {
          id: 'ours/raw',
          label: 'PostgresEventStore / raw inserts',
          numerator: 'ours',
          denominator: 'raw',
          target: spec.rawTarget,
        },
        {
          id: 'ours/emmett',
          label: 'PostgresEventStore / Emmett',
          numerator: 'ours',
          denominator: 'emmett',
          target: TWICE_EMMETT,
        },
        {
          id: 'raw/emmett',
          label: 'raw inserts / Emmett',
          numerator: 'raw',
          denominator: 'emmett',
          note:
            'raw inserts / Emmett is what a store writing each append as its own transaction could reach ' +
            'at most against Emmett on this server: where it is below 2, so is any such store.',
        },
      ];
      if (spec.alternative) {
        const { id, label, options, ratioLabel } = spec.alternative;
        variants.push(adapterVariant(url, context.runId, workload, id, label, options) as Variant<unknown>);
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
          'pool size': POOL_SIZE,
          'payload bytes (data + metadata)': `${sizes.data} + ${sizes.metadata}`,
        },
        ...result,
        notes: [`Emmett on the machine of DESIGN.md §6: ${spec.emmettHere}.`],
      };
    },
  };
}

export const postgresAppendScenarios: Scenario[] = [
  postgresAppendScenario({
    name: 'append-postgres-single',
    title: 'PostgreSQL, one event per append',
    description:
      'One appender, one event per append (one transaction each), streams of 10 events, expected revision ' +
      'checked on every append (raw: none).',
    shape: (quick) => ({ events: quick ? 150 : 500, eventsPerAppend: 1, appendsPerStream: 10, appenders: 1 }),
    emmettHere: 'about 1.2 k events/s',
    alternative: {
      id: 'ours-ungrouped',
      label: 'PostgresEventStore, groupCommit: false',
      options: { groupCommit: false },
      ratioLabel: 'group commit / groupCommit: false (what group commit costs a lone appender)',
    },
  }),
  postgresAppendScenario({
    name: 'append-postgres-batched',
    title: 'PostgreSQL, 100 events per append',
    description: 'One appender, appends of 100 events, each to a new stream.',
    shape: (quick) => ({
      events: quick ? 1500 : 5000,
      eventsPerAppend: 100,
      appendsPerStream: 1,
      appenders: 1,
    }),
    rawTarget: HALF_OF_RAW,
    emmettHere: 'about 14 k events/s',
  }),
  postgresAppendScenario({
    name: 'append-postgres-concurrent',
    title: 'PostgreSQL, 16 concurrent appenders, one event per append',
    description:
      '16 async appenders, each on streams of its own (10 events each), one event per append, each ' +
      'awaiting its append before the next; every contender through a pool of 10 connections.',
    shape: (quick) => ({
      events: quick ? 320 : 960,
      eventsPerAppend: 1,
      appendsPerStream: 10,
      appenders: 16,
    }),
    emmettHere: 'about 1.7 k events/s',
    alternative: {
      id: 'ours-ungrouped',
      label: 'PostgresEventStore, groupCommit: false',
      options: { groupCommit: false },
      ratioLabel: 'group commit / groupCommit: false (before/after of the group commit)',
    },
  }),
];
