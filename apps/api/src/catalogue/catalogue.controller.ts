import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  cstStartOfDay,
  editionInForce,
  editionNamed,
  InvalidValue,
  isCalendarDate,
  parseCalendarDate,
  parseInstant,
  UnknownCatalogueEdition,
  type HwCatalogueEdition,
  type HwCatalogueEditions,
} from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import { Allow } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { CatalogueQueryDto, CatalogueResponseDto } from './catalogue.dto';
import { HW_CATALOGUES } from './catalogue.token';

/**
 * The hazardous waste catalogue as the ledger judges codes by it (ADR 0019): the edition in force on a
 * day — what the console's code picker offers for a fact of that day — or an edition by name.
 */
@ApiTags('reference')
@Controller('v1/catalogue')
export class CatalogueController {
  constructor(
    @Inject(HW_CATALOGUES) private readonly catalogues: HwCatalogueEditions | undefined,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('admin', 'party', 'regulator', 'auditor')
  @ApiOperation({
    summary:
      'The National Hazardous Waste List (国家危险废物名录): the edition in force on a date, or by name',
    description:
      'Any valid token. `date` (default now) picks the edition in force that day (CST), as a write of that ' +
      'occurredAt is judged; `edition` names one. 404 `catalogue-edition-not-found` when it is not loaded ' +
      '(or no catalogue is: WASTEFLOW_HW_CATALOGUE unset, codes then checked for form and HW category only).',
  })
  @ApiOkResponse({ type: CatalogueResponseDto })
  @ApiProblems(400, 401, 404)
  read(@Query() query: CatalogueQueryDto): CatalogueResponseDto {
    if (query.date !== undefined && query.edition !== undefined)
      throw new InvalidValue('edition', query.edition, 'give a date or an edition, not both');
    const chosen = this.choose(query);
    return {
      edition: chosen.edition,
      inForceFrom: chosen.inForceFrom,
      editions: (this.catalogues?.editions ?? []).map((e) => ({
        edition: e.edition,
        inForceFrom: e.inForceFrom,
        codes: e.catalogue.entries.size,
      })),
      entries: [...chosen.catalogue.entries.values()].map((e) => ({
        code: e.code,
        category: e.category,
        hazard: e.hazard,
        name: e.name,
      })),
    };
  }

  private choose(query: CatalogueQueryDto): HwCatalogueEdition {
    if (query.edition !== undefined) return editionNamed(this.catalogues, query.edition);
    if (this.catalogues === undefined) throw new UnknownCatalogueEdition('in force', []);
    return editionInForce(this.catalogues, instantOf(query.date) ?? this.clock.now().getTime());
  }
}

/** A day (its 00:00 CST) or an instant, as the DTO let through; undefined when absent. */
function instantOf(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  if (!isCalendarDate(date)) return parseInstant(date, 'date');
  const { year, month, day } = parseCalendarDate(date, 'date');
  return cstStartOfDay(year, month, day);
}
