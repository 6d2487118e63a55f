/**
 * The least a durable write over HTTP costs on this machine (issue 17 item 1): a bare Fastify server with
 * the routes the HTTP benchmarks drive, each of which parses the same JSON body, validates it with a JSON
 * schema compiled by Fastify (Ajv), and appends through the project's SqliteEventStore (same file layout,
 * WAL, synchronous=FULL, group commit) before answering 201. No authorisation, no idempotency record, no
 * hash chain, no domain decision, no projections: what is left is HTTP, parsing, validation and the
 * durable append. Run as a child process like the api (`node -r @swc-node/register limit-server.ts`),
 * configured by PORT, HOST and WASTEFLOW_DATA_DIR (the store is `<dir>/events.sqlite`, so the benchmarks
 * count what it wrote like the api's). Stopped with SIGTERM.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite/sqlite-event-store';
import type { JsonObject, StreamWrite } from '../../../libs/event-store/src/event-store.port';
import { runChildServer } from './child-server';

const generationSchema = {
  type: 'object',
  required: ['category', 'wasteCode', 'description', 'massKg', 'occurredAt'],
  additionalProperties: false,
  properties: {
    category: { enum: ['hazardous', 'industrial', 'construction', 'agricultural', 'household'] },
    wasteCode: { type: 'string', pattern: '^\\d{3}-\\d{3}-\\d{2}$' },
    description: { type: 'string', minLength: 1, maxLength: 200 },
    massKg: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    occurredAt: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$',
    },
  },
} as const;

const writeHeaders = {
  type: 'object',
  required: ['authorization'],
  properties: { authorization: { type: 'string', pattern: '^Bearer .{8,}$' } },
} as const;

/** One WasteGenerated to a new stream, as a generation writes it (expected: no stream). */
function generationWrite(body: JsonObject, idempotencyKey: string | undefined): StreamWrite {
  const traceCode = randomBytes(8).toString('hex');
  return {
    stream: `batch-${traceCode}`,
    expected: 'no_stream',
    events: [
      {
        id: randomUUID(),
        type: 'WasteGenerated',
        schemaVersion: 1,
        data: { ...body, traceCode },
        metadata: { idempotencyKey: idempotencyKey ?? null, recordedBy: 'limit' },
      },
    ],
  };
}

async function start(): Promise<() => Promise<void>> {
  const store = new SqliteEventStore({ file: join(process.env.WASTEFLOW_DATA_DIR ?? '.', 'events.sqlite') });
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post(
    '/v1/batches',
    { schema: { body: generationSchema, headers: { ...writeHeaders, required: ['authorization', 'idempotency-key'] } } },
    async (request, reply) => {
      const write = generationWrite(request.body as JsonObject, request.headers['idempotency-key'] as string);
      const [result] = await store.appendToStreams([write]);
      return reply.code(201).send({ traceCode: write.stream.slice(6), position: String(result.position) });
    },
  );
  // The bulk limit: every item validated, all of them appended in one commit.
  app.post(
    '/v1/commands',
    {
      schema: {
        headers: writeHeaders,
        body: {
          type: 'object',
          required: ['commands'],
          properties: {
            commands: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['type', 'idempotencyKey', 'body'],
                properties: {
                  type: { const: 'generate-waste' },
                  idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
                  body: generationSchema,
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { commands } = request.body as { commands: { idempotencyKey: string; body: JsonObject }[] };
      const writes = commands.map((command) => generationWrite(command.body, command.idempotencyKey));
      await store.appendToStreams(writes);
      return { results: writes.map((write) => ({ status: 201, body: { traceCode: write.stream.slice(6) } })) };
    },
  );
  await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
  return async () => {
    await app.close();
    await store.close();
  };
}

runChildServer(start);
