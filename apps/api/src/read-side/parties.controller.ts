import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  isDomainError,
  isPartyRole,
  parseRegion,
  parseUscc,
  PARTY_ROLES,
  regionMatches,
  type PartyRole,
  type RegisteredParty,
} from '@wasteflow/domain';
import { PeopleRecords, type PersonView, type Principal } from '@wasteflow/ledger';
import {
  Forbidden,
  narrowRegulatorScope,
  PartyRegistry,
  partyView,
  type PartyView,
} from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { ReadYourWrites } from './read-your-writes';
import { statusError } from '../problems/status-error';

/** Roles whose holders are licensed operators a shipper names on a manifest (经营许可证, published). */
const OPERATOR_ROLES: readonly PartyRole[] = ['carrier', 'receiver'];

export interface PartyPage {
  readonly parties: readonly PartyView[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

class PartyNotFound extends statusError(404, 'party-not-found', (uscc: string) => [
  `no registered party ${uscc}`,
  { uscc },
]) {}

function isOperator(party: RegisteredParty): boolean {
  return party.roles.some((role) => OPERATOR_ROLES.includes(role));
}

/**
 * Who may read a party (the scope rules of `scope.ts`, applied to a party's registration): an auditor
 * every party; a regulator the parties whose district lies in its regions (a party has no category: it
 * is overseen where it is); a party itself, and the licensed carriers and receivers it may name on a
 * manifest (their name, district, roles and permits are what the permit registers publish).
 */
export function canReadParty(principal: Principal, party: RegisteredParty): boolean {
  switch (principal.kind) {
    case 'auditor':
      return true;
    case 'regulator':
      return principal.districts.some((region) => regionMatches(region, party.districtCode));
    case 'party':
      return principal.partyUscc === party.uscc || isOperator(party);
    default:
      return false;
  }
}

/**
 * Who may read a party's people (its contact person, ADR 14): the party itself, regulators of its district,
 * auditors — not the other parties that may read a carrier's or receiver's register entry.
 */
export function canReadPartyPeople(principal: Principal, party: RegisteredParty): boolean {
  if (principal.kind === 'party') return principal.partyUscc === party.uscc;
  return canReadParty(principal, party);
}

function count(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw InvalidRequest.field(name, 'isInt', `${name} must be a whole number from 1 to ${max}`);
  }
  return Number(value);
}

/** Parties and their permits: the regulator's register, the shipper's choice of carrier and receiver. */
@ApiTags('parties')
@Controller('v1/parties')
export class PartiesController {
  constructor(
    private readonly registry: PartyRegistry,
    private readonly readYourWrites: ReadYourWrites,
    private readonly people: PeopleRecords,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: 'Registered parties with their roles and permits, by USCC, paged',
    description:
      'An auditor sees every party; a regulator the parties in its regions (a region filter outside them is 403); a ' +
      'party itself and the licensed carriers and receivers. Filters: region (2, 4 or 6 digits), role.',
  })
  @ApiQuery({ name: 'region', required: false, example: '330106' })
  @ApiQuery({ name: 'role', required: false, enum: PARTY_ROLES })
  @ApiQuery({ name: 'page', required: false, example: 1 })
  @ApiQuery({ name: 'pageSize', required: false, example: 50 })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait (bounded) until the read models reached it',
  })
  @ApiProblems(400, 401, 403, 503)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query('region') region?: string,
    @Query('role') role?: string,
    @Query('page') page?: string,
    @Query('pageSize') pageSize?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<PartyPage> {
    let region6: string | undefined;
    if (region !== undefined) {
      try {
        region6 = parseRegion(region, 'region');
      } catch (error) {
        if (isDomainError(error)) throw InvalidRequest.field('region', error.rule, error.message);
        throw error;
      }
    }
    if (role !== undefined && !isPartyRole(role)) {
      throw InvalidRequest.field('role', 'isIn', `role must be one of ${PARTY_ROLES.join(', ')}`);
    }
    const paging = {
      page: count('page', page, 1, 1_000_000),
      pageSize: count('pageSize', pageSize, 50, 500),
    };
    const regions =
      principal.kind === 'regulator'
        ? narrowRegulatorScope(principal, { region: region6 }).regions
        : region6 !== undefined
          ? [region6]
          : undefined;
    await this.readYourWrites.reach(minPosition);
    const usccs = await this.registry.usccsIn(regions);
    const states = (await Promise.all(usccs.map((uscc) => this.registry.find(uscc)))).filter(
      (state): state is RegisteredParty =>
        state !== undefined &&
        canReadParty(principal, state) &&
        (role === undefined || state.roles.includes(role as PartyRole)),
    );
    const start = (paging.page - 1) * paging.pageSize;
    return {
      parties: states.slice(start, start + paging.pageSize).map(partyView),
      ...paging,
      total: states.length,
    };
  }

  @Get(':uscc/permits')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: "A party's permits with the annual capacity used (permit-capacity-exceeded beyond it)",
    description:
      'Each permit with `capacityUsed` per permit year: the accepted hazardous mass drawn by receipts, and what is left. Who may read: as GET /v1/parties/{uscc}.',
  })
  @ApiParam({ name: 'uscc', example: '91330114MA2CJ8RL58' })
  @ApiProblems(400, 401, 403, 404)
  async permits(
    @CurrentPrincipal() principal: Principal,
    @Param('uscc') raw: string,
  ): Promise<{ uscc: string; permits: PartyView['permits'] }> {
    const party = await this.party(principal, raw);
    return { uscc: party.uscc, permits: party.permits };
  }

  @Get(':uscc/facilities')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: "A party's own treatment facilities (自行利用/处置设施) registered by a regulator",
    description:
      'Each facility with its code, the treatment operations it covers and its validity: what lets a party without ' +
      'the receiver role treat what it holds. Who may read: as GET /v1/parties/{uscc}.',
  })
  @ApiParam({ name: 'uscc', example: '91330106MA27Y5XK06' })
  @ApiProblems(400, 401, 403, 404)
  async facilities(
    @CurrentPrincipal() principal: Principal,
    @Param('uscc') raw: string,
  ): Promise<{ uscc: string; facilities: PartyView['facilities'] }> {
    const party = await this.party(principal, raw);
    return { uscc: party.uscc, facilities: party.facilities };
  }

  @Get(':uscc')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: 'A registered party: name, roles, district, permits (valid, expired or revoked)',
    description:
      'The same rule as the list: auditors; regulators of its district; itself; any party for a carrier or receiver. ' +
      '`contactPerson` (registered with PartyRegistered v3; shown to the party itself, its regulators and auditors): the ' +
      'record resolved at the time of the request, 已删除 once erased.',
  })
  @ApiParam({ name: 'uscc', example: '91330106MA27Y5XK06' })
  @ApiProblems(400, 401, 403, 404)
  async party(
    @CurrentPrincipal() principal: Principal,
    @Param('uscc') raw: string,
  ): Promise<PartyView & { contactPerson?: PersonView }> {
    let uscc: string;
    try {
      uscc = parseUscc(raw, 'uscc');
    } catch (error) {
      if (isDomainError(error)) throw InvalidRequest.field('uscc', error.rule, error.message);
      throw error;
    }
    const state = await this.registry.find(uscc);
    if (!state) throw new PartyNotFound(uscc);
    if (!canReadParty(principal, state)) {
      throw new Forbidden(`party ${uscc} is outside what this token may read`);
    }
    const view = partyView(state);
    if (state.contactPersonId === undefined || !canReadPartyPeople(principal, state)) return view;
    const people = await this.people.resolve([state.contactPersonId]);
    return { ...view, contactPerson: people.get(state.contactPersonId) };
  }
}
