import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@wasteflow/event-store';
import { WebhookStore } from './webhook.store';
import { WEBHOOK_METRICS_REGISTRY } from './webhook.tokens';

/**
 * The webhook metrics of /metrics, read at each scrape from the delivery tables of the shared database
 * (and the log's head), never counted in the process: they are the same whichever process delivers — the
 * api itself, or apps/projector beside an api with WASTEFLOW_PROJECTIONS=off — and survive its restarts.
 *
 *  - `wasteflow_webhook_attempts_total{result}`: every attempt recorded on this database;
 *  - `wasteflow_webhook_subscription_attempts_total{webhook,result}`: the same per existing subscription;
 *  - `wasteflow_webhook_consecutive_failures{webhook}`: the failed attempts in a row at each active
 *    subscription's next event (0 when it delivers);
 *  - `wasteflow_webhook_lag_positions{webhook}`: log head minus each active subscription's checkpoint.
 */
@Injectable()
export class WebhookMetrics {
  constructor(
    store: WebhookStore,
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(WEBHOOK_METRICS_REGISTRY) registry: Registry,
  ) {
    // collect() is called with the metric as `this`: the stores come in through the closure. A registry
    // shared by two apps of one process (tests) keeps the first registration.
    if (registry.getSingleMetric('wasteflow_webhook_attempts_total')) return;
    new Counter({
      name: 'wasteflow_webhook_attempts_total',
      help: 'Webhook delivery attempts recorded on this database, by result (ok, failed)',
      labelNames: ['result'],
      registers: [registry],
      async collect() {
        this.reset();
        const totals = { ok: 0, failed: 0 };
        for (const count of await store.attemptCounts()) totals[count.result] += count.attempts;
        this.inc({ result: 'ok' }, totals.ok);
        this.inc({ result: 'failed' }, totals.failed);
      },
    });
    new Counter({
      name: 'wasteflow_webhook_subscription_attempts_total',
      help: 'Webhook delivery attempts of each existing subscription, by result (ok, failed)',
      labelNames: ['webhook', 'result'],
      registers: [registry],
      async collect() {
        this.reset();
        const existing = new Set((await store.list()).map((s) => s.id));
        for (const count of await store.attemptCounts()) {
          if (existing.has(count.webhookId))
            this.inc({ webhook: count.webhookId, result: count.result }, count.attempts);
        }
      },
    });
    new Gauge({
      name: 'wasteflow_webhook_consecutive_failures',
      help: "Failed attempts in a row at each active subscription's next event",
      labelNames: ['webhook'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const subscription of await store.active())
          this.set({ webhook: subscription.id }, subscription.failures);
      },
    });
    new Gauge({
      name: 'wasteflow_webhook_lag_positions',
      help: "Log head minus each active subscription's checkpoint (positions not yet delivered or skipped)",
      labelNames: ['webhook'],
      registers: [registry],
      async collect() {
        this.reset();
        const head = await events.headPosition();
        for (const subscription of await store.active()) {
          const behind = head > subscription.checkpoint ? head - subscription.checkpoint : 0n;
          this.set({ webhook: subscription.id }, Number(behind));
        }
      },
    });
  }
}
