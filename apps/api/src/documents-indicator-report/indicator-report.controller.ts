import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { WASTE_CATEGORIES, type WasteCategory } from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import type { Principal } from '@wasteflow/ledger';
import { IndicatorsQuery } from '@wasteflow/projections';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import type { ApiConfig } from '../config/api-config';
import { XLSX_TYPE } from '../documents-ledger-book/ledger-book.controller';
import { assertIndicatorScope } from '../read-side/indicators.controller';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { API_CONFIG } from '../storage/storage.module';
import { IndicatorReportQueryDto } from './indicator-report.dto';
import { reportLines } from './indicator-report.rows';
import { reportWorkbook } from './indicator-report.workbook';

@ApiTags('documents')
@Controller('v1/reports/indicators')
export class IndicatorReportController {
  constructor(
    private readonly indicators: IndicatorsQuery,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('regulator', 'auditor')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The annual indicator report of a region (xlsx)',
    description:
      'Per category and subtype (and all categories, for a reader of all five): the raw masses, the rates, the targets and ' +
      'met / not met, for the year (sheet 年度) and month by month (逐月), each line with the ledger position it was computed ' +
      'at — every line is the answer GET /v1/indicators gives for it. A regulator: its regions (403 otherwise), its categories.',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiProblems(400, 401, 403, 503)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Query() query: IndicatorReportQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // the same scope rule as /v1/indicators, for the region and for each category of the report
    const categories: WasteCategory[] =
      principal.kind === 'regulator'
        ? WASTE_CATEGORIES.filter((c) => principal.categories.includes(c))
        : [...WASTE_CATEGORIES];
    for (const category of categories) assertIndicatorScope(principal, query.region, category);
    const includeAll = categories.length === WASTE_CATEGORIES.length;
    if (includeAll) assertIndicatorScope(principal, query.region, undefined);
    await this.readYourWrites.reach(query.minPosition, 'indicators');
    const year = Number(query.year);
    const { lines, positions } = await reportLines(
      this.indicators,
      { region: query.region, year, categories, includeAll },
      this.config.indicatorTargets,
    );
    const body = await reportWorkbook(lines, {
      region: query.region,
      year,
      positions,
      generatedAt: this.clock.now(),
    });
    void reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', `attachment; filename="indicators-${query.region}-${year}.xlsx"`)
      .header('x-ledger-position', positions[positions.length - 1] ?? '0')
      .send(body);
  }
}
