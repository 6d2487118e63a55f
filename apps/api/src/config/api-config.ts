import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigurationError,
  MIN_STATIC_TOKEN_LENGTH,
  readSettings,
  type Environment,
  type SettingsOf,
} from '@wasteflow/config';
import type { HwCatalogueEditions, IndicatorTarget } from '@wasteflow/domain';
import { webhookSettingsOf, type WebhookSettings } from '@wasteflow/integration';
import type { JsonLimits } from '../problems/json-limits';
import {
  loadHwCatalogueEditions,
  mintToken,
  storeSettingsOf,
  type StoreKind,
  type StoreSettings,
} from '@wasteflow/ledger';
import { dataDirectoryProblem } from '@wasteflow/event-store';
import {
  loadIndicatorTargets,
  loadReferenceData,
  ReferenceConfigurationError,
  TargetsConfigurationError,
  type ReferenceData,
} from '@wasteflow/projections';

export { ConfigurationError, MIN_STATIC_TOKEN_LENGTH, type StoreKind };

/** The api's settings as libs/config read them (every variable of README "Configuration" the api reads). */
export type ApiSettings = SettingsOf<'api'>;

/** Everything the api reads from its environment (README "Configuration"), parsed once at start. */
export interface ApiConfig extends StoreSettings {
  readonly port: number;
  readonly adminToken?: string;
  /** WASTEFLOW_HW_CATALOGUE: the editions table (`catalogue/editions.csv`) or one list CSV, loaded at start (form checks only without). */
  readonly hwCataloguePath?: string;
  /** WASTEFLOW_HW_CATALOGUE_EDITION: the catalogue's edition, else taken from the file name (`…2021…`). */
  readonly hwCatalogueEdition?: string;
  /** Run the projections in this process (the default) or leave them to apps/projector. */
  readonly runProjections: boolean;
  /** WASTEFLOW_WORKDAY_CALENDAR (else the bundled `calendar/cn-workdays.csv`): reference data of the projections. */
  readonly reference: ReferenceData;
  /** WASTEFLOW_TARGETS: the indicator targets in force (the plan's defaults when unset). */
  readonly indicatorTargets: readonly IndicatorTarget[];
  /** HOST: the address the api binds (default 127.0.0.1; a container sets 0.0.0.0; README "Security"). */
  readonly host: string;
  /** The HTTP edge: body limits, timeouts, connection caps, rate limits (block below). */
  readonly http: HttpSettings;
  /**
   * WASTEFLOW_PUBLIC_URL: the base of the public links printed on documents (the labels' QR codes, the
   * trace page's QR code), never taken from a request's Host or X-Forwarded-* headers, which any client
   * sets (DESIGN.md §10; issue 10 row 12: a `javascript:` URL was printed); default http://localhost:<port>.
   */
  readonly publicUrl: string;
  /** Webhook targets allowed over http / on private addresses, delivery on or off (libs/integration). */
  readonly webhooks: WebhookSettings;
  /** WASTEFLOW_CONSOLE_DIR: the built console to serve (else dist/web of this checkout). */
  readonly consoleDir?: string;
}

/**
 * The api's configuration: every setting read and checked at once by readSettings (libs/config: one
 * ConfigurationError listing every bad variable), then the files they name (targets, calendar) loaded.
 * `env` defaults to the process's environment.
 */
export function loadApiConfig(env?: Environment): ApiConfig {
  return apiConfigOf(readSettings('api', env));
}

export function apiConfigOf(settings: ApiSettings): ApiConfig {
  // the files the settings name: a bad one each is a line of the same ConfigurationError
  const [indicatorTargets, reference] = allOrProblems(
    () => indicatorTargetsOf(settings.targets),
    () => referenceDataOf(settings),
  );
  return {
    ...storeSettingsOf(settings),
    port: settings.port,
    indicatorTargets,
    reference,
    adminToken: settings.adminToken,
    hwCataloguePath: settings.hwCatalogue,
    hwCatalogueEdition: settings.hwCatalogueEdition,
    runProjections: settings.projections,
    host: settings.host,
    http: httpSettingsFrom(settings),
    publicUrl: settings.publicUrl ?? defaultPublicUrl(settings.port),
    // With the projections in apps/projector, so is the delivery (one kind of process delivers, by the lease).
    webhooks: webhookSettingsOf(settings, { mayDeliver: settings.projections }),
    consoleDir: settings.consoleDir,
  };
}

