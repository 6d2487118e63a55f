import { ConfigurationError, readSettings, type Environment } from '@wasteflow/config';
import { storeSettingsOf, type StoreSettings } from '@wasteflow/ledger';
import { webhookSettingsOf, type WebhookSettings } from '@wasteflow/integration';
import { loadReferenceData, ReferenceConfigurationError, type ReferenceData } from '@wasteflow/projections';

/** What apps/projector reads from its environment: the api's store settings, and its own HTTP port. */
export interface ProjectorConfig extends StoreSettings {
  /**
   * PROJECTOR_PORT: where `/health` and `/metrics` are served (default 3001; 0 picks a free port, logged);
   * `off` serves nothing (a supervisor then watches the process alone).
   */
  readonly port: number | 'off';
  /** PROJECTOR_HOST (default 0.0.0.0). */
  readonly host: string;
  /** The api's WASTEFLOW_WORKDAY_CALENDAR (else the bundled calendar): the same deadlines as the api. */
  readonly reference: ReferenceData;
  /**
   * The api's WASTEFLOW_WEBHOOK_* settings: the projector delivers the webhooks (one deliverer at a time
   * across processes, by the delivery lease) unless WASTEFLOW_WEBHOOK_DELIVERY=off.
   */
  readonly webhooks: WebhookSettings;
}

/**
 * The same WASTEFLOW_STORE, WASTEFLOW_DATA_DIR, DATABASE_URL, KURRENTDB_URL and WASTEFLOW_PG_SCHEMA_PREFIX
 * as the api (so both open the same log and the same read models), and its WASTEFLOW_WEBHOOK_* settings,
 * read by readSettings('projector') (libs/config). WASTEFLOW_PROJECTIONS is the api's switch and is not
 * read here: a projector always projects (or stands by for the lease). `env` defaults to the process's.
 */
export function loadProjectorConfig(env?: Environment): ProjectorConfig {
  const settings = readSettings('projector', env);
  let reference: ReferenceData;
  try {
    reference = loadReferenceData(settings);
  } catch (error) {
    if (error instanceof ReferenceConfigurationError) throw new ConfigurationError(error.message);
    throw error;
  }
  return {
    ...storeSettingsOf(settings),
    port: settings.projectorPort,
    host: settings.projectorHost,
    reference,
    webhooks: webhookSettingsOf(settings),
  };
}
