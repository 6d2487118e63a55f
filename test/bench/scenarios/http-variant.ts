import { resolve } from 'node:path';
import type { Variant } from '../harness/measure';
import { check, type BenchContext } from '../harness/scenario';
import { countStored, startApi, waitForProjections, type ApiProcess } from '../support/api-process';
import { runLoad, type LoadResult, type RequestSpec } from '../support/load';
import { BENCH_DATABASE_URL, dropSchema, freshSchemaName, withClient } from '../support/postgres';
import {
  bulkRequests,
  generationRequests,
  mixNeeds,
  mixRequests,
  pregenerate,
  seedWorld,
  type World,
} from '../support/waste-world';

/**
 * One contender of the HTTP scenarios: a server in a child process (ours on SQLite or PostgreSQL, the bare
 * Fastify limit, Emmett's Express API), seeded, warmed up with 500 requests, then driven by autocannon
 * from the bench process with requests each sent once. A run counts only if every answer is 2xx and the
 * server's store holds exactly the events the answers claim, per event type (read with a connection of
 * the bench's own).
 */

export const WARM_UP = 500;
export const BULK_ITEMS = 1000;

export type Workload = 'generate' | 'mix' | 'bulk';

/**
 * `ours`: the built api, SQLite (synchronous=FULL); `ours-postgres`: the same on the PostgreSQL store
 * (a fresh schema prefix per run); `limit`: support/limit-server.ts (bare Fastify, JSON-schema validation,
 * the project's SqliteEventStore, same durability and group commit); `emmett`: support/emmett-server.ts
 * (Emmett's Express API over its PostgreSQL store, a fresh database per run).
 */
export type ServerKind = 'ours' | 'ours-postgres' | 'limit' | 'emmett';

const LIMIT_SERVER = resolve(__dirname, '..', 'support', 'limit-server.ts');
const EMMETT_SERVER = resolve(__dirname, '..', 'support', 'emmett-server.ts');

export interface Server {
  readonly api: ApiProcess;
  readonly world: World;
  /** Events the server's store holds, by type. */
  count(): Promise<ReadonlyMap<string, number>>;
  stop(): Promise<void>;
}

/** Parties of a server that has none (the limit, Emmett): only the tokens the requests carry. */
function syntheticWorld(tag: string): World {
  const party = (name: string) => ({ uscc: name, token: `${tag}-${name}-token` });
  return {
    generators: Array.from({ length: 8 }, (_, n) => party(`generator${n}`)),
    carrier: party('carrier'),
    receiver: party('receiver'),
    seededRequests: 0,
  };
}

async function countByType(url: string, sql: string): Promise<ReadonlyMap<string, number>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ type: string; n: string }>(sql);
    return new Map(rows.map((row) => [row.type, Number(row.n)]));
  });
}

