import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock, type JsonObject } from '@wasteflow/event-store';
import { LedgerCommands, requestHash, type BulkItem, type Principal } from '@wasteflow/ledger';
import { LEDGER_BOOK_PROJECTION, LedgerBookQuery, ProjectionRunner } from '@wasteflow/projections';
import { WRITES } from '../writes/write-registry';
import { ProblemDetailsFilter } from '../problems/problem-details.filter';
import { ImportJobStore, type ImportJob, type RowCounts, type RowResult } from './import-job.store';
import { isLedgerRow, Reconciler } from './import-reconcile';
import type { GenerationRow, ImportPlan, ImportRow, TreatmentRow } from './import-rows';

/** Rows sent to the ledger at once: one bulk command (grouped commits, the event loop let in between items). */
const CHUNK = 500;
/** How often a running job tells the other processes it is alive (see STALE_MS). */
const HEARTBEAT_MS = 10_000;
/** How long the import waits for the ledger book to show what it applied, before reconciling. */
const BOOK_WAIT_MS = 60_000;
/**
 * The order the tables are taken in: each batch's history forward — its generation (1), the 入库 it made
 * (2), the party's own treatment (4), the 出库 that treatment or a pickup made (3), what a receiver did
 * with what the party shipped (5).
 */
export const TABLE_ORDER = [1, 2, 4, 3, 5] as const;

type PartyPrincipal = Extract<Principal, { kind: 'party' }>;

/** A table-4 row whose batch the import could not name: its generation in table 1 was refused. */
class GenerationNotImported extends Error {
  readonly status = 422;
  readonly rule = 'import-generation-refused';
  readonly details: Record<string, unknown>;
  constructor(sourceCode: string, row: number) {
    super(
      `the generation of batch ${sourceCode} (table 1, row ${row} of the file) was refused: its treatment is not recorded`,
    );
    this.name = 'GenerationNotImported';
    this.details = { sourceCode, generationRow: row };
  }
}

/**
 * The asynchronous part of an import, table by table in TABLE_ORDER (rows of one table by time, rows of one
 * time in the file's order):
 * - table 1: each row posted as the generation it stands for (generate-waste);
 * - table 4: each row posted as the party's own treatment (treat-waste) of the batch it names — the ledger's
 *   code of the file's table-1 row of that code, or a batch of this ledger —, so the who-may-treat rule
 *   (the receiver role, or an own facility covering the operation) and every other rule judge it;
 * - tables 2, 3, 5: reconciled with the ledger book once 1 and 4 are in it (see Reconciler): matched or
 *   unmatched with who records it; nothing applied.
 * Each applied row's Idempotency-Key is derived from the party, the table, the row's source batch code and
 * its body, so the same file — or the same row in another file — applies nothing the second time ("already
 * applied", with the trace code of the first time); its correlation id names the file and the row, and is in
 * the metadata of the event it made (provenance). A row exported from this ledger (its hidden 事件编号 names
 * an event of the party's book in that table) is `matched`: it is already recorded, nothing is applied.
 *
 * The job and every row's result are stored beside the log (ImportJobStore) after each chunk, so a restart
 * keeps them; a job cut by a restart is `interrupted` (not resumed: the file is not kept), and a re-run of
 * the file is safe — the rows applied before are `already-applied`, nothing twice.
 */
@Injectable()
export class ImportJobs {
  private readonly logger = new Logger('Imports');
  private readonly problems = new ProblemDetailsFilter();

