import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, EVENT_STORE, formatPosition, type Clock, type EventStore } from '@wasteflow/event-store';
import { actorOf, IdempotencyKeyReused, type Principal } from '@wasteflow/ledger';
import {
  checkTarget,
  FeedReader,
  principalOf,
  SECRET_OVERLAP_MS,
  TargetRefused,
  WEBHOOK_SETTINGS,
  WebhookDeliverer,
  WebhookStore,
  type DeliveryAttempt,
  type SubscriberScope,
  type Subscription,
  type WebhookSettings,
} from '@wasteflow/integration';
import { parseIdempotencyKey } from '../common/idempotency-key';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { CreateWebhookDto, RedeliverDto, RotateSecretDto, UpdateWebhookDto } from './webhook.dto';
import { createWebhookOf, redeliveryOf, updateWebhookOf } from './webhook.params';
import { statusError } from '../problems/status-error';

class WebhookNotFound extends statusError(404, 'webhook-not-found', (id: string) => [
  `no webhook ${id.slice(0, 60)} of this caller`,
  { webhookId: id.slice(0, 60) },
]) {}

class DeliveryNotFound extends statusError(404, 'delivery-not-found', (eventId: string) => [
  `event ${eventId.slice(0, 60)} was never delivered to this webhook (redeliver from a position instead)`,
  { eventId: eventId.slice(0, 60) },
]) {}

