import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock, type JsonObject } from '@wasteflow/event-store';
import { requestHash, SubmitCommandsCommand, type BulkItem, type Principal } from '@wasteflow/ledger';
import { LedgerBookQuery } from '@wasteflow/projections';
import { WRITE_ROUTES } from '../common/routes';
import { ProblemDetailsFilter } from '../problems/problem-details.filter';
import { ImportJobStore, type ImportJob, type RowCounts, type RowResult } from './import-job.store';
import type { GenerationRow, ImportPlan } from './import-rows';

/** Rows sent to the ledger at once: one bulk command (grouped commits, the event loop let in between items). */
const CHUNK = 500;
/** How often a running job tells the other processes it is alive (see STALE_MS). */
const HEARTBEAT_MS = 10_000;

type PartyPrincipal = Extract<Principal, { kind: 'party' }>;

/**
 * The asynchronous part of an import: the checked rows posted to the ledger as the generations they stand
 * for, in the file's order of time (a batch's history begins with its generation; rows of one time keep the
 * file's order). Each row's Idempotency-Key is derived from the party, the row's source batch code and its
 * body, so the same file — or the same row in another file — applies nothing the second time ("already
 * applied", with the trace code of the first time); its correlation id names the file and the row, and is in
 * the metadata of the event it made (provenance). A row exported from this ledger (its hidden 事件编号 names
 * an event of the party) is `matched`: it is already recorded, nothing is applied.
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
    private readonly commands: CommandBus,
    private readonly store: ImportJobStore,
    private readonly book: LedgerBookQuery,
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
    const ordered = [...plan.rows].sort(
      (a, b) => Date.parse(a.body.occurredAt) - Date.parse(b.body.occurredAt) || a.row - b.row,
    );
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
      table: 1,
      sourceCode: r.sourceCode,
      status: 'pending',
    }));
    await this.store.create(job, results);
    const heartbeat = setInterval(() => {
      this.store.heartbeat(job.id).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    void this.run(job, principal, ordered, results)
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

  private async run(
    job: ImportJob,
    principal: PartyPrincipal,
    rows: readonly GenerationRow[],
    results: RowResult[],
  ): Promise<void> {
    const { route } = WRITE_ROUTES['generate-waste'];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const known = await this.exported(principal.partyUscc, chunk);
      const toApply: number[] = [];
      chunk.forEach((row, i) => {
        const entry = row.eventId === undefined ? undefined : known.get(row.eventId);
        const result = results[start + i];
        if (entry === undefined) return void toApply.push(i);
        result.status = 'matched';
        result.traceCode = entry.traceCode;
        result.position = entry.position;
        result.eventId = entry.eventId;
        result.note = 'exported from this ledger: already recorded';
      });
      const items: BulkItem[] = toApply.map((i) => {
        const row = chunk[i];
        return {
          type: 'generate-waste',
          input: row.body,
          envelope: {
            principal,
            idempotencyKey: importKey(principal.partyUscc, row),
            correlationId: `import:${job.sha256.slice(0, 16)}:row:${row.row}`,
            requestHash: requestHash({ route, params: {}, body: row.body }),
          },
        };
      });
      const outcomes = items.length ? await this.commands.execute(new SubmitCommandsCommand(items)) : [];
      outcomes.forEach((outcome, k) => {
        const result = results[start + toApply[k]];
        if (outcome.ok) {
          result.status = outcome.outcome.replayed ? 'already-applied' : 'applied';
          result.traceCode = String((outcome.outcome.result as JsonObject).traceCode);
          result.position = outcome.outcome.position.toString();
        } else {
          result.status = 'refused';
          const problem = this.problems.toProblem(outcome.error, `/v1/imports/${job.id}#/rows/${result.row}`);
          if (problem.status >= 500)
            this.logger.error(String((outcome.error as Error)?.stack ?? outcome.error));
          result.problem = problem as unknown as JsonObject;
        }
      });
      await this.store.saveRows(job.id, results.slice(start, start + chunk.length));
    }
  }

  /** The rows' events that are the party's generations in this ledger (by the hidden event id column). */
  private async exported(partyUscc: string, rows: readonly GenerationRow[]) {
    const ids = rows.flatMap((r) => (r.eventId === undefined ? [] : [r.eventId]));
    const entries = ids.length ? await this.book.byEventIds(partyUscc, ids) : [];
    return new Map(entries.filter((e) => e.tableNo === 1).map((e) => [e.eventId, e]));
  }
}

/** The row's Idempotency-Key: the same row of the same party is the same generation, in any file. */
export function importKey(partyUscc: string, row: GenerationRow): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([partyUscc, row.sourceCode, row.body]))
    .digest('hex');
  return `import-${digest}`;
}
