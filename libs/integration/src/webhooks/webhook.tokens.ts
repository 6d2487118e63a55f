/** The WebhookSettings of the process (the api's ApiConfig.webhooks, the projector's config). */
export const WEBHOOK_SETTINGS = Symbol.for('wasteflow.WebhookSettings');
/** The prom-client Registry the webhook metrics go in (the app's /metrics). */
export const WEBHOOK_METRICS_REGISTRY = Symbol.for('wasteflow.WebhookMetricsRegistry');
