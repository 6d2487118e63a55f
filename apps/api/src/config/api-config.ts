import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HwCatalogue, IndicatorTarget } from '@wasteflow/domain';
import {
  ConfigurationError,
  loadHwCatalogueFile,
  mintToken,
  storeSettingsFromEnv,
  type StoreKind,
  type StoreSettings,
} from '@wasteflow/ledger';
import { loadIndicatorTargets, TargetsConfigurationError } from '@wasteflow/projections';

export { ConfigurationError, type StoreKind };

/** Everything the api reads from its environment (README "Configuration"), parsed once at start. */
export interface ApiConfig extends StoreSettings {
  readonly port: number;
  readonly adminToken?: string;
  /** WASTEFLOW_HW_CATALOGUE: the hazardous waste catalogue CSV loaded at start (form checks only without). */
  readonly hwCataloguePath?: string;
  /** WASTEFLOW_HW_CATALOGUE_EDITION: the catalogue's edition, else taken from the file name (`…2021…`). */
  readonly hwCatalogueEdition?: string;
  /** Run the projections in this process (the default) or leave them to apps/projector. */
  readonly runProjections: boolean;
  /** WASTEFLOW_TARGETS: the indicator targets in force (the plan's defaults when unset). */
  readonly indicatorTargets: readonly IndicatorTarget[];
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const store = storeSettingsFromEnv(env);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`PORT must be a TCP port number, not ${env.PORT}`);
  }
  const projections = (env.WASTEFLOW_PROJECTIONS ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(projections)) {
    throw new ConfigurationError(`WASTEFLOW_PROJECTIONS must be on or off, not ${env.WASTEFLOW_PROJECTIONS}`);
  }
  return {
    ...store,
    port,
    indicatorTargets: indicatorTargetsOf(env.WASTEFLOW_TARGETS),
    adminToken: env.WASTEFLOW_ADMIN_TOKEN || undefined,
    hwCataloguePath: env.WASTEFLOW_HW_CATALOGUE || undefined,
    hwCatalogueEdition: env.WASTEFLOW_HW_CATALOGUE_EDITION || undefined,
    runProjections: projections === 'on',
  };
}

/** Read at start with the rest: a bad targets setting stops the start with its reason, like a bad port. */
function indicatorTargetsOf(setting: string | undefined): readonly IndicatorTarget[] {
  try {
    return loadIndicatorTargets(setting);
  } catch (error) {
    if (error instanceof TargetsConfigurationError) throw new ConfigurationError(error.message);
    throw error;
  }
}

/** The configured catalogue, or undefined; a bad file throws ConfigurationError (the app does not start). */
export function loadConfiguredCatalogue(config: ApiConfig): HwCatalogue | undefined {
  return config.hwCataloguePath
    ? loadHwCatalogueFile(config.hwCataloguePath, config.hwCatalogueEdition)
    : undefined;
}

/**
 * The bootstrap admin token: WASTEFLOW_ADMIN_TOKEN when set; otherwise the one kept in
 * `<data dir>/admin-token`, written (mode 0600) on the first start. Returns where it came from so the
 * start-up log can say it, never the token itself.
 */
export function ensureAdminToken(config: ApiConfig): { token: string; source: string } {
  if (config.adminToken) return { token: config.adminToken, source: 'WASTEFLOW_ADMIN_TOKEN' };
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'admin-token');
  if (!existsSync(file)) {
    writeFileSync(file, `${mintToken().token}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return { token: readFileSync(file, 'utf8').trim(), source: file };
}
