import { hostname } from 'node:os';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { JsonObject } from '@wasteflow/event-store';
import { BookkeepingTables, type Queryable, type Row } from '@wasteflow/integration';
import { ownerId, parseOwner, processIsAlive } from '@wasteflow/projections';

/**
 * Import jobs and their per-row results: bookkeeping beside the log in the read-model database (ADR 0008,
 * like the webhook tables of ADR 0012) — not events (a job is not a fact about waste, and its rows' facts
 * are in the events they made), not a projection (no rebuild touches them). Created here with
 * `IF NOT EXISTS`. A restart keeps every job and its report; a job whose process died is `interrupted`.
 */

export type RowStatus =
  | 'pending'
  | 'applied'
  | 'already-applied'
  | 'refused'
  /** Already in the ledger (the row's event id, or another party's act found there): nothing applied. */
  | 'matched'
  /** Another party's act not in the ledger yet: `note` says who records it. */
  | 'unmatched';

export type JobStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface RowResult {
  /** Order of processing (0-based). */
  readonly seq: number;
  readonly row: number;
  /** 1…5: the HJ 1259 table (sheet) the row is of. */
  readonly table: number;
  readonly sourceCode: string;
  status: RowStatus;
  traceCode?: string;
  position?: string;
  eventId?: string;
  note?: string;
  problem?: JsonObject;
}

export interface ImportJob {
  readonly id: string;
  readonly partyUscc: string;
  readonly sha256: string;
  readonly createdAt: string;
  readonly status: JobStatus;
  readonly rows: number;
  readonly failure?: string;
  readonly finishedAt?: string;
}

export type RowCounts = Record<RowStatus, number>;

/** A running job whose runner has not written for this long is taken as dead (a runner on another host). */
export const STALE_MS = 60_000;
/** Finished jobs kept per party (the oldest forgotten first, with their rows). */
const KEPT_JOBS = 50;
const INSERT_CHUNK = 500;

const INTERRUPTED =
  'the api stopped during the import: send the file again — rows already applied are recognised by their keys and nothing is applied twice';

@Injectable()
export class ImportJobStore extends BookkeepingTables implements OnModuleInit {
  /** `host:pid:imports` of this process: a job's runner. */
  readonly runner = ownerId({ host: hostname(), pid: process.pid }, 'imports');

  constructor(@Inject(getDataSourceToken()) db: DataSource) {
    super(db);
  }

  async onModuleInit(): Promise<void> {
    // several processes may start together on a new database (`createOnce`: one at a time)
    await this.createOnce('wasteflow.import-tables', (on) => this.createTables(on));
    await this.markInterrupted();
  }

