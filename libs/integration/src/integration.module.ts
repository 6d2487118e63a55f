import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { ManifestQuery, TraceQuery } from '@wasteflow/projections';
import type { Registry } from 'prom-client';
import { FeedScopes } from './feed/feed-scope';
import { FeedReader } from './feed/feed.reader';
import { PartyRegistry } from './scope/party-registry';
import { WebhookDeliverer } from './webhooks/delivery/deliverer';
import { WebhookMetrics } from './webhooks/webhook-metrics';
import type { WebhookSettings } from './webhooks/webhook-settings';
import { WebhookStore } from './webhooks/webhook.store';
import { WEBHOOK_METRICS_REGISTRY, WEBHOOK_SETTINGS } from './webhooks/webhook.tokens';

export interface IntegrationModuleOptions {
  /**
   * Modules exporting what the integration reads with: the ProjectionRunner of the read models (the api's
   * read side, or the projector's ProjectionsModule) and whatever `inject` names. EVENT_STORE, CLOCK and
   * the read-model DataSource come from the app's global modules.
   */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  readonly inject: InjectionToken[];
  readonly useFactory: (...args: never[]) => {
    readonly webhooks: WebhookSettings;
    readonly metrics: Registry;
  };
}

const INTEGRATION_OPTIONS = Symbol.for('wasteflow.IntegrationOptions');

/**
 * The scoped feed and the webhooks behind it (DESIGN.md §9), for every app: the api serves the feed and
 * the subscriptions' routes from it; the api (projections on) or apps/projector runs the deliverer, one
 * process at a time by its lease.
 */
@Module({})
export class IntegrationModule {
  static forRootAsync(options: IntegrationModuleOptions): DynamicModule {
    return {
      module: IntegrationModule,
      imports: options.imports,
      providers: [
        {
          provide: INTEGRATION_OPTIONS,
          inject: options.inject,
          useFactory: options.useFactory as (
            ...args: unknown[]
          ) => ReturnType<IntegrationModuleOptions['useFactory']>,
        },
        {
          provide: WEBHOOK_SETTINGS,
          inject: [INTEGRATION_OPTIONS],
          useFactory: (o: ReturnType<IntegrationModuleOptions['useFactory']>) => o.webhooks,
        },
        {
          provide: WEBHOOK_METRICS_REGISTRY,
          inject: [INTEGRATION_OPTIONS],
          useFactory: (o: ReturnType<IntegrationModuleOptions['useFactory']>) => o.metrics,
        },
        TraceQuery,
        ManifestQuery,
        PartyRegistry,
        FeedScopes,
        FeedReader,
        WebhookStore,
        WebhookMetrics,
        WebhookDeliverer,
      ],
      exports: [FeedReader, WebhookStore, WebhookDeliverer, WEBHOOK_SETTINGS],
    };
  }
}
