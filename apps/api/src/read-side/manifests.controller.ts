import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CST_OFFSET_MS,
  parseCategory,
  parseInstant,
  parseRegion,
  parseUscc,
  daysInMonth,
  isDomainError,
} from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import type { PersonView, Principal } from '@wasteflow/ledger';
import {
  MANIFEST_STATUSES,
  ManifestQuery,
  type ManifestPage,
  type ManifestStatusFilter,
  type ManifestView,
} from '@wasteflow/projections';
import { listScopeOf, manifestLinesInScope, readScoped } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { ManifestNumberPipe } from '../common/path-params';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { ReadYourWrites } from './read-your-writes';
import { PickupFactsReader, type PickupFacts } from '../people/pickup-facts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A domain parse error (InvalidRegion …) as a 400 naming the query parameter. */
function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isDomainError(error)) throw InvalidRequest.field(name, error.rule, `${name}: ${error.message}`);
    throw error;
  }
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw InvalidRequest.field(name, 'isInt', `${name} must be a whole number from 1 to ${max}`);
  }
  return Number(value);
}

/**
 * A period bound: `YYYY-MM` (a CST month), `YYYY-MM-DD` (a CST day) or an ISO 8601 instant with an offset.
 * `from` is the start of what it names, `to` the end (exclusive): `from=2026-03&to=2026-03` is March.
 */
export function periodBound(name: 'from' | 'to', value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) {
    const [year, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) throw InvalidRequest.field(name, 'isPeriod', `${name}: no such month ${value}`);
    return Date.UTC(year, name === 'from' ? m - 1 : m, 1) - CST_OFFSET_MS;
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const [year, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m)) {
      throw InvalidRequest.field(name, 'isPeriod', `${name}: no such day ${value}`);
    }
    return Date.UTC(year, m - 1, name === 'from' ? d : d + 1) - CST_OFFSET_MS;
  }
  try {
    const ms = parseInstant(value, name);
    return name === 'from' ? ms : ms + 1;
  } catch {
    throw InvalidRequest.field(
      name,
      'isPeriod',
      `${name} must be a month (YYYY-MM), a day (YYYY-MM-DD) or an ISO 8601 time with an offset`,
    );
  }
}

/** Manifests (转移联单): one manifest's state, and the list with filters and paging. */
@ApiTags('manifests')
@Controller('v1/manifests')
export class ManifestsController {
  constructor(
    private readonly manifests: ManifestQuery,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pickups: PickupFactsReader,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: 'List manifests, newest first, with filters and paging',
    description:
      'A party sees the manifests it is on; a regulator those whose shipper or receiver lies in its regions and that carry ' +
      'one of its categories (a region or category filter outside its scope is 403); an auditor all. Periods filter on ' +
      'the issue time (CST months or days, or instants).',
  })
  @ApiQuery({
    name: 'party',
    required: false,
    description: 'USCC of a shipper, a carrier of any leg, or receiver',
  })
  @ApiQuery({ name: 'status', required: false, enum: MANIFEST_STATUSES })
  @ApiQuery({ name: 'from', required: false, example: '2026-03' })
  @ApiQuery({ name: 'to', required: false, example: '2026-03-31' })
  @ApiQuery({
    name: 'region',
    required: false,
    description: '2, 4 or 6 digits: shipper or receiver district',
  })
  @ApiQuery({ name: 'category', required: false })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'page', required: false, example: 1 })
  @ApiQuery({ name: 'pageSize', required: false, example: DEFAULT_PAGE_SIZE })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiProblems(400, 401, 403, 503)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('party') party?: string,
    @Query('status') status?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('region') region?: string,
    @Query('category') category?: string,
    @Query('overdue') overdue?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<ManifestPage> {
    if (status !== undefined && !(MANIFEST_STATUSES as readonly string[]).includes(status)) {
      throw InvalidRequest.field('status', 'isIn', `status must be one of ${MANIFEST_STATUSES.join(', ')}`);
    }
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') {
      throw InvalidRequest.field('overdue', 'isBoolean', 'overdue must be true or false');
    }
    const filters = {
      ...(party !== undefined ? { party: field('party', () => parseUscc(party, 'party')) } : {}),
      ...(status !== undefined ? { status: status as ManifestStatusFilter } : {}),
      ...(from !== undefined ? { fromMs: periodBound('from', from) } : {}),
      ...(to !== undefined ? { toMs: periodBound('to', to) } : {}),
      ...(region !== undefined ? { region: field('region', () => parseRegion(region, 'region')) } : {}),
      ...(category !== undefined
        ? { category: field('category', () => parseCategory(category, 'category')) }
        : {}),
      ...(overdue !== undefined ? { overdue: overdue === 'true' } : {}),
      page: positiveInteger('page', page, 1, 1_000_000),
      pageSize: positiveInteger('pageSize', pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    };
    const scope = listScopeOf(principal, filters);
    await this.readYourWrites.reach(minPosition, 'manifests');
    return this.manifests.list(scope, filters, this.clock.now());
  }

  @Get(':no')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary:
      'A manifest: state, parties, every carrier leg (多式联运), vehicle, times, lines with their receipt, discrepancies, due date and overdue',
    description:
      'Its parties (shipper, the carrier of every leg, receiver), regulators whose regions include the shipper’s or the receiver’s district ' +
      'and whose categories include a line’s category, auditors. A regulator reads only the lines of its categories (a manifest ' +
      'carries one category; one recorded before that rule may mix them). `overdue` is decided at the time of the request. ' +
      '`pickup` (after the pickup): the vehicle type, the carrier’s transport licence and the driver and escort, their ' +
      'records resolved at the time of the request (status `erased` and 已删除 once a person was erased). ' +
      '`receipt.handler` (after a receipt that named one): the receiver’s 经办人, resolved the same way.',
  })
  @ApiParam({ name: 'no', example: '20263301000001', description: 'Manifest number (14 digits)' })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiProblems(400, 401, 403, 404, 503)
  async manifest(
    @CurrentPrincipal() principal: Principal,
    @Param('no', ManifestNumberPipe) manifestNo: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<ManifestView & { pickup?: PickupFacts; receipt?: { handler: PersonView } }> {
    await this.readYourWrites.reach(minPosition, 'manifests');
    const { view } = await readScoped(principal, `manifest ${manifestNo}`, () =>
      this.manifests.find(manifestNo, this.clock.now()),
    );
    const scoped = manifestLinesInScope(principal, view);
    if (view.pickedUpAt === null) return scoped;
    // the people of the pickup and the receipt, resolved now, for exactly the callers who may read its events
    const { pickup, receiptHandler } = await this.pickups.peopleOf(manifestNo);
    return { ...scoped, pickup, ...(receiptHandler ? { receipt: { handler: receiptHandler } } : {}) };
  }
}
