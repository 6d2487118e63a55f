import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import { PartyNotFound, parseUscc } from '@wasteflow/domain';
import type { Principal } from '@wasteflow/ledger';
import { LedgerBookQuery } from '@wasteflow/projections';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import type { ImportJob, RowCounts } from './import-job.store';
import { ImportJobs } from './import-jobs';
import { CSV_TYPE, XLSX_TYPE, planImport, type ImportPlan } from './import-rows';
import { importReport } from './import-report';
import { statusError } from '../problems/status-error';

/** A file with row problems: refused whole, nothing appended; each problem names its row, column and rule. */
class RowsRefused extends Error {
  readonly status = 422;
  readonly rule = 'import-rows-refused';
  readonly details: Record<string, unknown>;
  readonly errors: { field: string; rule: string; message: string }[];
  constructor(plan: ImportPlan) {
    super(
      `${plan.problemCount} problem(s) in the file: nothing was imported; fix the rows named and send it again`,
    );
    this.name = 'RowsRefused';
    this.details = { problemCount: plan.problemCount, rows: plan.problems.slice(0, 200) };
    // table 1 keeps the field names it always had; another table's rows are named by its sheet
    this.errors = plan.problems.slice(0, 50).map((p) => ({
      field: p.table === 1 ? `rows[${p.row}].${p.column}` : `${p.sheet}.rows[${p.row}].${p.column}`,
      rule: p.rule,
      message: p.message,
    }));
  }
}

class ImportNotFound extends statusError(404, 'import-not-found', (id: string) => [
  `no import ${id} of this party`,
]) {}

class ImportRunning extends statusError(409, 'import-running', (job: ImportJob) => [
  `import ${job.id} of this party is still running: wait for it (GET /v1/imports/${job.id})`,
  { importId: job.id },
]) {}

