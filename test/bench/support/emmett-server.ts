/**
 * A peer's web API for the HTTP benchmarks (issue 17 item 2): Emmett's Express application
 * (`@event-driven-io/emmett-expressjs`: `getApplication`, `on`, `Created`, its problem-details error
 * handling) over Emmett's PostgreSQL event store, with the command the benchmarks send, written the way
 * Emmett's own samples write one: the body checked with Emmett's assertions, `CommandHandler` reading the
 * stream and folding it (`evolve`), a pure `decide`, the append with an expected version
 * (`STREAM_DOES_NOT_EXIST`: a new batch), 201 with a Location. Nothing else: no authentication, no
 * idempotency, no hash chain, no projections.
 *
 * Run as a child process (`node -r @swc-node/register emmett-server.ts`) with PORT, HOST, DATABASE_URL
 * and EMMETT_SCHEMA (its tables go there, through search_path: the bench gives it a database of its own and
 * its public schema); stopped with SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import {
  CommandHandler,
  EmmettError,
  STREAM_DOES_NOT_EXIST,
  assertNotEmptyString,
  assertPositiveNumber,
  type Event,
} from '@event-driven-io/emmett';
import { Created, getApplication, on } from '@event-driven-io/emmett-expressjs';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Router, type Request } from 'express';
import { Pool } from 'pg';
import { runChildServer } from './child-server';

type WasteGenerated = Event<
  'WasteGenerated',
  {
    traceCode: string;
    generatorToken: string;
    category: string;
    wasteCode: string;
    description: string;
    massKg: number;
    occurredAt: string;
  }
>;

type Batch = { status: 'none' } | { status: 'generated'; massKg: number };

interface GenerateWaste {
  readonly traceCode: string;
  readonly generatorToken: string;
  readonly category: string;
  readonly wasteCode: string;
  readonly description: string;
  readonly massKg: number;
  readonly occurredAt: string;
}

const CATEGORIES = new Set(['hazardous', 'industrial', 'construction', 'agricultural', 'household']);

const validation = (message: string) =>
  new EmmettError({ errorCode: EmmettError.Codes.ValidationError, message });
const illegalState = (message: string) =>
  new EmmettError({ errorCode: EmmettError.Codes.IllegalStateError, message });

const evolve = (state: Batch, event: WasteGenerated): Batch =>
  event.type === 'WasteGenerated' ? { status: 'generated', massKg: event.data.massKg } : state;

const decide = (command: GenerateWaste, state: Batch): WasteGenerated => {
  if (state.status !== 'none') throw illegalState(`batch ${command.traceCode} already exists`);
  return { type: 'WasteGenerated', data: { ...command } };
};

const handle = CommandHandler<Batch, WasteGenerated>({ evolve, initialState: () => ({ status: 'none' }) });

function commandOf(request: Request): GenerateWaste {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const authorization = assertNotEmptyString(request.headers.authorization);
  const category = assertNotEmptyString(body.category);
  if (!CATEGORIES.has(category)) throw validation(`unknown category ${category}`);
  const wasteCode = assertNotEmptyString(body.wasteCode);
  if (!/^\d{3}-\d{3}-\d{2}$/.test(wasteCode)) throw validation(`bad waste code ${wasteCode}`);
  return {
    traceCode: randomBytes(8).toString('hex'),
    generatorToken: authorization.replace(/^Bearer /, ''),
    category,
    wasteCode,
    description: assertNotEmptyString(body.description),
    massKg: assertPositiveNumber(body.massKg),
    occurredAt: assertNotEmptyString(body.occurredAt),
  };
}

async function start(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  const schema = process.env.EMMETT_SCHEMA;
  if (!url || !schema) throw new Error('emmett-server needs DATABASE_URL and EMMETT_SCHEMA');
  const pool = new Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  const eventStore = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  await eventStore.schema.migrate();

  const router = Router();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.post(
    '/v1/batches',
    on(async (request: Request) => {
      const command = commandOf(request);
      await handle(eventStore, `batch-${command.traceCode}`, (state) => decide(command, state), {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      });
      return Created({ createdId: command.traceCode });
    }),
  );
  const app = getApplication({ apis: [(root) => root.use(router)] });
  const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  return async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await eventStore.close();
    await pool.end();
  };
}

runChildServer(start);
