/** The WebhookSettings of the api's configuration (ApiConfig.webhooks). */
export const WEBHOOK_SETTINGS = Symbol.for('wasteflow.WebhookSettings');
