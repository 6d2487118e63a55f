import { PassThrough } from 'node:stream';
import { Controller, Get, Inject, Logger, Query, Res, type Provider } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { PartyNotFound, WASTE_CATEGORIES } from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import { PeopleRecords, type Principal } from '@wasteflow/ledger';
import { LedgerBookQuery, type LedgerBookRequest, type LedgerBookTableNo } from '@wasteflow/projections';
import { assertCanRead, listScopeOf, readScoped } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { bookTable } from './ledger-book.columns';
import { LedgerBookQueryDto } from './ledger-book.dto';
import { writeBookCsv, writeBookXlsx } from './ledger-book.writer';

export const LEDGER_BOOK_PROVIDERS: Provider[] = [
  {
    provide: LedgerBookQuery,
    useFactory: (dataSource: DataSource) => new LedgerBookQuery(dataSource),
    inject: [getDataSourceToken()],
  },
];

/** A book longer than this is refused (400 naming `to`): ask for a shorter period. */
export const MAX_LEDGER_BOOK_ROWS = 200_000;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `YYYY-MM` or `YYYY-MM-DD` (CST) as the epoch ms it starts at; `end`: the ms just after it ends. */
export function cstBound(value: string, field: 'from' | 'to', end: boolean): number {
  const [y, m, d] = value.split('-').map(Number);
  const day = d ?? 1;
  const check = new Date(Date.UTC(y, m - 1, day));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day)
    throw InvalidRequest.field(field, 'isDate', `${field} is not a date of the calendar`);
  const start = Date.UTC(y, m - 1, day) - 8 * 3_600_000;
  if (!end) return start;
  return d === undefined ? Date.UTC(y, m, 1) - 8 * 3_600_000 : start + 86_400_000;
}

@ApiTags('documents')
@Controller('v1/ledger-book')
export class LedgerBookController {
  private readonly logger = new Logger('LedgerBook');

  constructor(
    private readonly book: LedgerBookQuery,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly people: PeopleRecords,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The HJ 1259-2022 台账 of a party over a period (xlsx: five sheets; csv: one table)',
    description:
      'One sheet per table (产生、入库、出库、自行利用/处置、委外利用/处置), Chinese headers in the standard’s order, each row one ' +
      'event of the party in the period, masses in 吨 with three decimals; hidden columns hold the exact grams, the event ' +
      'id and type and the ledger position. A party reads its own; a regulator any party of its regions (the rows of its ' +
      'categories); an auditor any party.',
  })
  @ApiProduces(XLSX_TYPE, 'text/csv')
  @ApiProblems(400, 401, 403, 404, 503)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LedgerBookQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = query.format ?? 'xlsx';
    const fromMs = cstBound(query.from, 'from', false);
    const toMs = cstBound(query.to, 'to', true);
    if (toMs <= fromMs) throw InvalidRequest.field('to', 'isPeriod', 'to must not be before from');
    if (format === 'csv' && query.table === undefined)
      throw InvalidRequest.field('table', 'required', 'a CSV holds one table: give table=1…5');
    // A party token naming another party is refused before anything about that party is looked up.
    const scope = listScopeOf(principal);
    const everything = { parties: [query.party], districts: [], categories: [...WASTE_CATEGORIES] };
    if (scope.kind === 'party') assertCanRead(principal, everything, `the ledger book of ${query.party}`);
    await this.readYourWrites.reach(query.minPosition);
    // the one scope rule: an unknown party is refused as an unreadable one (only an auditor learns 404)
    const { party } = await readScoped(principal, `the ledger book of ${query.party}`, async () => {
      const found = await this.book.party(query.party);
      if (!found) throw new PartyNotFound(query.party, 'party');
      return { party: found, access: { ...everything, districts: [found.districtCode] } };
    });
    const request: LedgerBookRequest = {
      partyUscc: party.uscc,
      fromMs,
      toMs,
      ...(scope.kind === 'regulator' ? { categories: scope.categories } : {}),
    };
    const { position, counts } = await this.book.open(request);
    const table = query.table === undefined ? undefined : bookTable(Number(query.table));
    const rows = table
      ? counts[table.no as LedgerBookTableNo]
      : Object.values(counts).reduce((a, b) => a + b, 0);
    if (rows > MAX_LEDGER_BOOK_ROWS)
      throw InvalidRequest.field(
        'to',
        'maxRows',
        `the book has ${rows} rows in this period, more than ${MAX_LEDGER_BOOK_ROWS}: ask for a shorter period`,
      );

    const body = new PassThrough();
    const name = `ledger-book-${party.uscc}-${query.from}-${query.to}${table ? `-table${table.no}` : ''}.${format}`;
    void reply
      .header('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('x-ledger-position', position.toString())
      .send(body);
    const source = { query: this.book, people: this.people };
    const written =
      format === 'csv' && table
        ? writeBookCsv(body, source, request, table, position)
        : writeBookXlsx(body, source, request, {
            partyUscc: party.uscc,
            partyName: party.name,
            districtCode: party.districtCode,
            from: query.from,
            to: query.to,
            position,
            generatedAt: this.clock.now(),
          });
    // The answer has begun: a failure now can only cut the download (the client sees a broken file).
    await written.catch((error: unknown) => {
      this.logger.error(`ledger book of ${party.uscc} cut short: ${(error as Error).message}`);
      body.destroy(error as Error);
    });
  }
}