  private async createTables(on: Queryable): Promise<void> {
    const big = this.postgres ? 'BIGINT' : 'INTEGER';
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('import_jobs')} (
      id TEXT PRIMARY KEY, party_uscc TEXT NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL,
      failure TEXT, rows_total INTEGER NOT NULL, runner TEXT NOT NULL, heartbeat_at ${big} NOT NULL,
      created_at TEXT NOT NULL, finished_at TEXT)`,
      [],
      on,
    );
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('import_job_rows')} (
      job_id TEXT NOT NULL, seq INTEGER NOT NULL, row_no INTEGER NOT NULL, table_no INTEGER NOT NULL,
      source_code TEXT NOT NULL, status TEXT NOT NULL, trace_code TEXT, position TEXT, event_id TEXT,
      note TEXT, problem TEXT, PRIMARY KEY (job_id, seq))`,
      [],
      on,
    );
    await this.q(
      `CREATE INDEX IF NOT EXISTS import_jobs_by_party ON ${this.t('import_jobs')} (party_uscc, created_at)`,
      [],
      on,
    );
    // the batch an earlier import made of a file's code (a CSV of table 4 after the CSV of table 1)
    await this.q(
      `CREATE INDEX IF NOT EXISTS import_job_rows_by_source ON ${this.t('import_job_rows')} (source_code)`,
      [],
      on,
    );
  }

  /**
   * The ledger's batch code an earlier import of the party gave each of these codes of a file (its table-1
   * row applied, already applied or matched), among the jobs still kept.
   */
  async generatedCodes(partyUscc: string, sourceCodes: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(sourceCodes)];
    for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
      const chunk = unique.slice(i, i + INSERT_CHUNK);
      const rows = await this.q(
        `SELECT r.source_code, r.trace_code FROM ${this.t('import_job_rows')} r
         JOIN ${this.t('import_jobs')} j ON j.id = r.job_id
         WHERE j.party_uscc = ? AND r.table_no = 1 AND r.trace_code IS NOT NULL
           AND r.status IN ('applied', 'already-applied', 'matched')
           AND r.source_code IN (${chunk.map(() => '?').join(', ')})
         ORDER BY j.created_at`,
        [partyUscc, ...chunk],
      );
      for (const row of rows) found.set(String(row.source_code), String(row.trace_code));
    }
    return found;
  }

  /**
   * Running jobs whose runner is gone: a process of this host that is not alive (or is this process, just
   * started: it runs none yet), or any runner silent for STALE_MS.
   */
  async markInterrupted(now = Date.now()): Promise<void> {
    const running = await this.q(
      `SELECT id, runner, heartbeat_at FROM ${this.t('import_jobs')} WHERE status = 'running'`,
    );
    for (const job of running) {
      const owner = parseOwner(String(job.runner));
      const gone =
        (owner !== undefined &&
          owner.host === hostname() &&
          (owner.pid === process.pid ? !this.mine.has(String(job.id)) : !processIsAlive(owner.pid))) ||
        now - Number(job.heartbeat_at) > STALE_MS;
      if (gone) await this.finish(String(job.id), 'interrupted', new Date(now), INTERRUPTED);
    }
  }

  /** Jobs this process runs (a job of our pid not among them was left by our predecessor's pid reuse). */
  private readonly mine = new Set<string>();

  async create(job: ImportJob, rows: readonly RowResult[]): Promise<void> {
    this.mine.add(job.id);
    await this.q(
      `INSERT INTO ${this.t('import_jobs')} (id, party_uscc, sha256, status, failure, rows_total, runner,
        heartbeat_at, created_at, finished_at) VALUES (?, ?, ?, 'running', NULL, ?, ?, ?, ?, NULL)`,
      [job.id, job.partyUscc, job.sha256, rows.length, this.runner, Date.now(), job.createdAt],
    );
    await this.saveRows(job.id, rows);
    await this.forgetOld(job.partyUscc);
  }

  /** Writes the results of these rows (replacing what was stored for their seq), and beats the heart. */
  async saveRows(jobId: string, rows: readonly RowResult[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.postgres) return this.saveRowsSqlite(jobId, rows);
    await this.db.transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await this.q(
          DELETE_ROWS(this.t('import_job_rows')),
          [jobId, chunk[0].seq, chunk.at(-1)?.seq],
          manager,
        );
        await this.q(INSERT_ROWS(this.t('import_job_rows'), chunk.length), rowParams(jobId, chunk), manager);
      }
      await this.q(
        `UPDATE ${this.t('import_jobs')} SET heartbeat_at = ? WHERE id = ?`,
        [Date.now(), jobId],
        manager,
      );
    });
  }

  /**
   * On SQLite the rows are written in one synchronous transaction of the read-model connection itself — as
   * the projection runner writes its batches —, never in a TypeORM transaction held open across awaits:
   * the runner's commit finds the connection inside another transaction, refuses it and stops every
   * projection for its restart delay (5 s), which a running import did on each chunk.
   */
  private saveRowsSqlite(jobId: string, rows: readonly RowResult[]): void {
    const connection = (this.db.driver as unknown as { databaseConnection: SqliteConnection })
      .databaseConnection;
    const table = this.t('import_job_rows');
    connection.transaction(() => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        connection.prepare(DELETE_ROWS(table)).run(jobId, chunk[0].seq, chunk.at(-1)?.seq);
        connection.prepare(INSERT_ROWS(table, chunk.length)).run(...rowParams(jobId, chunk));
      }
      connection
        .prepare(`UPDATE ${this.t('import_jobs')} SET heartbeat_at = ? WHERE id = ?`)
        .run(Date.now(), jobId);
    })();
  }

  async heartbeat(jobId: string): Promise<void> {
    await this.q(`UPDATE ${this.t('import_jobs')} SET heartbeat_at = ? WHERE id = ? AND status = 'running'`, [
      Date.now(),
      jobId,
    ]);
  }

  async finish(
    jobId: string,
    status: Exclude<JobStatus, 'running'>,
    at: Date,
    failure?: string,
  ): Promise<void> {
    this.mine.delete(jobId);
    await this.q(
      `UPDATE ${this.t('import_jobs')} SET status = ?, failure = ?, finished_at = ? WHERE id = ? AND status = 'running'`,
      [status, failure ?? null, at.toISOString(), jobId],
    );
  }

  async find(id: string): Promise<ImportJob | undefined> {
    const [row] = await this.q(`SELECT * FROM ${this.t('import_jobs')} WHERE id = ?`, [id]);
    return row ? jobOf(row) : undefined;
  }

  /** The party's running job (after taking dead runners' jobs as interrupted). */
  async running(partyUscc: string): Promise<ImportJob | undefined> {
    await this.markInterrupted();
    const [row] = await this.q(
      `SELECT * FROM ${this.t('import_jobs')} WHERE party_uscc = ? AND status = 'running' ORDER BY created_at LIMIT 1`,
      [partyUscc],
    );
    return row ? jobOf(row) : undefined;
  }

  async counts(jobId: string): Promise<RowCounts> {
    const counts: RowCounts = {
      pending: 0,
      applied: 0,
      'already-applied': 0,
      refused: 0,
      matched: 0,
      unmatched: 0,
    };
    const rows = await this.q(
      `SELECT status, COUNT(*) AS n FROM ${this.t('import_job_rows')} WHERE job_id = ? GROUP BY status`,
      [jobId],
    );
    for (const r of rows) counts[String(r.status) as RowStatus] = Number(r.n);
    return counts;
  }

  /** Rows of a job in order, `limit` from `afterSeq`; optionally of some statuses only. */
  async rows(
    jobId: string,
    options: { afterSeq?: number; limit: number; statuses?: readonly RowStatus[] },
  ): Promise<RowResult[]> {
    const params: unknown[] = [jobId, options.afterSeq ?? -1];
    let where = 'job_id = ? AND seq > ?';
    if (options.statuses) {
      where += ` AND status IN (${options.statuses.map(() => '?').join(', ')})`;
      params.push(...options.statuses);
    }
    const rows = await this.q(
      `SELECT * FROM ${this.t('import_job_rows')} WHERE ${where} ORDER BY seq LIMIT ${Number(options.limit)}`,
      params,
    );
    return rows.map(rowOf);
  }

  /** Every row of a job, a page at a time (for the report sheet). */
  async *allRows(jobId: string): AsyncGenerator<RowResult[]> {
    let after = -1;
    for (;;) {
      const page = await this.rows(jobId, { afterSeq: after, limit: 1000 });
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1].seq;
    }
  }

  private async forgetOld(partyUscc: string): Promise<void> {
    const old = await this.q(
      `SELECT id FROM ${this.t('import_jobs')} WHERE party_uscc = ? AND status <> 'running'
       ORDER BY created_at DESC, id LIMIT 1000 OFFSET ${KEPT_JOBS}`,
      [partyUscc],
    );
    for (const { id } of old) {
      await this.q(`DELETE FROM ${this.t('import_job_rows')} WHERE job_id = ?`, [id]);
      await this.q(`DELETE FROM ${this.t('import_jobs')} WHERE id = ?`, [id]);
    }
  }
}

