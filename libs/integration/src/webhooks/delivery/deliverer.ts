import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, EVENT_STORE, StreamNotFound, type Clock, type EventStore } from '@wasteflow/event-store';
import { TOKEN_REVOKED, tokenStream } from '@wasteflow/ledger';
import type { DomainEventType } from '@wasteflow/domain';
import { namedLease, type LeaseKeeper } from '@wasteflow/projections';
import { FeedReader, type FeedEvent } from '../../feed/feed.reader';
import { WebhookStore } from '../webhook.store';
import { principalOf, signingSecrets, type Subscription } from '../webhook.subscription';
import { WEBHOOK_SETTINGS } from '../webhook.tokens';
import type { WebhookSettings } from '../webhook-settings';
import { afterFailure, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { DELIVERY_TIMEOUT_MS, sendDelivery, type SendResult } from './sender';

/**
 * The lease that makes one process at a time the deliverer, across every api and projector on the same
 * database: a row of the read models' lease table beside the projection runner's (`namedLease`).
 */
export const DELIVERY_LEASE = 'webhook-delivery';
/** Events one subscription delivers before the others get a turn at the loop. */
const EVENTS_PER_TURN = 100;

export interface DelivererTestHooks {
  /**
   * Called after a successful send, before the checkpoint is saved; answering true makes the deliverer
   * die there as a killed process would (no checkpoint, no release of its lease, nothing more sent).
   */
  crashBeforeCheckpoint?: (subscription: Subscription, event: FeedEvent) => boolean;
}

class Crashed extends Error {}

/**
 * Delivers each active subscription's feed in order, at least once: the next event after the
 * subscription's checkpoint is sent, and the checkpoint moves past it only after a 2xx; a failure is
 * retried with back-off (its schedule kept in the subscription's row, so a restart keeps it) until it has
 * failed for 24 h, then the subscription is paused with the reason. One deliverer at a time (a lease);
 * a subscription's deliveries run one after another, subscriptions beside each other.
 */
@Injectable()
export class WebhookDeliverer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookDeliverer');
  private readonly lease: LeaseKeeper;
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private crashed = false;
  private ticking?: Promise<void>;
  private readonly running = new Map<string, Promise<void>>();
  private lastPurge = Number.NEGATIVE_INFINITY;
  backoff: BackoffPolicy = DEFAULT_BACKOFF;
  random: () => number = Math.random;
  timeoutMs = DELIVERY_TIMEOUT_MS;
  testHooks: DelivererTestHooks = {};

  constructor(
    private readonly store: WebhookStore,
    private readonly feed: FeedReader,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Inject(getDataSourceToken()) readModels: DataSource,
  ) {
    this.lease = namedLease(readModels, {
      lease: DELIVERY_LEASE,
      role: 'webhook-delivery',
      ttlMs: settings.leaseMs,
      warn: (message) => this.logger.warn(message),
    });
  }

  /** The owner id this deliverer holds the lease under (`host:pid:webhook-delivery-…`). */
  get owner(): string {
    return this.lease.owner;
  }

  /** `off` (this process does not deliver), `delivering` (it holds the lease) or `standby`. */
  get state(): 'off' | 'delivering' | 'standby' {
    if (!this.settings.deliver) return 'off';
    return this.lease.held && !this.stopped ? 'delivering' : 'standby';
  }

  onApplicationBootstrap(): void {
    if (!this.settings.deliver) {
      this.logger.log(
        'webhook delivery off in this process (WASTEFLOW_WEBHOOK_DELIVERY, or a projector delivers)',
      );
      return;
    }
    this.stopped = false;
    this.schedule(0);
  }

  // Before TypeORM's onApplicationShutdown destroys the read-model DataSource: the deliveries in flight
  // finish and the lease is handed back while the database is still there.
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(this.running.values());
    // A crashed deliverer hands nothing back, as a killed process could not: its successor takes over.
    if (!this.crashed) await this.lease.release();
    this.lease.retire();
  }

  /** Look for work now (a new subscription, a rewind) instead of at the next poll. */
  wake(): void {
    if (!this.stopped && this.ticking === undefined) this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.logger.error(`delivery loop: ${String(error)}`))
        .finally(() => {
          this.ticking = undefined;
          if (!this.stopped) this.schedule(this.settings.pollMs);
        });
    }, ms);
  }

  /** One look: hold the lease, then start a turn for every active subscription not already in one. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    await this.purgeOldAttempts();
    const active = await this.store.active();
    // No subscription, no lease: a process with nothing to deliver writes nothing every poll.
    if (active.length === 0 || !(await this.holdLease())) return;
    for (const subscription of active) {
      if (this.stopped) return;
      if (this.running.has(subscription.id)) continue;
      const turn = this.turn(subscription.id)
        .catch((error: unknown) => {
          if (error instanceof Crashed) return;
          this.logger.error(`webhook ${subscription.id}: ${String(error)}`);
        })
        .finally(() => this.running.delete(subscription.id));
      this.running.set(subscription.id, turn);
    }
  }

  /** At most hourly (by the injected clock): attempts are bookkeeping with a retention period. */
  private async purgeOldAttempts(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastPurge < 3_600_000) return;
    this.lastPurge = now;
    await this.store.purgeAttempts(new Date(now - this.settings.attemptRetentionDays * 86_400_000));
  }

  /** Renewed at every look (every poll); taken when free, expired, or its holder's pid is gone on this host. */
  private async holdLease(): Promise<boolean> {
    if (this.lease.held) {
      await this.lease.renew(() => {
        this.logger.warn(`lost the lease ${DELIVERY_LEASE}: another process delivers now`);
        this.lease.forget();
      });
      if (this.lease.held) return true;
    }
    const token = await this.lease.acquire();
    if (token !== undefined) this.logger.log(`delivering webhooks (lease ${DELIVERY_LEASE}, token ${token})`);
    return token !== undefined;
  }

  /** Up to EVENTS_PER_TURN deliveries of one subscription, strictly one after another. */
  private async turn(id: string): Promise<void> {
    // The lease is checked before each send: a deliverer that lost it stops within one delivery.
    for (let n = 0; n < EVENTS_PER_TURN && !this.stopped && this.lease.held; n++) {
      const subscription = await this.store.find(id);
      if (subscription === undefined || subscription.status !== 'active') return;
      if (n === 0 && (await this.scopeRevoked(subscription))) {
        const reason = `the regulator token ${subscription.scope.tokenId} that subscribed was revoked`;
        await this.store.pause(subscription.id, 'deliverer', this.clock.now(), reason);
        return;
      }
      if (!(await this.deliverNext(subscription))) return;
    }
  }

  /**
   * A regulator's subscription delivers under its token's scope: once that token is revoked, nothing more
   * goes out. (A party's subscription is the party's, whichever of its tokens made it.)
   */
  private async scopeRevoked(subscription: Subscription): Promise<boolean> {
    if (subscription.scope.kind !== 'regulator') return false;
    try {
      const events = await this.events.readStream(tokenStream(subscription.scope.tokenId));
      return events.some((event) => event.type === TOKEN_REVOKED);
    } catch (error) {
      if (error instanceof StreamNotFound) return true;
      throw error;
    }
  }

  /** True when it delivered one event (and may go on at once). */
  private async deliverNext(subscription: Subscription): Promise<boolean> {
    const now = this.clock.now();
    if (subscription.nextAttemptAt !== null && now.getTime() < subscription.nextAttemptAt) return false;
    const page = await this.feed.page(principalOf(subscription.scope), {
      after: subscription.checkpoint,
      limit: 1,
      types: subscription.eventTypes as DomainEventType[] | undefined,
    });
    const event = page.events[0];
    if (event === undefined) {
      // Nothing of the subscriber's up to the feed's cursor: the checkpoint moves past what it skipped.
      const next = BigInt(page.next);
      if (next > subscription.checkpoint)
        await this.store.advance(subscription.id, subscription.checkpoint, next);
      return false;
    }
    const result = await this.attempt(subscription, event, now, 'delivery');
    if (result.ok) {
      if (this.testHooks.crashBeforeCheckpoint?.(subscription, event)) {
        this.crashed = true;
        this.stopped = true;
        clearTimeout(this.timer);
        throw new Crashed();
      }
      await this.store.advance(subscription.id, subscription.checkpoint, BigInt(event.position));
      return true;
    }
    const failures = subscription.failures + 1;
    const failingSince = subscription.failingSince ?? now;
    const step = afterFailure(
      this.backoff,
      { failingSince, failures, now, lastError: result.error ?? `HTTP ${result.status}` },
      this.random(),
    );
    if (step.kind === 'pause') await this.store.pause(subscription.id, 'deliverer', now, step.reason);
    else await this.store.recordFailure(subscription.id, failures, failingSince, step.at);
    return false;
  }

  /** A redelivery asked for by the subscriber: one attempt now, out of the ordered sequence, recorded. */
  async redeliver(subscription: Subscription, event: FeedEvent): Promise<SendResult> {
    return this.attempt(subscription, event, this.clock.now(), 'redelivery');
  }

  /** One POST of `event` to the subscriber (signed with the secrets valid at `now`), recorded as `kind`. */
  private async attempt(
    subscription: Subscription,
    event: FeedEvent,
    now: Date,
    kind: 'delivery' | 'redelivery',
  ): Promise<SendResult> {
    const result = await sendDelivery(
      this.settings,
      { url: subscription.url, secrets: signingSecrets(subscription, now) },
      event,
      now,
      this.timeoutMs,
    );
    await this.record(subscription, event, now, result, kind);
    return result;
  }

  private async record(
    subscription: Subscription,
    event: FeedEvent,
    at: Date,
    result: SendResult,
    kind: 'delivery' | 'redelivery',
  ): Promise<void> {
    await this.store.recordAttempt({
      webhookId: subscription.id,
      eventId: event.id,
      position: event.position,
      at: at.toISOString(),
      status: result.status,
      latencyMs: result.latencyMs,
      ok: result.ok,
      error: result.error,
      kind,
    });
  }
}
