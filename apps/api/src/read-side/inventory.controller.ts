import { Controller, Get, Inject, Query, type Provider } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isDomainError, parseSubtype, type WasteCategory } from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import type { Principal } from '@wasteflow/ledger';
import { InventoryQuery, type InventoryAnswer, type ReadScope } from '@wasteflow/projections';
import { Forbidden, listScopeOf } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiRead } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { InventoryQueryDto, InventoryResponseDto, pagingOf } from './inventory.dto';
import { ReadYourWrites } from './read-your-writes';

export const INVENTORY_PROVIDERS: Provider[] = [
  {
    provide: InventoryQuery,
    useFactory: (dataSource: DataSource) => new InventoryQuery(dataSource),
    inject: [getDataSourceToken()],
  },
];

/**
 * The read scope of a list of the dashboard (inventory, alerts): an auditor everything; a party only its
 * own rows (naming another party is 403); a regulator its regions and categories, narrowed by the region and
 * category asked for (one outside its scope is 403) — the shared rules of `scope.ts`.
 */
export function dashboardScope(
  principal: Principal,
  filters: { party?: string; region?: string; category?: string },
): ReadScope {
  if (principal.kind === 'party' && filters.party !== undefined && filters.party !== principal.partyUscc) {
    throw new Forbidden('a party sees only its own');
  }
  const scope = listScopeOf(principal, filters);
  // the read models name a party's scope by `uscc`; all and a regulator's (narrowed) scope are the same
  return scope.kind === 'party' ? { kind: 'party', uscc: scope.partyUscc } : scope;
}

/** A subtype that belongs to the category given (400 naming `subtype` otherwise). */
export function subtypeOf(category: string | undefined, subtype: string | undefined): string | undefined {
  if (subtype === undefined) return undefined;
  if (category === undefined)
    throw InvalidRequest.field('subtype', 'needsCategory', 'subtype needs a category');
  try {
    return parseSubtype(category as WasteCategory, subtype, 'subtype');
  } catch (error) {
    if (isDomainError(error)) throw InvalidRequest.field('subtype', error.rule, error.message);
    throw error;
  }
}

@ApiTags('read models')
@Controller('v1/inventory')
export class InventoryController {
  constructor(
    private readonly inventory: InventoryQuery,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiRead({
    summary: 'Inventory: what each holder holds and has in transit, with storage ages',
    description:
      'Totals per holder × category × subtype × waste code, and the batches (oldest first, paged) with their manifest when ' +
      'on one and their storage age in days at the time of the request. A party sees its own; a regulator the holders in ' +
      'its regions, for its categories; an auditor everything.',
    ok: InventoryResponseDto,
    problems: [400, 401, 403, 503],
  })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Query() query: InventoryQueryDto,
  ): Promise<InventoryAnswer> {
    const subtype = subtypeOf(query.category, query.subtype);
    const scope = dashboardScope(principal, query);
    await this.readYourWrites.reach(query.minPosition, 'inventory');
    return this.inventory.inventory({
      scope,
      party: query.party,
      region: query.region,
      category: query.category,
      subtype,
      wasteCode: query.wasteCode,
      paging: pagingOf(query),
      now: this.clock.now(),
    });
  }
}
