import { ConfigurationError } from '@wasteflow/ledger';

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

/**
 * `mayDeliver: false` (an api whose projections a projector runs): delivery is off unless asked for, and
 * asking for it is a configuration error — the projector delivers, so two kinds of process never compete.
 */
export function webhookSettingsOf(
  env: NodeJS.ProcessEnv,
  options: { readonly mayDeliver: boolean; readonly why?: string } = { mayDeliver: true },
): WebhookSettings {
  const deliver = (env.WASTEFLOW_WEBHOOK_DELIVERY ?? (options.mayDeliver ? 'on' : 'off')).toLowerCase();
  if (!['on', 'off'].includes(deliver)) {
    throw new ConfigurationError(
      `WASTEFLOW_WEBHOOK_DELIVERY must be on or off, not ${env.WASTEFLOW_WEBHOOK_DELIVERY}`,
    );
  }
  if (deliver === 'on' && !options.mayDeliver) {
    throw new ConfigurationError(
      `WASTEFLOW_WEBHOOK_DELIVERY=on is refused here: ${options.why ?? 'this process does not deliver'}`,
    );
  }
  return {
    allowedHosts: (env.WASTEFLOW_WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((host) => normaliseHost(host))
      .filter((host) => host !== ''),
    deliver: deliver === 'on',
    pollMs: milliseconds(env, 'WASTEFLOW_WEBHOOK_POLL_MS', 500),
    leaseMs: milliseconds(env, 'WASTEFLOW_WEBHOOK_LEASE_MS', 15_000),
    attemptRetentionDays: days(env, 'WASTEFLOW_WEBHOOK_ATTEMPT_RETENTION_DAYS', 90),
  };
}

/** Lower case, IPv6 brackets removed: how a URL's hostname and a listed host are compared. */
export function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 10) {
    throw new ConfigurationError(`${name} must be a whole number of milliseconds ≥ 10, not ${value}`);
  }
  return Number(value);
}

function days(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1) {
    throw new ConfigurationError(`${name} must be a whole number of days ≥ 1, not ${value}`);
  }
  return Number(value);
}
