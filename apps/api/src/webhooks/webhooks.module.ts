import { Module } from '@nestjs/common';
import { INTEGRATION } from '../feed/feed.module';
import { WebhooksController } from './webhooks.controller';

/** The subscriptions' routes; their store and deliverer are libs/integration's (tables beside the log, ADR 0012). */
@Module({
  imports: [INTEGRATION],
  controllers: [WebhooksController],
})
export class WebhooksModule {}
