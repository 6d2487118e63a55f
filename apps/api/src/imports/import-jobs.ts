import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { JsonObject } from '@wasteflow/event-store';
import { requestHash, SubmitCommandsCommand, type BulkItem, type Principal } from '@wasteflow/ledger';
import { WRITE_ROUTES } from '../common/routes';
import { ProblemDetailsFilter } from '../problems/problem-details.filter';
import type { GenerationRow, ImportPlan } from './import-rows';

export type RowStatus = 'pending' | 'applied' | 'already-applied' | 'refused';

export interface RowResult {
  readonly row: number;
  readonly sourceCode: string;
  status: RowStatus;
  traceCode?: string;
  position?: string;
  problem?: JsonObject;
}

export interface ImportJob {
  readonly id: string;
  readonly partyUscc: string;
  readonly sha256: string;
  readonly createdAt: string;
  status: 'running' | 'done' | 'failed';
  readonly rows: RowResult[];
  failure?: string;
}

/** Rows sent to the ledger at once: one bulk command (grouped commits, the event loop let in between items). */
const CHUNK = 500;
/** Finished jobs kept for polling and for their report (the oldest forgotten first; in memory only). */
const KEPT_JOBS = 200;

/**
 * The asynchronous part of an import: the checked rows posted to the ledger as the generations they stand
 * for, in the file's order of time (a batch's history begins with its generation; rows of one time keep the
 * file's order). Each row's Idempotency-Key is derived from the party, the row's source batch code and its
 * body, so the same file — or the same row in another file — applies nothing the second time ("already
 * applied", with the trace code of the first time); its correlation id names the file and the row, and is in
 * the metadata of the event it made (provenance).
 */
@Injectable()
export class ImportJobs {
  private readonly logger = new Logger('Imports');
  private readonly problems = new ProblemDetailsFilter();
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly commands: CommandBus) {}

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  running(partyUscc: string): ImportJob | undefined {
    return [...this.jobs.values()].find((j) => j.partyUscc === partyUscc && j.status === 'running');
  }

  start(principal: Extract<Principal, { kind: 'party' }>, plan: ImportPlan, at: Date): ImportJob {
    const ordered = [...plan.rows].sort(
      (a, b) => Date.parse(a.body.occurredAt) - Date.parse(b.body.occurredAt) || a.row - b.row,
    );
    const job: ImportJob = {
      id: randomUUID(),
      partyUscc: principal.partyUscc,
      sha256: plan.sha256,
      createdAt: at.toISOString(),
      status: 'running',
      rows: ordered.map((r) => ({ row: r.row, sourceCode: r.sourceCode, status: 'pending' })),
    };
    this.jobs.set(job.id, job);
    this.forgetOld();
    void this.run(job, principal, ordered).catch((error: unknown) => {
      job.status = 'failed';
      job.failure = (error as Error).message;
      this.logger.error(`import ${job.id} failed: ${(error as Error).stack ?? String(error)}`);
    });
    return job;
  }

  private async run(
    job: ImportJob,
    principal: Extract<Principal, { kind: 'party' }>,
    rows: readonly GenerationRow[],
  ): Promise<void> {
    const { route } = WRITE_ROUTES['generate-waste'];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const items: BulkItem[] = chunk.map((row) => ({
        type: 'generate-waste',
        input: row.body,
        envelope: {
          principal,
          idempotencyKey: importKey(principal.partyUscc, row),
          correlationId: `import:${job.sha256.slice(0, 16)}:row:${row.row}`,
          requestHash: requestHash({ route, params: {}, body: row.body }),
        },
      }));
      const outcomes = await this.commands.execute(new SubmitCommandsCommand(items));
      outcomes.forEach((outcome, i) => {
        const result = job.rows[start + i];
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
    }
    job.status = 'done';
  }

  private forgetOld(): void {
    if (this.jobs.size <= KEPT_JOBS) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (job.status !== 'running') this.jobs.delete(id);
    }
  }
}

/** The row's Idempotency-Key: the same row of the same party is the same generation, in any file. */
export function importKey(partyUscc: string, row: GenerationRow): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([partyUscc, row.sourceCode, row.body]))
    .digest('hex');
  return `import-${digest}`;
}

export function summaryOf(job: ImportJob) {
  const count = (status: RowStatus) => job.rows.filter((r) => r.status === status).length;
  return {
    applied: count('applied'),
    alreadyApplied: count('already-applied'),
    refused: count('refused'),
    pending: count('pending'),
  };
}
