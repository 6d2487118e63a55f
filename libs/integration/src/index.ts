// The read side's scope rule, the scoped feed and the webhooks (DESIGN.md §9): shared by apps/api, which
// serves them, and apps/projector, which delivers the webhooks beside an api with projections off.
export { Forbidden } from './scope/forbidden';
export {
  assertCanRead,
  canRead,
  inCategories,
  inRegions,
  isAuditor,
  listScopeOf,
  manifestLinesInScope,
  narrowRegulatorScope,
  readScoped,
  type ListScope,
  type RegulatorScope,
  type ScopedResource,
} from './scope/scope';
export { custodiansAndReceivers, readBatch } from './scope/batch-scope';
export {
  PartyRegistry,
  partyView,
  type FacilityView,
  type PartyView,
  type PermitView,
} from './scope/party-registry';

export { FeedScopes } from './feed/feed-scope';
export {
  FEED_SCAN_SIZE,
  FeedReader,
  feedEventOf,
  MAX_SCANS,
  type FeedEvent,
  type FeedPage,
  type FeedRequest,
} from './feed/feed.reader';

export {
  normaliseHost,
  webhookSettingsOf,
  type WebhookSettings,
  type WebhookSettingsInput,
} from './webhooks/webhook-settings';
export { WEBHOOK_METRICS_REGISTRY, WEBHOOK_SETTINGS } from './webhooks/webhook.tokens';
export { WebhookStore } from './webhooks/webhook.store';
export { BookkeepingTables, type Queryable, type Row } from './tables/bookkeeping-tables';
export {
  newSecret,
  principalOf,
  SECRET_OVERLAP_MS,
  signingSecrets,
  type DeliveryAttempt,
  type SubscriberScope,
  type Subscription,
  type SubscriptionChange,
  type SubscriptionStatus,
} from './webhooks/webhook.subscription';
export { WebhookMetrics } from './webhooks/webhook-metrics';
export {
  afterFailure,
  backoffDelayMs,
  DEFAULT_BACKOFF,
  type BackoffPolicy,
  type NextStep,
} from './webhooks/delivery/backoff';
export {
  checkTarget,
  checkTargetUrl,
  guardedLookup,
  isNonPublicAddress,
  TargetRefused,
  type TargetPolicy,
} from './webhooks/delivery/target-policy';
export { DELIVERY_TIMEOUT_MS, deliveryBody, sendDelivery, type SendResult } from './webhooks/delivery/sender';
export { DELIVERY_LEASE, WebhookDeliverer, type DelivererTestHooks } from './webhooks/delivery/deliverer';
export { IntegrationModule, type IntegrationModuleOptions } from './integration.module';