/** What a subscription shows (never its secret, which the creation and a rotation show once). */
export function webhookView(subscription: Subscription) {
  return {
    webhookId: subscription.id,
    url: subscription.url,
    eventTypes: subscription.eventTypes ?? null,
    status: subscription.status,
    pausedReason: subscription.pausedReason,
    /** Everything up to this position is delivered: the cursor to switch to the feed without loss. */
    checkpoint: formatPosition(subscription.checkpoint),
    failures: subscription.failures,
    failingSince: subscription.failingSince?.toISOString() ?? null,
    nextAttemptAt:
      subscription.nextAttemptAt === null ? null : new Date(subscription.nextAttemptAt).toISOString(),
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

function scopeOf(principal: Principal): SubscriberScope {
  if (principal.kind === 'party')
    return { kind: 'party', tokenId: principal.tokenId, partyUscc: principal.partyUscc };
  if (principal.kind === 'regulator') {
    return {
      kind: 'regulator',
      tokenId: principal.tokenId,
      districts: principal.districts,
      categories: principal.categories,
    };
  }
  throw new Error(`a ${principal.kind} cannot subscribe`);
}

/** Signed webhooks (DESIGN.md §9): subscriptions of a party or a regulator, their deliveries. */
@ApiTags('integration')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly store: WebhookStore,
    private readonly deliverer: WebhookDeliverer,
    private readonly feed: FeedReader,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  private async target(url: string): Promise<string> {
    try {
      return (await checkTarget(this.settings, url)).toString();
    } catch (error) {
      if (error instanceof TargetRefused) throw InvalidRequest.field('url', 'isWebhookTarget', error.reason);
      throw error;
    }
  }

  /** The caller's own subscription (an auditor may read any); 404 otherwise, revealing nothing. */
  private async own(principal: Principal, id: string, read = false): Promise<Subscription> {
    const subscription = await this.store.find(id);
    if (subscription === undefined) throw new WebhookNotFound(id);
    if (read && principal.kind === 'auditor') return subscription;
    if (subscription.owner !== actorOf(principal)) throw new WebhookNotFound(id);
    return subscription;
  }

  @Post()
  @Allow('party', 'regulator')
  @ApiOperation({
    summary: 'Subscribe a URL to the events of the caller’s scope (signed per Standard Webhooks)',
    description:
      'Body { url, eventTypes?, after? }. The events are those the caller’s feed shows (GET /v1/feed), after `after` ' +
      '(default: the head now). Answers the secret (whsec_…) once. https only, to public addresses, unless the host ' +
      'is listed in WASTEFLOW_WEBHOOK_ALLOWED_HOSTS.',
  })
  @ApiBody({ type: CreateWebhookDto })
  @ApiProblems(400, 401, 403)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') rawKey?: string | string[],
  ) {
    const input = createWebhookOf(body);
    // Optional here (a subscription is configuration, not a ledger write), honoured when given: the same
    // key and body answer the first subscription again; the same key with another body is 422.
    const key = rawKey === undefined ? undefined : parseIdempotencyKey(rawKey);
    const actor = actorOf(principal);
    const scope = `webhooks:${actor}`;
    const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    if (key !== undefined) {
      const prior = await this.events.bookkeeping.readIdempotencyRecord(scope, key);
      if (prior !== undefined) return this.replay(prior.record, fingerprint, key);
    }
    const url = await this.target(input.url);
    const now = this.clock.now();
    const subscription = await this.store.create({
      owner: actor,
      scope: scopeOf(principal),
      url,
      eventTypes: input.eventTypes,
      checkpoint: input.after ?? (await this.events.headPosition()),
      at: now,
    });
    if (key !== undefined) {
      const record = { webhookId: subscription.id, fingerprint };
      const inserted = await this.events.bookkeeping.importIdempotencyRecords([
        { scope, key, record, recordedAt: now },
      ]);
      if (inserted === 0) {
        // A twin request with the same key got there first: ours is undone, its answer given.
        await this.store.remove(subscription.id, actor, now);
        const prior = await this.events.bookkeeping.readIdempotencyRecord(scope, key);
        if (prior !== undefined) return this.replay(prior.record, fingerprint, key);
      }
    }
    this.deliverer.wake();
    return { ...webhookView(subscription), secret: subscription.secret };
  }

  private async replay(record: Record<string, unknown>, fingerprint: string, key: string) {
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReused(key);
    const subscription = await this.store.find(String(record.webhookId));
    if (subscription === undefined) throw new WebhookNotFound(String(record.webhookId));
    return { ...webhookView(subscription), secret: subscription.secret };
  }

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({ summary: 'The caller’s subscriptions (an auditor: every one)' })
  @ApiProblems(401, 403)
  async list(@CurrentPrincipal() principal: Principal) {
    const subscriptions = await this.store.list(
      principal.kind === 'auditor' ? undefined : actorOf(principal),
    );
    return { webhooks: subscriptions.map(webhookView) };
  }

  @Get(':id')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({ summary: 'A subscription and the history of its changes (who, when, what)' })
  @ApiProblems(401, 403, 404)
  async one(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const subscription = await this.own(principal, id, true);
    return { ...webhookView(subscription), changes: await this.store.changes(id) };
  }

  @Patch(':id')
  @Allow('party', 'regulator')
  @ApiOperation({ summary: 'Change the URL or the event types; pause, or resume a paused subscription' })
  @ApiBody({ type: UpdateWebhookDto })
  @ApiProblems(400, 401, 403, 404)
  async update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    const subscription = await this.own(principal, id);
    const change = updateWebhookOf(body);
    const actor = actorOf(principal);
    const now = this.clock.now();
    await this.store.update(id, actor, now, {
      ...(change.url !== undefined ? { url: await this.target(change.url) } : {}),
      ...(change.eventTypes !== undefined ? { eventTypes: change.eventTypes } : {}),
    });
    if (change.status === 'paused' && subscription.status === 'active') {
      await this.store.pause(id, actor, now, 'paused by its subscriber');
    }
    if (change.status === 'active' && subscription.status === 'paused')
      await this.store.resume(id, actor, now);
    this.deliverer.wake();
    return webhookView((await this.store.find(id)) as Subscription);
  }

  @Delete(':id')
  @HttpCode(204)
  @Allow('party', 'regulator')
  @ApiOperation({ summary: 'Unsubscribe (its changes and attempts stay readable to auditors)' })
  @ApiProblems(401, 403, 404)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.own(principal, id);
    await this.store.remove(id, actorOf(principal), this.clock.now());
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Allow('party', 'regulator')
  @ApiOperation({
    summary: 'A new signing secret (answered once); the old one still signs beside it for 24 h',
  })
  @ApiBody({ type: RotateSecretDto })
  @ApiProblems(400, 401, 403, 404)
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.own(principal, id);
    const rotated = await this.store.rotateSecret(
      id,
      actorOf(principal),
      this.clock.now(),
      SECRET_OVERLAP_MS,
    );
    return {
      webhookId: id,
      secret: rotated.secret,
      previousSecretValidUntil: rotated.previousUntil.toISOString(),
    };
  }

  @Get(':id/deliveries')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({ summary: 'Every delivery attempt, newest first: time, status, latency, error' })
  @ApiProblems(400, 401, 403, 404)
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ): Promise<{ deliveries: DeliveryAttempt[] }> {
    await this.own(principal, id, true);
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000 || !/^\d+$/.test(limit ?? '100')) {
      throw InvalidRequest.field('limit', 'isInt', 'limit must be a whole number from 1 to 1000');
    }
    return { deliveries: await this.store.attempts(id, n) };
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @Allow('party', 'regulator')
  @ApiOperation({
    summary:
      'Send one delivered event again now ({ eventId }), or restart ordered delivery after a position ({ fromPosition })',
  })
  @ApiBody({ type: RedeliverDto })
  @ApiProblems(400, 401, 403, 404)
  async redeliver(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    const subscription = await this.own(principal, id);
    const redelivery = redeliveryOf(body);
    if ('fromPosition' in redelivery) {
      await this.store.resume(id, actorOf(principal), this.clock.now(), redelivery.fromPosition);
      this.deliverer.wake();
      return webhookView((await this.store.find(id)) as Subscription);
    }
    const attempt = (await this.store.attempts(id, 1000)).find((a) => a.eventId === redelivery.eventId);
    if (attempt === undefined) throw new DeliveryNotFound(redelivery.eventId);
    const position = BigInt(attempt.position);
    // Through the feed again: the scope is judged as of now, like every delivery.
    const page = await this.feed.page(principalOf(subscription.scope), { after: position - 1n, limit: 1 });
    const event = page.events.find((e) => e.id === redelivery.eventId);
    if (event === undefined) throw new DeliveryNotFound(redelivery.eventId);
    const result = await this.deliverer.redeliver(subscription, event);
    return { webhookId: id, eventId: event.id, position: event.position, ...result };
  }
}
