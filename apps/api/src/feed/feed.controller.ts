import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wasteflow/ledger';
import { FeedReader, type FeedPage } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { DEFAULT_FEED_LIMIT, feedRequestOf, MAX_FEED_LIMIT, MAX_FEED_WAIT_SECONDS } from './feed.params';

/** GET /v1/feed (DESIGN.md §9): the pull twin of the webhooks. */
@ApiTags('integration')
@Controller('v1/feed')
export class FeedController {
  constructor(private readonly feed: FeedReader) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: "The caller's events in global order, after a cursor",
    description:
      'A party: the events of the batches, manifests and party stream it is on; a regulator: those in its regions ' +
      'and categories; an auditor: every domain event — the read side’s scope rule, applied to each event’s ' +
      'stream. `next` is the cursor of the next call (a global position, the same as a webhook delivery’s ' +
      '`position`): resume from it after any stop. Served up to the read models’ checkpoint. With `wait`, an ' +
      'empty page is held up to that many seconds until an event arrives (a long poll).',
  })
  @ApiQuery({ name: 'after', required: false, description: 'cursor: a decimal global position (default 0)' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `1–${MAX_FEED_LIMIT}, default ${DEFAULT_FEED_LIMIT}`,
  })
  @ApiQuery({ name: 'types', required: false, description: 'event types, comma-separated' })
  @ApiQuery({ name: 'wait', required: false, description: `long poll: 0–${MAX_FEED_WAIT_SECONDS} seconds` })
  @ApiProblems(400, 401, 403)
  async read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<FeedPage> {
    const { request, waitMs } = feedRequestOf(query);
    return this.feed.poll(principal, request, waitMs);
  }
}