export async function startServer(
  kind: ServerKind,
  tag: string,
  options: { projections: boolean; main?: string },
): Promise<Server> {
  const url = BENCH_DATABASE_URL;
  if (kind === 'ours' || kind === 'limit') {
    const api = await startApi(
      kind === 'limit' ? { main: LIMIT_SERVER } : { projections: options.projections, main: options.main },
    );
    try {
      const world = kind === 'limit' ? syntheticWorld(tag) : await seedWorld(api, tag);
      return { api, world, count: async () => countStored(api).byType, stop: () => api.stop() };
    } catch (error) {
      await api.stop();
      throw error;
    }
  }
  if (kind === 'ours-postgres') {
    const prefix = freshSchemaName(tag, 'ours');
    const api = await startApi({
      projections: options.projections,
      main: options.main,
      env: { WASTEFLOW_STORE: 'postgres', DATABASE_URL: url, WASTEFLOW_PG_SCHEMA_PREFIX: prefix },
    });
    const stop = async () => {
      await api.stop();
      for (const suffix of ['events', 'read']) await dropSchema(url, `${prefix}_${suffix}`);
    };
    try {
      const world = await seedWorld(api, tag);
      const sql = `SELECT type, count(*) AS n FROM ${prefix}_events.events GROUP BY type`;
      return { api, world, count: () => countByType(url, sql), stop };
    } catch (error) {
      await stop();
      throw error;
    }
  }
  // A database of its own per run: Emmett's migration looks its functions up by name in the whole
  // database (pg_proc, any schema), so a second Emmett schema beside a live one skips creating them.
  const database = freshSchemaName(tag, 'emmett');
  await withClient(url, (client) => client.query(`CREATE DATABASE ${database}`));
  const own = new URL(url);
  own.pathname = `/${database}`;
  const stopDatabase = () => withClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  let api: ApiProcess;
  try {
    api = await startApi({ main: EMMETT_SERVER, env: { DATABASE_URL: own.toString(), EMMETT_SCHEMA: 'public' } });
  } catch (error) {
    await stopDatabase();
    throw error;
  }
  const sql = 'SELECT message_type AS type, count(*) AS n FROM emt_messages GROUP BY message_type';
  return {
    api,
    world: syntheticWorld(tag),
    count: () => countByType(own.toString(), sql),
    stop: async () => {
      await api.stop();
      await stopDatabase();
    },
  };
}

export interface RunState {
  readonly server: Server;
  readonly specs: readonly RequestSpec[];
  /** What the store held before the measured run (seeding, pre-generation, warm-up). */
  readonly before: ReadonlyMap<string, number>;
  result?: LoadResult;
  bulkItems?: { created: number; refused: number };
}

/**
 * Events each kind of request appends, by type (a receipt accepted in full: the batch is received, and its
 * hazardous mass is drawn on the receiver's permit, whose annual capacity the bench world sets — issue 16).
 * The idempotency records are bookkeeping beside the log, not events (docs/adr/0008).
 */
const EVENTS_OF: Record<string, Record<string, number>> = {
  generate: { WasteGenerated: 1 },
  issue: { ManifestIssued: 1, BatchConsigned: 1, ManifestSerialAllocated: 1 },
  receive: { ManifestReceived: 1, BatchReceived: 1, PermitCapacityDrawn: 1 },
  bulk: { WasteGenerated: BULK_ITEMS },
};

/** Event types of older builds' bookkeeping: idempotency records and the custody checkpoint. */
const LEGACY_BOOKKEEPING_TYPES = ['IdempotentWriteRecorded', 'CheckpointRecorded'];

