import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { parsePersonId } from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import { actorOf, PeopleRecords, type Principal } from '@wasteflow/ledger';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { parsingPipe } from '../common/path-params';
import { statusError } from '../problems/status-error';

/** `{id}`: a person reference (`p-` and 32 hex digits); malformed → 400 naming `id`. */
export const PersonIdPipe = parsingPipe('PersonIdPipe', (v) => parsePersonId(v, 'id'));

class PersonNotFound extends statusError(404, 'person-not-found', (personId: string) => [
  `no person record ${personId}`,
  { personId },
]) {}

export interface ErasureAnswer {
  readonly personId: string;
  readonly status: 'erased';
  /** False when it had been erased before (the answer of the first erasure is not kept: nothing is). */
  readonly erasedNow: boolean;
}

/**
 * Personal data (ADR 14, DESIGN §10): erasure by crypto-shredding. Not a command of the ledger and not an
 * event — the log must not hold the person, not even as the fact of an erasure naming them; the record
 * keeps when and by whom, without the name.
 */
@ApiTags('people')
@Controller('v1/people')
export class PeopleController {
  constructor(
    private readonly people: PeopleRecords,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({
    summary: 'Erase a person (admin): the key of their record is deleted, their name and phone are gone',
    description:
      'The person’s record (name, phone), encrypted with a key of its own, loses its key and its cipher text; ' +
      'every document and read then shows 已删除 for them. The events keep the reference only, so the hash ' +
      'chain and every mass are untouched and the verifier still passes. Erasing again answers the same ' +
      '(erasedNow: false). No body.',
  })
  @ApiParam({ name: 'id', example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65' })
  @ApiProblems(400, 401, 403, 404)
  async erase(
    @CurrentPrincipal() principal: Principal,
    @Param('id', PersonIdPipe) personId: string,
  ): Promise<ErasureAnswer> {
    const outcome = await this.people.erase(personId, actorOf(principal), this.clock.now());
    if (outcome === 'not_found') throw new PersonNotFound(personId);
    return { personId, status: 'erased', erasedNow: outcome === 'erased' };
  }
}
