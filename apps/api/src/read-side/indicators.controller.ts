import { Controller, Get, Query, type Provider } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  WASTE_CATEGORIES,
  isDomainError,
  parseSubtype,
  type WasteCategory,
  type WasteSubtype,
} from '@wasteflow/domain';
import type { Principal } from '@wasteflow/ledger';
import { IndicatorsQuery, type IndicatorsAnswer } from '@wasteflow/projections';
import { Forbidden } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiRead } from '../common/openapi';
import type { ApiConfig } from '../config/api-config';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { API_CONFIG } from '../storage/storage.module';
import { IndicatorsQueryDto, IndicatorsResponseDto } from './indicators.dto';
import { ReadYourWrites } from './read-your-writes';

export const INDICATORS_PROVIDERS: Provider[] = [
  {
    provide: IndicatorsQuery,
    // the targets in force were read with the rest of the configuration (WASTEFLOW_TARGETS)
    useFactory: (dataSource: DataSource, config: ApiConfig) =>
      new IndicatorsQuery(dataSource, config.indicatorTargets),
    inject: [getDataSourceToken(), API_CONFIG],
  },
];

/**
 * What a regulator may ask for. Its regions and categories bound the question, they do not silently
 * shrink it: a region outside (or wider than) its regions is 403, a category not its own is 403, and
 * leaving the category out — all categories — is allowed only to a regulator of all five (403 otherwise,
 * rather than a sum over a subset that the answer's `category: null` would misdescribe).
 */
export function assertIndicatorScope(
  principal: Principal,
  region: string,
  category: string | undefined,
): void {
  if (principal.kind !== 'regulator') return;
  if (!principal.districts.some((own) => region.startsWith(own))) {
    throw new Forbidden(`region ${region} lies outside this regulator's regions`, {
      regions: principal.districts,
    });
  }
  if (category !== undefined) {
    if (!principal.categories.includes(category)) {
      throw new Forbidden(`category ${category} is not one of this regulator's categories`, {
        categories: principal.categories,
      });
    }
  } else if (!WASTE_CATEGORIES.every((c) => principal.categories.includes(c))) {
    throw new Forbidden('this regulator sees only some categories: give one of them as category', {
      categories: principal.categories,
    });
  }
}

@ApiTags('read models')
@Controller('v1/indicators')
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorsQuery,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @Allow('regulator', 'auditor')
  @ApiRead({
    summary: 'Indicators of a region, a category (and subtype) and a period of CST months',
    description:
      'Raw masses (kg, exact to the gram) beside the rates (null on a zero denominator) and the targets of the category, ' +
      'at the position given. Every gram counts for its origin district and category; treatment counts in the month it ' +
      'happened, attributed to the origins it consumed; a loss in transit is not a treatment; a correction restates the ' +
      'generation month of the origins it corrects. A regulator: only within its regions and categories (403 otherwise).',
    ok: IndicatorsResponseDto,
    problems: [400, 401, 403, 503],
  })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Query() query: IndicatorsQueryDto,
  ): Promise<IndicatorsAnswer> {
    if (query.from > query.to) throw InvalidRequest.field('to', 'isPeriod', 'to must not be before from');
    let subtype: WasteSubtype | undefined;
    if (query.subtype !== undefined) {
      if (query.category === undefined)
        throw InvalidRequest.field('subtype', 'needsCategory', 'subtype needs a category');
      try {
        subtype = parseSubtype(query.category as WasteCategory, query.subtype, 'subtype');
      } catch (error) {
        if (isDomainError(error)) throw InvalidRequest.field('subtype', error.rule, error.message);
        throw error;
      }
    }
    assertIndicatorScope(principal, query.region, query.category);
    await this.readYourWrites.reach(query.minPosition, 'indicators');
    return this.indicators.indicators({
      region: query.region,
      category: query.category as WasteCategory | undefined,
      subtype,
      from: query.from,
      to: query.to,
    });
  }
}