/** Runs every loader; their ConfigurationErrors become one, listing each problem on its line. */
function allOrProblems<A, B>(a: () => A, b: () => B): [A, B] {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const results = [attempt(a), attempt(b)] as [A, B];
  if (problems.length > 0) throw new ConfigurationError(problems);
  return results;
}

/** WASTEFLOW_PUBLIC_URL as readSettings takes it (http(s), no query, fragment or user; no trailing slash). */
export function publicUrlOf(setting: string | undefined, port: number): string {
  return readSettings('api', { WASTEFLOW_PUBLIC_URL: setting }).publicUrl ?? defaultPublicUrl(port);
}

function defaultPublicUrl(port: number): string {
  return `http://localhost:${port}`;
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

/** Read at start: a bad calendar file stops the start with one line naming the file and the line at fault. */
export function referenceDataOf(settings: { readonly workdayCalendar?: string }): ReferenceData {
  try {
    return loadReferenceData(settings);
  } catch (error) {
    if (error instanceof ReferenceConfigurationError) throw new ConfigurationError(error.message);
    throw error;
  }
}

/**
 * The configured editions of the hazardous waste catalogue (an editions table or a single list file), or
 * undefined; a bad file throws ConfigurationError (the app does not start).
 */
export function loadConfiguredCatalogue(config: ApiConfig): HwCatalogueEditions | undefined {
  return config.hwCataloguePath
    ? loadHwCatalogueEditions(config.hwCataloguePath, config.hwCatalogueEdition)
    : undefined;
}

/**
 * A data directory that cannot be written (a read-only mount, a full-disk remount) refuses the start in
 * one line: before, the api either died on a stack trace or started and failed every write.
 */
export async function assertDataDirectoryWritable(config: ApiConfig): Promise<void> {
  if (config.store !== 'sqlite' && config.adminToken) return;
  const problem = await dataDirectoryProblem(config.dataDir);
  if (problem) {
    throw new ConfigurationError(
      `${problem} (WASTEFLOW_DATA_DIR: ${config.store === 'sqlite' ? 'the event log, the read models and ' : ''}the admin token live there); make it writable or point WASTEFLOW_DATA_DIR elsewhere`,
    );
  }
}

/**
 * The bootstrap admin token: WASTEFLOW_ADMIN_TOKEN when set; otherwise the one kept in
 * `<data dir>/admin-token`, written (mode 0600) on the first start. Returns where it came from so the
 * start-up log can say it, never the token itself.
 */
export function ensureAdminToken(config: ApiConfig): { token: string; source: string } {
  if (config.adminToken) return { token: config.adminToken, source: 'WASTEFLOW_ADMIN_TOKEN' };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = join(config.dataDir, 'admin-token');
  if (!existsSync(file)) {
    writeFileSync(file, `${mintToken().token}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return { token: readFileSync(file, 'utf8').trim(), source: file };
}

// ---------------------------------------------------------------------------------------------------
// The HTTP edge (DESIGN.md §10, README "Security"): what one request may cost before it is refused.
// Every number here bounds a resource a client could otherwise hold: bytes and parsing work per body,
// time per request, connections per client, requests per token.

/** Limits of the bodies of one route: bytes on the wire, then the shape of the JSON. */
export interface BodyPolicy {
  readonly maxBytes: number;
  readonly json: JsonLimits;
}

/**
 * The api binds 127.0.0.1 unless told otherwise: `npm start` on a laptop is not reachable from the
 * network it sits on until someone says so; a container image says so (HOST=0.0.0.0).
 */
export const DEFAULT_HOST = '127.0.0.1';

export interface HttpSettings {
  /** The body policy of every route, and of the routes (`POST /v1/commands`) that take more. */
  readonly bodies: { readonly default: BodyPolicy; readonly byRoute: Readonly<Record<string, BodyPolicy>> };
  /** WASTEFLOW_MAX_URL_LENGTH: a longer request target is refused 414. */
  readonly maxUrlLength: number;
  /** WASTEFLOW_MAX_HEADER_BYTES: the request line and headers together; more is refused 431. */
  readonly maxHeaderBytes: number;
  /** WASTEFLOW_HEADERS_TIMEOUT_MS: the request line and headers must arrive within this (408). */
  readonly headersTimeoutMs: number;
  /** WASTEFLOW_REQUEST_TIMEOUT_MS: the whole request, body included, must arrive within this (408). */
  readonly requestTimeoutMs: number;
  /** WASTEFLOW_KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** WASTEFLOW_MAX_CONNECTIONS: open connections in all; more are refused 503 at once (0: no cap). */
  readonly maxConnections: number;
  /** WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT: open connections of one client address (0: no cap). */
  readonly maxConnectionsPerClient: number;
  /** Requests per minute: per token (WASTEFLOW_RATE_LIMIT_TOKEN), per client address without a valid token (WASTEFLOW_RATE_LIMIT_ANONYMOUS); 0: off. */
  readonly rateLimit: { readonly perTokenPerMinute: number; readonly anonymousPerMinute: number };
  /** WASTEFLOW_METRICS_TOKEN: a bearer token that opens GET /metrics and nothing else (at least 32 characters). */
  readonly metricsToken?: string;
}

/** The route that takes bulk bodies (DESIGN.md §10: bulk 8 MiB). */
export const BULK_ROUTE = 'POST /v1/commands';
/** The route that takes a 台账 file to import (a spreadsheet or CSV, not JSON). */
export const IMPORT_ROUTE = 'POST /v1/imports';

/** The HTTP edge's settings from an environment (the api's other settings checked too). */
export function httpSettingsOf(env?: Environment): HttpSettings {
  return httpSettingsFrom(readSettings('api', env));
}

/** Built from the settings; their bounds (and headers ≤ request timeout) were checked by readSettings. */
export function httpSettingsFrom(settings: ApiSettings): HttpSettings {
  const json = {
    maxDepth: settings.jsonMaxDepth,
    maxKeysPerObject: settings.jsonMaxKeys,
    maxItemsPerArray: settings.jsonMaxItems,
  };
  return {
    bodies: {
      default: { maxBytes: settings.bodyLimit, json: { ...json, maxValues: settings.jsonMaxValues } },
      byRoute: {
        [BULK_ROUTE]: {
          maxBytes: settings.bulkBodyLimit,
          json: { ...json, maxValues: settings.bulkJsonMaxValues },
        },
        [IMPORT_ROUTE]: {
          maxBytes: settings.importBodyLimit,
          json: { ...json, maxValues: settings.jsonMaxValues },
        },
      },
    },
    maxUrlLength: settings.maxUrlLength,
    maxHeaderBytes: settings.maxHeaderBytes,
    headersTimeoutMs: settings.headersTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
    maxConnections: settings.maxConnections,
    maxConnectionsPerClient: settings.maxConnectionsPerClient,
    rateLimit: {
      perTokenPerMinute: settings.rateLimitToken,
      anonymousPerMinute: settings.rateLimitAnonymous,
    },
    ...(settings.metricsToken ? { metricsToken: settings.metricsToken } : {}),
  };
}

/**
 * A bootstrap admin token (WASTEFLOW_ADMIN_TOKEN or the one kept in the data directory): long enough not
 * to be guessed, else the start is refused. Checked at createApp, where the token is known whichever its
 * source (WASTEFLOW_METRICS_TOKEN is checked with the other settings by readSettings).
 */
export function assertStaticToken(setting: string, token: string): void {
  if (token.length < MIN_STATIC_TOKEN_LENGTH) {
    throw new ConfigurationError(
      `${setting} must be at least ${MIN_STATIC_TOKEN_LENGTH} characters (it has ${token.length}); e.g. openssl rand -hex 32`,
    );
  }
}