function jobView(job: ImportJob, counts: RowCounts, refusedRows: unknown[]) {
  return {
    importId: job.id,
    status: job.status,
    sha256: job.sha256,
    createdAt: job.createdAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    rows: job.rows,
    applied: counts.applied,
    alreadyApplied: counts['already-applied'],
    matched: counts.matched,
    unmatched: counts.unmatched,
    refused: counts.refused,
    pending: counts.pending,
    ...(job.failure ? { failure: job.failure } : {}),
    refusedRows,
    report: `/v1/imports/${job.id}/report.xlsx`,
  };
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@ApiTags('documents')
@Controller('v1/imports')
export class ImportsController {
  constructor(
    private readonly jobs: ImportJobs,
    private readonly book: LedgerBookQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(202)
  @Allow('party', 'admin')
  @ApiBearerAuth()
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiOperation({
    summary:
      'Import a 台账 (HJ 1259 tables 1–5 of a workbook, or one table per CSV): tables 1 and 4 applied as the generations and own treatments they stand for, tables 2, 3 and 5 reconciled with the ledger book',
    description:
      'Every sheet whose header row is one of the export’s five tables is read (a CSV holds one table, the one its header row names: the export’s CSV of table=N). ' +
      'Every row is checked first (a row problem names its sheet, row, column and rule: 422, nothing appended). `dryRun=true` stops there and answers what would be imported. ' +
      'Otherwise the rows are applied in the background, tables 1, 2, 4, 3, 5, each by time: 202 with the import to poll. Table 1 rows are generations, table 4 rows the party’s own treatments ' +
      '(the who-may-treat rule judges them: the receiver role or a registered facility); rows of tables 2, 3 and 5 are acts recorded by the ledger itself or by other parties: ' +
      '`matched` when the ledger book has them, else `unmatched` with who records them (待承运单位记录 / 待接收单位记录) — nothing is invented. Each applied row has an Idempotency-Key derived from the party, ' +
      'the table and the row, so a second run applies nothing (already-applied); the event of a row carries `import:<file>:[table:<n>:]row:<n>` as its correlation id. ' +
      'An admin imports on behalf of a registered party with `party=<USCC>`: the rules judge the party, its keys are the party’s, the events name the admin as their actor (metadata `actor: admin:<token>`, `onBehalfOf: party:<USCC>`).',
  })
  @ApiProblems(400, 401, 403, 409, 413, 415, 422)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Query('dryRun') dryRun: string | undefined,
    @Query('party') party: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const importer = await this.importer(principal, party);
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
      throw InvalidRequest.field('dryRun', 'isBoolean', 'dryRun must be true or false');
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw InvalidRequest.field(
        'body',
        'required',
        'send the file as the body (text/csv or an xlsx workbook)',
      );
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const plan = await planImport(body, type === XLSX_TYPE ? XLSX_TYPE : CSV_TYPE);
    if (plan.problemCount > 0) throw new RowsRefused(plan);
    if (dryRun === 'true') {
      void reply.status(200);
      return {
        dryRun: true,
        sha256: plan.sha256,
        rows: plan.rows.length,
        tables: plan.tables,
        wouldApply: plan.rows
          .flatMap((r) =>
            r.table === 1 || r.table === 4
              ? [{ table: r.table, row: r.row, sourceCode: r.sourceCode, ...r.body }]
              : [],
          )
          .slice(0, 100),
      };
    }
    const running = await this.jobs.running(importer.partyUscc);
    if (running) throw new ImportRunning(running);
    const job = await this.jobs.start(importer, plan, this.clock.now());
    void reply.header('location', `/v1/imports/${job.id}`);
    return this.view(job);
  }

  @Get(':id')
  @Allow('party', 'admin', 'auditor')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'An import: its progress, then its result per row (applied, already applied, matched, unmatched, refused)',
    description:
      'Read by the party that started it, an admin or an auditor. Kept across restarts; a job cut by one is `interrupted` (send the file again: nothing is applied twice).',
  })
  @ApiProblems(401, 403, 404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.view(await this.own(principal, id));
  }

  @Get(':id/report.xlsx')
  @Allow('party', 'admin', 'auditor')
  @ApiBearerAuth()
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({ summary: 'The per-row report of an import as a sheet' })
  @ApiProblems(401, 403, 404)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const job = await this.own(principal, id);
    const body = importReport(this.jobs.rowsOf(job.id));
    void reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', `attachment; filename="import-${job.id}.xlsx"`)
      .send(body);
  }

  /**
   * Whose commands the rows are: a party's own (`party`, if given, must be itself), or — for an admin, who
   * must name one — a registered party's, recorded by the admin on its behalf.
   */
  private async importer(
    principal: Principal,
    party: string | undefined,
  ): Promise<Extract<Principal, { kind: 'party' }>> {
    if (principal.kind === 'party') {
      if (party !== undefined && party !== principal.partyUscc)
        throw InvalidRequest.field('party', 'ownParty', 'a party imports its own records: leave party out');
      return principal;
    }
    if (principal.kind !== 'admin') throw new Error('unreachable: @Allow(party, admin)');
    if (party === undefined || party === '')
      throw InvalidRequest.field(
        'party',
        'required',
        'an admin imports on behalf of a party: give party=<USCC>',
      );
    const uscc = parseUscc(party, 'party');
    if (!(await this.book.party(uscc))) throw new PartyNotFound(uscc, 'party');
    return {
      kind: 'party',
      tokenId: principal.tokenId,
      partyUscc: uscc,
      onBehalfOf: { kind: 'admin', tokenId: principal.tokenId },
    };
  }

  private async view(job: ImportJob) {
    const [counts, refused] = await Promise.all([this.jobs.counts(job.id), this.jobs.refusedRows(job.id)]);
    return jobView(job, counts, refused);
  }

  /**
   * Another party's import does not exist for this one (404, never 403: its id says nothing); an admin or
   * an auditor reads any.
   */
  private async own(principal: Principal, id: string): Promise<ImportJob> {
    const job = ID.test(id) ? await this.jobs.get(id) : undefined;
    const reader =
      principal.kind === 'admin' ||
      principal.kind === 'auditor' ||
      (principal.kind === 'party' && job?.partyUscc === principal.partyUscc);
    if (!job || !reader) throw new ImportNotFound(id);
    return job;
  }
}
