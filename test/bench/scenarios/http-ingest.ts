import { setTimeout as sleep } from 'node:timers/promises';
import { runComparison, type Variant } from '../harness/measure';
import { check, type Scenario } from '../harness/scenario';
import { buildApi, pinLoadGenerator, waitForProjections } from '../support/api-process';
import { csvOf, yearOfRows, type SheetRow } from '../../support/import-sheets';
import { BULK_ITEMS, HTTP_METRICS, httpVariant, roundsOf, startServer, type Server } from './http-variant';

/**
 * Ingestion over HTTP in events per second (issue 17 item 5): a 台账 CSV through `POST /v1/imports` (202,
 * then the rows applied in the background through the bulk write path; timed from the POST to the job's
 * end), the same number of generations through `POST /v1/commands` (requests of 1,000 items), and the
 * append limit (the bare Fastify server's bulk route: the items validated with a compiled JSON schema, the
 * 1,000 events appended in one commit of the project's SqliteEventStore), interleaved in the same rounds.
 */

interface ImportState {
  readonly server: Server;
  readonly file: Buffer;
  readonly rows: number;
  readonly before: number;
  job?: { status: string; applied: number; refused: number; alreadyApplied: number };
}

interface JobView {
  readonly importId: string;
  readonly status: string;
  readonly applied: number;
  readonly refused: number;
  readonly alreadyApplied: number;
}

async function runImport(server: Server, file: Buffer): Promise<JobView> {
  const token = server.world.generators[0].token;
  const response = await fetch(`${server.api.url}/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: file,
  });
  const started = (await response.json()) as JobView;
  check(response.status === 202, () => `POST /v1/imports: ${response.status} ${JSON.stringify(started).slice(0, 300)}`);
  for (;;) {
    const poll = await fetch(`${server.api.url}/v1/imports/${started.importId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const job = (await poll.json()) as JobView;
    check(poll.status === 200, () => `GET /v1/imports/${started.importId}: ${poll.status}`);
    if (job.status !== 'running') return job;
    await sleep(20);
  }
}

/** Rows of a year with codes of their own (`prefix`): two files of one run never share a batch code. */
function rowsOf(count: number, prefix: string): SheetRow[] {
  return yearOfRows(count).map((row) => ({ ...row, code: row.code.replace(/^HIS/, prefix) }));
}

function importVariant(tag: string, rows: number): Variant<ImportState> {
  return {
    id: 'imports',
    label: 'POST /v1/imports (CSV, applied in the background)',
    async prepare() {
      const server = await startServer('ours', `${tag}-imports`, { projections: true });
      try {
        const warm = await runImport(server, csvOf(rowsOf(200, 'WRM')));
        check(warm.status === 'done' && warm.applied === 200, () => `imports warm-up: ${JSON.stringify(warm)}`);
        await waitForProjections(server.api);
        const file = csvOf(rowsOf(rows, 'HIS'));
        return { server, file, rows, before: (await server.count()).get('WasteGenerated') ?? 0 };
      } catch (error) {
        await server.stop();
        throw error;
      }
    },
    async execute(state) {
      const started = performance.now();
      state.job = await runImport(state.server, state.file);
      const seconds = (performance.now() - started) / 1000;
      await waitForProjections(state.server.api);
      return { throughput: state.job.applied / seconds };
    },
    async validate(state) {
      const job = state.job;
      check(
        job?.status === 'done' && job.applied === state.rows && job.refused === 0 && job.alreadyApplied === 0,
        () => `imports: ${JSON.stringify(job)}`,
      );
      const stored = (await state.server.count()).get('WasteGenerated') ?? 0;
      check(stored === state.before + state.rows, () => `imports: ${stored} WasteGenerated, expected ${state.before + state.rows}`);
    },
    async dispose(state) {
      await state.server.stop();
    },
  };
}

export const ingestScenario: Scenario = {
  name: 'http-ingest',
  group: 'HTTP commands',
  title: 'Ingestion in events/s: POST /v1/imports and POST /v1/commands against the append limit',
  description:
    'One generator’s year of records (hazardous oil, slag, fly ash; test/support/import-sheets.ts) as a CSV ' +
    'through `POST /v1/imports`, timed from the POST to the end of its job (GET /v1/imports/{id} polled every 20 ms); ' +
    'the same number of generations through `POST /v1/commands` in requests of 1,000 items on one connection; ' +
    'and the append limit over HTTP (the bare Fastify server, `http-commands-generate`). SQLite, synchronous=FULL, ' +
    'projections in-process for ours (their catch-up untimed). Validated: the job done with every row applied, ' +
    'every bulk item 201, and the store holding exactly that many more WasteGenerated.',
  async run(context) {
    buildApi(context.log);
    pinLoadGenerator(context.log);
    const rows = context.quick ? 1000 : 3000;
    const requests = rows / BULK_ITEMS;
    const bulk = (id: string, server: 'ours' | 'limit', label: string) =>
      httpVariant({
        id,
        label,
        workload: 'bulk',
        connections: 1,
        requests,
        projections: server === 'ours',
        server,
        tag: context.runId,
      });
    const result = await runComparison(roundsOf(context), {
      units: rows,
      throughputUnit: 'events/s',
      variants: [
        importVariant(context.runId, rows),
        bulk('commands', 'ours', 'POST /v1/commands (1,000 items a request)'),
        bulk('limit', 'limit', 'the append limit (bare Fastify, one commit per 1,000 events)'),
      ],
      ratios: [
        { id: 'imports/limit', label: 'POST /v1/imports / the append limit (events/s)', numerator: 'imports', denominator: 'limit' },
        { id: 'commands/limit', label: 'POST /v1/commands / the append limit (events/s)', numerator: 'commands', denominator: 'limit' },
        { id: 'imports/commands', label: 'POST /v1/imports / POST /v1/commands (events/s)', numerator: 'imports', denominator: 'commands' },
      ],
      metrics: HTTP_METRICS,
    });
    return {
      parameters: { events: rows, 'bulk items per request': BULK_ITEMS, connections: 1, store: 'sqlite, synchronous=FULL' },
      ...result,
    };
  },
};
