import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { IntegrationModule } from '@wasteflow/integration';
import type { ApiConfig } from '../config/api-config';
import { METRICS_REGISTRY } from '../observability/metrics.module';
import { ReadSideModule } from '../read-side/read-side.module';
import { API_CONFIG } from '../storage/storage.module';
import { FeedController } from './feed.controller';

/**
 * The scoped event feed and the webhooks behind it (libs/integration); the deliverer runs here unless the
 * projections (and so the delivery) are left to apps/projector.
 */
export const INTEGRATION = IntegrationModule.forRootAsync({
  imports: [ReadSideModule],
  inject: [API_CONFIG, METRICS_REGISTRY],
  useFactory: (config: ApiConfig, metrics: Registry) => ({ webhooks: config.webhooks, metrics }),
});

@Module({
  imports: [INTEGRATION],
  controllers: [FeedController],
})
export class FeedModule {}