  constructor(
    private readonly commands: LedgerCommands,
    private readonly store: ImportJobStore,
    private readonly book: LedgerBookQuery,
    private readonly projections: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get(id: string): Promise<ImportJob | undefined> {
    return this.store.find(id);
  }

  counts(id: string): Promise<RowCounts> {
    return this.store.counts(id);
  }

  /** The first 100 refused rows (the whole list is the report). */
  async refusedRows(id: string) {
    return (await this.store.rows(id, { limit: 100, statuses: ['refused'] })).map(({ seq: _seq, ...r }) => r);
  }

  rowsOf(id: string): AsyncGenerator<RowResult[]> {
    return this.store.allRows(id);
  }

  running(partyUscc: string): Promise<ImportJob | undefined> {
    return this.store.running(partyUscc);
  }

  async start(principal: PartyPrincipal, plan: ImportPlan, at: Date): Promise<ImportJob> {
    const ordered = orderOf(plan.rows);
    const job: ImportJob = {
      id: randomUUID(),
      partyUscc: principal.partyUscc,
      sha256: plan.sha256,
      createdAt: at.toISOString(),
      status: 'running',
      rows: ordered.length,
    };
    const results: RowResult[] = ordered.map((r, seq) => ({
      seq,
      row: r.row,
      table: r.table,
      sourceCode: r.sourceCode,
      status: 'pending',
    }));
    await this.store.create(job, results);
    const heartbeat = setInterval(() => {
      this.store.heartbeat(job.id).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    void new JobRun(this, job, principal, ordered, results)
      .run()
      .then(() => this.store.finish(job.id, 'done', this.clock.now()))
      .catch(async (error: unknown) => {
        this.logger.error(`import ${job.id} failed: ${(error as Error).stack ?? String(error)}`);
        await this.store
          .finish(job.id, 'failed', this.clock.now(), (error as Error).message)
          .catch(() => undefined);
      })
      .finally(() => clearInterval(heartbeat));
    return job;
  }

  /** @internal for JobRun */
  execute(items: BulkItem[]) {
    return items.length ? this.commands.runBulk(items) : Promise.resolve([]);
  }

  /** @internal for JobRun */
  saveRows(id: string, rows: RowResult[]): Promise<void> {
    return this.store.saveRows(id, rows);
  }

  /** @internal for JobRun: the party's book rows of these events in one table (the rows exported from here). */
  async exported(partyUscc: string, table: number, rows: readonly ImportRow[]) {
    const ids = rows.flatMap((r) => (r.eventId === undefined ? [] : [r.eventId]));
    const entries = ids.length ? await this.book.byEventIds(partyUscc, ids) : [];
    return new Map(entries.filter((e) => e.tableNo === table).map((e) => [e.eventId, e]));
  }

  /** @internal for JobRun */
  generatedCodes(partyUscc: string, sourceCodes: readonly string[]): Promise<Map<string, string>> {
    return this.store.generatedCodes(partyUscc, sourceCodes);
  }

  /** @internal for JobRun */
  reconciler(partyUscc: string, codeOf: (code: string) => string): Reconciler {
    return new Reconciler(this.book, partyUscc, codeOf);
  }

  /** @internal for JobRun: waits until the ledger book shows `position` (else the job fails: retry it). */
  async bookReaches(position: bigint): Promise<void> {
    if (position === 0n) return;
    const outcome = await this.projections.waitFor(position, BOOK_WAIT_MS, LEDGER_BOOK_PROJECTION);
    if (!outcome.reached)
      throw new Error(
        `the ledger book did not reach position ${position} within ${BOOK_WAIT_MS} ms (${outcome.failed ? 'it stopped' : 'behind'}): tables 2, 3 and 5 were not reconciled; send the file again`,
      );
  }

  /** @internal for JobRun */
  problemOf(error: unknown, instance: string): JsonObject {
    const problem = this.problems.toProblem(error, instance);
    if (problem.status >= 500) this.logger.error(String((error as Error)?.stack ?? error));
    return problem as unknown as JsonObject;
  }
}

/** Rows in TABLE_ORDER, each table by time then by row. */
function orderOf(rows: readonly ImportRow[]): ImportRow[] {
  return TABLE_ORDER.flatMap((table) =>
    rows
      .filter((r) => r.table === table)
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.row - b.row),
  );
}

/** One run of a job: the rows in order, the codes the generations got, the position the book must reach. */
class JobRun {
  /** The ledger's batch code of each source code of table 1 (applied, already applied or matched). */
  private readonly codes = new Map<string, string>();
  /** Table-1 rows refused, by source code: their batch does not exist. */
  private readonly refusedGenerations = new Map<string, number>();
  private lastPosition = 0n;

  constructor(
    private readonly jobs: ImportJobs,
    private readonly job: ImportJob,
    private readonly principal: PartyPrincipal,
    private readonly rows: readonly ImportRow[],
    private readonly results: RowResult[],
  ) {}

  private codeOf = (sourceCode: string): string => this.codes.get(sourceCode) ?? sourceCode;

  async run(): Promise<void> {
    let start = 0;
    for (const table of TABLE_ORDER) {
      const count = this.rows.slice(start).findIndex((r) => r.table !== table);
      const end = count === -1 ? this.rows.length : start + count;
      if (end > start) {
        if (table !== 1 && table !== 4) await this.jobs.bookReaches(this.lastPosition);
        if (table !== 1) await this.earlierCodes(this.rows.slice(start, end));
        const reconciler = this.jobs.reconciler(this.principal.partyUscc, this.codeOf);
        for (let from = start; from < end; from += CHUNK) {
          const to = Math.min(from + CHUNK, end);
          const chunk = this.rows.slice(from, to);
          const results = this.results.slice(from, to);
          if (table === 1 || table === 4) await this.apply(table, chunk, results);
          else await reconciler.reconcile(chunk.filter(isLedgerRow), results);
          await this.jobs.saveRows(this.job.id, results);
        }
      }
      start = end;
    }
  }

  /**
   * The codes of rows no table-1 row of this file names: the batches an earlier import of the party made of
   * them (one CSV per table: table 1's file first), else they are taken as this ledger's own codes.
   */
  private async earlierCodes(rows: readonly ImportRow[]): Promise<void> {
    const unknown = rows
      .map((r) => r.sourceCode)
      .filter((c) => !this.codes.has(c) && !this.refusedGenerations.has(c));
    if (unknown.length === 0) return;
    for (const [code, traceCode] of await this.jobs.generatedCodes(this.principal.partyUscc, unknown))
      this.codes.set(code, traceCode);
  }

  /** Tables 1 and 4: the rows' commands, except the rows exported from this ledger (matched). */
  private async apply(table: 1 | 4, chunk: readonly ImportRow[], results: RowResult[]): Promise<void> {
    const known = await this.jobs.exported(this.principal.partyUscc, table, chunk);
    const items: BulkItem[] = [];
    const itemResults: RowResult[] = [];
    chunk.forEach((row, i) => {
      const result = results[i];
      const entry = row.eventId === undefined ? undefined : known.get(row.eventId);
      if (entry !== undefined) {
        result.status = 'matched';
        result.traceCode = entry.traceCode;
        result.position = entry.position;
        result.eventId = entry.eventId;
        result.note = 'exported from this ledger: already recorded';
        if (row.table === 1) this.codes.set(row.sourceCode, entry.traceCode);
        return;
      }
      const item = row.table === 1 ? this.generation(row) : this.treatment(row as TreatmentRow, result);
      if (item) {
        items.push(item);
        itemResults.push(result);
      }
    });
    const outcomes = await this.jobs.execute(items);
    outcomes.forEach((outcome, k) => {
      const result = itemResults[k];
      const row = chunk[results.indexOf(result)];
      if (outcome.ok) {
        result.status = outcome.outcome.replayed ? 'already-applied' : 'applied';
        result.traceCode = String((outcome.outcome.result as JsonObject).traceCode);
        result.position = outcome.outcome.position.toString();
        if (outcome.outcome.position > this.lastPosition) this.lastPosition = outcome.outcome.position;
        if (row.table === 1) this.codes.set(row.sourceCode, result.traceCode);
      } else {
        result.status = 'refused';
        result.problem = this.jobs.problemOf(outcome.error, `/v1/imports/${this.job.id}#/rows/${result.row}`);
        if (row.table === 1) this.refusedGenerations.set(row.sourceCode, row.row);
      }
    });
  }

  private envelope(row: ImportRow, key: string, route: string, params: Record<string, string>, body: object) {
    return {
      principal: this.principal,
      idempotencyKey: key,
      correlationId: `import:${this.job.sha256.slice(0, 16)}:${row.table === 1 ? '' : `table:${row.table}:`}row:${row.row}`,
      requestHash: requestHash({ route, params, body }),
    };
  }

  private generation(row: GenerationRow): BulkItem {
    const { route } = WRITES['generate-waste'];
    return {
      type: 'generate-waste',
      input: row.body,
      envelope: this.envelope(row, importKey(this.principal.partyUscc, row), route, {}, row.body),
    };
  }

  /** The treatment of the batch the row names; undefined (refused) when its generation was refused. */
  private treatment(row: TreatmentRow, result: RowResult): BulkItem | undefined {
    const refusedAt = this.refusedGenerations.get(row.sourceCode);
    if (refusedAt !== undefined) {
      result.status = 'refused';
      result.problem = this.jobs.problemOf(
        new GenerationNotImported(row.sourceCode, refusedAt),
        `/v1/imports/${this.job.id}#/rows/${row.row}`,
      );
      return undefined;
    }
    const traceCode = this.codeOf(row.sourceCode);
    const { route } = WRITES['treat-waste'];
    return {
      type: 'treat-waste',
      input: { traceCode, ...row.body },
      envelope: this.envelope(
        row,
        treatmentKey(this.principal.partyUscc, row),
        route,
        { code: traceCode },
        row.body,
      ),
    };
  }
}

/** The row's Idempotency-Key: the same row of the same party is the same generation, in any file. */
export function importKey(partyUscc: string, row: GenerationRow): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([partyUscc, row.sourceCode, row.body]))
    .digest('hex');
  return `import-${digest}`;
}

/**
 * A table-4 row's Idempotency-Key: the party, the table, the file's batch code, the treatment and which of
 * the identical rows of the sheet it is (two identical rows are two treatments; a re-run is neither again).
 */
export function treatmentKey(partyUscc: string, row: TreatmentRow): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([partyUscc, 4, row.sourceCode, row.body, row.occurrence]))
    .digest('hex');
  return `import-${digest}`;
}