/** The part of better-sqlite3's connection the SQLite path uses. */
interface SqliteConnection {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
}

const DELETE_ROWS = (table: string) => `DELETE FROM ${table} WHERE job_id = ? AND seq >= ? AND seq <= ?`;
const INSERT_ROWS = (table: string, n: number) =>
  `INSERT INTO ${table} (job_id, seq, row_no, table_no, source_code, status, trace_code, position, event_id,
    note, problem) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;

function rowParams(jobId: string, rows: readonly RowResult[]): unknown[] {
  return rows.flatMap((r) => [
    jobId,
    r.seq,
    r.row,
    r.table,
    r.sourceCode,
    r.status,
    r.traceCode ?? null,
    r.position ?? null,
    r.eventId ?? null,
    r.note ?? null,
    r.problem ? JSON.stringify(r.problem) : null,
  ]);
}

const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function jobOf(row: Row): ImportJob {
  return {
    id: String(row.id),
    partyUscc: String(row.party_uscc),
    sha256: String(row.sha256),
    createdAt: String(row.created_at),
    status: String(row.status) as JobStatus,
    rows: Number(row.rows_total),
    ...(text(row.failure) ? { failure: text(row.failure) } : {}),
    ...(text(row.finished_at) ? { finishedAt: text(row.finished_at) } : {}),
  };
}

function rowOf(row: Row): RowResult {
  const optional = {
    traceCode: text(row.trace_code),
    position: text(row.position),
    eventId: text(row.event_id),
    note: text(row.note),
  };
  return {
    seq: Number(row.seq),
    row: Number(row.row_no),
    table: Number(row.table_no),
    sourceCode: String(row.source_code),
    status: String(row.status) as RowStatus,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(row.problem ? { problem: JSON.parse(String(row.problem)) as JsonObject } : {}),
  };
}
