import type { SettingsOf } from '@wasteflow/config';

/** The webhooks' part of the configuration of the api and of apps/projector (README "Integration"). */
export interface WebhookSettings {
  /**
   * WASTEFLOW_WEBHOOK_ALLOWED_HOSTS: host names or addresses (comma-separated) that may be targeted over
   * plain http and may be loopback or private (tests, on-premises receivers). Every other target must be
   * https and must resolve to public addresses only.
   */
  readonly allowedHosts: readonly string[];
  /**
   * Whether this process competes for the delivery lease and delivers (WASTEFLOW_WEBHOOK_DELIVERY, default
   * on; an api with WASTEFLOW_PROJECTIONS=off never delivers: its projector does).
   */
  readonly deliver: boolean;
  /** WASTEFLOW_WEBHOOK_POLL_MS: how often the deliverer looks for work when nothing woke it (default 500). */
  readonly pollMs: number;
  /** WASTEFLOW_WEBHOOK_LEASE_MS: the single deliverer's lease (default 15 s); renewed every poll. */
  readonly leaseMs: number;
  /** WASTEFLOW_WEBHOOK_ATTEMPT_RETENTION_DAYS: delivery attempts older than this are deleted (default 90). */
  readonly attemptRetentionDays: number;
}

/** The WASTEFLOW_WEBHOOK_* settings, as readSettings (libs/config) parsed them for the api or the projector. */
export type WebhookSettingsInput = Pick<
  SettingsOf<'projector'>,
  | 'webhookDelivery'
  | 'webhookAllowedHosts'
  | 'webhookPollMs'
  | 'webhookLeaseMs'
  | 'webhookAttemptRetentionDays'
>;

/**
 * `mayDeliver: false` (an api whose projections a projector runs): delivery is off (readSettings has
 * refused WASTEFLOW_WEBHOOK_DELIVERY=on there already: the projector delivers, so two kinds of process
 * never compete). Otherwise on unless WASTEFLOW_WEBHOOK_DELIVERY=off.
 */
export function webhookSettingsOf(
  settings: WebhookSettingsInput,
  options: { readonly mayDeliver: boolean } = { mayDeliver: true },
): WebhookSettings {
  return {
    allowedHosts: (settings.webhookAllowedHosts ?? [])
      .map((host) => normaliseHost(host))
      .filter((host) => host !== ''),
    deliver: options.mayDeliver && settings.webhookDelivery !== false,
    pollMs: settings.webhookPollMs,
    leaseMs: settings.webhookLeaseMs,
    attemptRetentionDays: settings.webhookAttemptRetentionDays,
  };
}

/** Lower case, IPv6 brackets removed: how a URL's hostname and a listed host are compared. */
export function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
}
