import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HwCatalogueEditions, IndicatorTarget } from '@wasteflow/domain';
import { webhookSettingsOf, type WebhookSettings } from '@wasteflow/integration';
import type { JsonLimits } from '../problems/json-limits';
import {
  ConfigurationError,
  loadHwCatalogueEditions,
  mintToken,
  storeSettingsFromEnv,
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

export { ConfigurationError, type StoreKind };

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
    reference: referenceDataOf(env),
    adminToken: env.WASTEFLOW_ADMIN_TOKEN || undefined,
    hwCataloguePath: env.WASTEFLOW_HW_CATALOGUE || undefined,
    hwCatalogueEdition: env.WASTEFLOW_HW_CATALOGUE_EDITION || undefined,
    runProjections: projections === 'on',
    host: env.HOST || DEFAULT_HOST,
    http: httpSettingsOf(env),
    publicUrl: publicUrlOf(env.WASTEFLOW_PUBLIC_URL, port),
    // With the projections in apps/projector, so is the delivery (one kind of process delivers, by the lease).
    webhooks: webhookSettingsOf(env, {
      mayDeliver: projections === 'on',
      why: 'with WASTEFLOW_PROJECTIONS=off, apps/projector delivers the webhooks',
    }),
  };
}

/** An absolute http(s) URL without query, fragment or trailing slash; a bad one stops the start. */
export function publicUrlOf(setting: string | undefined, port: number): string {
  const value = setting?.trim();
  if (!value) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`WASTEFLOW_PUBLIC_URL must be an absolute URL, not ${value}`);
  }
  if (
    !['http:', 'https:'].includes(url.protocol) ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new ConfigurationError(
      `WASTEFLOW_PUBLIC_URL must be an http(s) URL without query, fragment or user, not ${value}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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
export function referenceDataOf(env: NodeJS.ProcessEnv): ReferenceData {
  try {
    return loadReferenceData(env);
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

/** The shortest bootstrap admin token or metrics token accepted (DESIGN.md §10). */
export const MIN_STATIC_TOKEN_LENGTH = 32;

const MIB = 1024 * 1024;
/** The route that takes bulk bodies (DESIGN.md §10: bulk 8 MiB). */
export const BULK_ROUTE = 'POST /v1/commands';
/** The route that takes a 台账 file to import (a spreadsheet or CSV, not JSON). */
export const IMPORT_ROUTE = 'POST /v1/imports';

export function httpSettingsOf(env: NodeJS.ProcessEnv): HttpSettings {
  const json = {
    maxDepth: count(env, 'WASTEFLOW_JSON_MAX_DEPTH', 16, 1),
    maxKeysPerObject: count(env, 'WASTEFLOW_JSON_MAX_KEYS', 1000, 1),
    maxItemsPerArray: count(env, 'WASTEFLOW_JSON_MAX_ITEMS', 1000, 1),
  };
  const headersTimeoutMs = count(env, 'WASTEFLOW_HEADERS_TIMEOUT_MS', 10_000, 1);
  const requestTimeoutMs = count(env, 'WASTEFLOW_REQUEST_TIMEOUT_MS', 20_000, 1);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigurationError(
      `WASTEFLOW_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed WASTEFLOW_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  const metricsToken = env.WASTEFLOW_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined) assertStaticToken('WASTEFLOW_METRICS_TOKEN', metricsToken);
  return {
    bodies: {
      default: {
        maxBytes: bytes(env, 'WASTEFLOW_BODY_LIMIT', MIB),
        json: { ...json, maxValues: count(env, 'WASTEFLOW_JSON_MAX_VALUES', 2_500, 1) },
      },
      byRoute: {
        [BULK_ROUTE]: {
          maxBytes: bytes(env, 'WASTEFLOW_BULK_BODY_LIMIT', 8 * MIB),
          json: { ...json, maxValues: count(env, 'WASTEFLOW_BULK_JSON_MAX_VALUES', 100_000, 1) },
        },
        [IMPORT_ROUTE]: {
          maxBytes: bytes(env, 'WASTEFLOW_IMPORT_BODY_LIMIT', 8 * MIB),
          json: { ...json, maxValues: count(env, 'WASTEFLOW_JSON_MAX_VALUES', 2_500, 1) },
        },
      },
    },
    maxUrlLength: count(env, 'WASTEFLOW_MAX_URL_LENGTH', 2048, 64),
    maxHeaderBytes: bytes(env, 'WASTEFLOW_MAX_HEADER_BYTES', 16 * 1024),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: count(env, 'WASTEFLOW_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1),
    maxConnections: count(env, 'WASTEFLOW_MAX_CONNECTIONS', 1024, 0),
    maxConnectionsPerClient: count(env, 'WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT', 128, 0),
    rateLimit: {
      perTokenPerMinute: count(env, 'WASTEFLOW_RATE_LIMIT_TOKEN', 6000, 0),
      anonymousPerMinute: count(env, 'WASTEFLOW_RATE_LIMIT_ANONYMOUS', 600, 0),
    },
    ...(metricsToken ? { metricsToken } : {}),
  };
}

/** A bootstrap admin token or a metrics token: long enough not to be guessed (refuses the start otherwise). */
export function assertStaticToken(setting: string, token: string): void {
  if (token.length < MIN_STATIC_TOKEN_LENGTH) {
    throw new ConfigurationError(
      `${setting} must be at least ${MIN_STATIC_TOKEN_LENGTH} characters (it has ${token.length}); e.g. openssl rand -hex 32`,
    );
  }
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const setting = env[name];
  if (setting === undefined || setting === '') return fallback;
  const value = Number(setting);
  if (!/^\d+$/.test(setting.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be a whole number of at least ${min}, not ${setting}`);
  }
  return value;
}

/** Bytes: a whole number, or with the unit KiB or MiB (`8MiB`). */
function bytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const setting = env[name];
  if (setting === undefined || setting === '') return fallback;
  const match = /^\s*(\d+)\s*(KiB|MiB)?\s*$/i.exec(setting);
  const value = match
    ? Number(match[1]) * ({ kib: 1024, mib: MIB }[match[2]?.toLowerCase() ?? ''] ?? 1)
    : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${name} must be a number of bytes (or KiB / MiB), not ${setting}`);
  }
  return value;
}