export function httpVariant(options: {
  readonly id: string;
  readonly label: string;
  readonly workload: Workload;
  readonly connections: number;
  readonly requests: number;
  readonly projections: boolean;
  readonly main?: string;
  readonly tag: string;
  /** Default `ours`. */
  readonly server?: ServerKind;
}): Variant<RunState> {
  const { workload, connections, requests } = options;
  const kind = options.server ?? 'ours';
  if (workload === 'mix' && (kind === 'limit' || kind === 'emmett')) {
    throw new Error(`${options.id}: the ${kind} server serves generation and bulk only`);
  }
  if (workload === 'bulk' && kind === 'emmett') throw new Error(`${options.id}: no bulk route on emmett`);
  return {
    id: options.id,
    label: options.label,
    async prepare() {
      const tag = `${options.tag}-${options.id}`;
      const server = await startServer(kind, tag, { projections: options.projections, main: options.main });
      const { api, world } = server;
      try {
        const build = async (prefix: string, count: number): Promise<RequestSpec[]> => {
          if (workload === 'generate') return generationRequests(world, prefix, count);
          if (workload === 'bulk') return bulkRequests(world, prefix, count, BULK_ITEMS);
          const needs = mixNeeds(count);
          const made = await pregenerate(api, world, prefix, needs.issues, needs.receipts);
          return mixRequests(world, prefix, count, made.free, made.inTransit);
        };
        const warmUp = await build(`${tag}-warm`, workload === 'bulk' ? 1 : Math.max(WARM_UP, connections));
        const specs = await build(`${tag}-run`, requests);
        await waitForProjections(api);
        const warm = await runLoad(api.url, warmUp, Math.min(connections, warmUp.length));
        check(
          warm.non2xx === 0 && warm.errors === 0,
          () => `${options.id}: warm-up answered ${warm.non2xx} non-2xx, ${warm.errors} errors: ${warm.failures.join(' | ')}`,
        );
        await waitForProjections(api);
        return { server, specs, before: await server.count() };
      } catch (error) {
        await server.stop();
        throw error;
      }
    },
    async execute(state) {
      let bulkItems = { created: 0, refused: 0 };
      const onBody =
        workload === 'bulk'
          ? (status: number, body: string) => {
              if (status !== 200) return;
              for (const item of (JSON.parse(body) as { results: { status: number }[] }).results) {
                if (item.status === 201) bulkItems = { ...bulkItems, created: bulkItems.created + 1 };
                else bulkItems = { ...bulkItems, refused: bulkItems.refused + 1 };
              }
            }
          : undefined;
      const result = await runLoad(state.server.api.url, state.specs, connections, onBody);
      state.result = result;
      state.bulkItems = bulkItems;
      // The projections' backlog is worked off here, untimed, so that it does not run during another
      // variant's measurement; how long it takes is reported.
      const started = Date.now();
      await waitForProjections(state.server.api);
      const units = workload === 'bulk' ? bulkItems.created : result.responses;
      return {
        // autocannon's own end waits for its next 1-second tick: the rate is over first send to last answer
        throughput: units / result.seconds,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        histogramP99Ms: result.histogramP99Ms,
        catchUpMs: Date.now() - started,
      };
    },
    async validate(state) {
      const result = state.result;
      check(result !== undefined, () => `${options.id}: no run`);
      check(
        result.non2xx === 0 && result.errors === 0 && result.timeouts === 0,
        () =>
          `${options.id}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts: ${result.failures.join(' | ')}`,
      );
      check(
        result.responses === state.specs.length,
        () => `${options.id}: ${result.responses} answers to ${state.specs.length} requests`,
      );
      if (workload === 'bulk') {
        check(
          state.bulkItems?.refused === 0 && state.bulkItems.created === state.specs.length * BULK_ITEMS,
          () => `${options.id}: bulk items ${JSON.stringify(state.bulkItems)}`,
        );
      }
      // The store holds exactly what the answers say was written: per event type, before + sent × events.
      const expected = new Map(state.before);
      for (const [requestKind, sent] of result.sentByKind) {
        for (const [type, count] of Object.entries(EVENTS_OF[requestKind] ?? {})) {
          expected.set(type, (expected.get(type) ?? 0) + sent * count);
        }
      }
      const stored = new Map(await state.server.count());
      // A build from before docs/adr/0008 (the before/after scenario) kept its bookkeeping as events.
      for (const legacy of LEGACY_BOOKKEEPING_TYPES) {
        stored.delete(legacy);
        expected.delete(legacy);
      }
      for (const [type, count] of expected) {
        check(
          stored.get(type) === count,
          () => `${options.id}: ${stored.get(type) ?? 0} ${type} events stored, expected ${count}`,
        );
      }
      for (const type of stored.keys()) {
        check(expected.has(type), () => `${options.id}: unexpected ${type} events`);
      }
    },
    async dispose(state) {
      await state.server.stop();
    },
  };
}

export const HTTP_METRICS = {
  p50Ms: { unit: 'ms', better: 'lower' },
  p99Ms: { unit: 'ms', better: 'lower' },
  histogramP99Ms: { unit: 'ms', better: 'lower' },
  catchUpMs: { unit: 'ms', better: 'lower' },
} as const;

export function roundsOf(context: BenchContext): BenchContext {
  // Each variant starts its own app and warms it up: no warm-up round; 3 rounds keep the budget (4 min).
  return { ...context, rounds: context.quick ? 1 : Math.min(context.rounds, 3), warmupRounds: 0 };
}

