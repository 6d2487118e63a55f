import { Module } from '@nestjs/common';
import type { ApiConfig } from '../config/api-config';
import { FeedModule } from '../feed/feed.module';
import { MetricsModule } from '../observability/metrics.module';
import { API_CONFIG } from '../storage/storage.module';
import { WebhookDeliverer } from './delivery/deliverer';
import { WebhookStore } from './webhook.store';
import { WEBHOOK_SETTINGS } from './webhook.tokens';
import { WebhooksController } from './webhooks.controller';

/** Webhook subscriptions (tables beside the log, ADR 0012) and their deliverer, which sends the feed. */
@Module({
  imports: [FeedModule, MetricsModule],
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_SETTINGS, inject: [API_CONFIG], useFactory: (config: ApiConfig) => config.webhooks },
    WebhookStore,
    WebhookDeliverer,
  ],
  exports: [WebhookDeliverer, WebhookStore],
})
export class WebhooksModule {}
