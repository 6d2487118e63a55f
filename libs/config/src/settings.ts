// Longer than our ~400 lines on purpose: the one table of every setting (SETTINGS), which the README's
// configuration table is checked against; two files would make two places to look for a variable.
import {
  bytes,
  httpBaseUrl,
  list,
  milliseconds,
  oneOf,
  onOff,
  port,
  portOrOff,
  positiveDays,
  sqlIdentifier,
  staticToken,
  text,
  wholeDays,
  wholeNumber,
  type Parse,
} from './parsers';

/** The processes that read settings: apps/api, apps/projector, apps/cli. */
export type App = 'api' | 'projector' | 'cli';

/**
 * One environment variable: its name, what it holds, its default, which processes read it and what it
 * means. The README's "Configuration" table is printed from these (settings-readme.unit.spec.ts).
 */
export interface Setting<V, A extends readonly App[] = readonly App[]> {
  /** The environment variable. */
  readonly name: string;
  /** What it holds, in words (the README's "type" column). */
  readonly type: string;
  /** The value when unset or empty; `undefined`: none (the reader decides, e.g. off). */
  readonly default: V;
  /** The default as the README prints it when it is not the value itself (`1 MiB`, `the plan's`). */
  readonly defaultText?: string;
  /** The processes that read it: only those get it from readSettings, and only they refuse a bad value. */
  readonly apps: A;
  readonly description: string;
  /** The value from its trimmed, non-empty text; throws SettingRefused naming the variable. */
  readonly parse: Parse<Exclude<V, undefined>>;
}

interface Definition<T, A extends readonly App[]> {
  readonly name: string;
  readonly type: string;
  readonly defaultText?: string;
  readonly apps: A;
  readonly description: string;
  readonly parse: Parse<T>;
}

/** A setting with a default: typed by its parser; `apps` kept as a tuple (readSettings('cli') has no `port`). */
function setting<T, const A extends readonly App[]>(
  definition: Definition<T, A> & { readonly default: NoInfer<T> },
): Setting<T, A> {
  return definition as Setting<T, A>;
}

/** A setting without a default: undefined when unset (the reader decides what that means). */
function optional<T, const A extends readonly App[]>(
  definition: Definition<T, A>,
): Setting<T | undefined, A> {
  return { ...definition, default: undefined } as Setting<T | undefined, A>;
}

const STORE = ['api', 'projector', 'cli'] as const;
const READERS = ['api', 'projector'] as const;
const API = ['api'] as const;
const MIB = 1024 * 1024;

/**
 * Every setting of wasteflow. Empty means unset: `FOO=` takes FOO's default, like no FOO at all (so a
 * compose file's `FOO: ${FOO:-}` and an unset variable mean the same). Values are trimmed.
 */
export const SETTINGS = {
  // --- where the log and the read models live: the same for the api, the projector and the CLI
  store: setting({
    name: 'WASTEFLOW_STORE',
    type: 'sqlite · postgres · kurrentdb',
    default: 'sqlite',
    apps: STORE,
    description:
      '`sqlite` (embedded, in `WASTEFLOW_DATA_DIR`) · `postgres` (event log and read models in `DATABASE_URL`) · `kurrentdb` (log in `KURRENTDB_URL`, read models in `DATABASE_URL`; `eventstoredb`, the name before, still accepted)',
    parse: oneOf(['sqlite', 'postgres', 'kurrentdb'], { eventstoredb: 'kurrentdb' }),
  }),
  dataDir: setting({
    name: 'WASTEFLOW_DATA_DIR',
    type: 'path',
    default: './data',
    apps: STORE,
    description:
      'the embedded store: `events.sqlite`, `read-models.sqlite`; and `admin-token` with every store',
    parse: text,
  }),
  databaseUrl: optional({
    name: 'DATABASE_URL',
    type: 'URL',
    apps: STORE,
    description:
      'PostgreSQL, e.g. `postgres://wasteflow:…@db:5432/wasteflow`; needed by `WASTEFLOW_STORE=postgres` and `kurrentdb`',
    parse: text,
  }),
  kurrentDbUrl: optional({
    name: 'KURRENTDB_URL',
    type: 'URL',
    apps: STORE,
    description:
      'KurrentDB 25.1 or later, e.g. `kurrentdb://kurrentdb1:2113,kurrentdb2:2113,kurrentdb3:2113?tls=false`; needed by `WASTEFLOW_STORE=kurrentdb`',
    parse: text,
  }),
  eventStoreUrl: optional({
    name: 'EVENTSTORE_URL',
    type: 'URL',
    apps: STORE,
    description: 'the name of `KURRENTDB_URL` before the move to KurrentDB, still read when that is unset',
    parse: text,
  }),
  pgSchemaPrefix: setting({
    name: 'WASTEFLOW_PG_SCHEMA_PREFIX',
    type: 'SQL identifier',
    default: 'wasteflow',
    apps: STORE,
    description: 'PostgreSQL schemas `<prefix>_events` and `<prefix>_read`',
    parse: sqlIdentifier,
  }),
  idempotencyRetentionDays: setting({
    name: 'WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS',
    type: 'days > 0',
    default: 30,
    apps: STORE,
    description:
      "how long a write's first answer is kept for retries under its `Idempotency-Key` (purged after; the event ids still refuse a duplicate)",
    parse: positiveDays,
  }),
  workdayCalendar: optional({
    name: 'WASTEFLOW_WORKDAY_CALENDAR',
    type: 'path',
    defaultText: '[calendar/cn-workdays.csv](calendar/cn-workdays.csv)',
    apps: STORE,
    description:
      "the official working-day calendar (holidays, adjusted working weekends) manifest deadlines are counted in; a bad file stops the start with its line. After replacing it (a new year's notice) run `rebuild`: deadlines derived earlier were counted in the old one",
    parse: text,
  }),

  // --- the api
  port: setting({
    name: 'PORT',
    type: 'TCP port',
    default: 3000,
    apps: API,
    description: 'HTTP port of the api (0: a free one)',
    parse: port,
  }),
  host: setting({
    name: 'HOST',
    type: 'address',
    default: '127.0.0.1',
    apps: API,
    description:
      'the address the api binds: reachable from this machine only until told otherwise; a container sets `0.0.0.0` (see [Security](#security))',
    parse: text,
  }),
  publicUrl: optional({
    name: 'WASTEFLOW_PUBLIC_URL',
    type: 'http(s) URL',
    defaultText: '`http://localhost:<PORT>`',
    apps: API,
    description:
      "base URL of the public trace page in every QR code (labels and `GET …/qr.svg`), taken from this setting only, never from a request's `Host` or `X-Forwarded-*`; a value that is not a plain http(s) URL stops the start",
    parse: httpBaseUrl,
  }),
  adminToken: optional({
    name: 'WASTEFLOW_ADMIN_TOKEN',
    type: 'token, ≥ 32 characters',
    apps: API,
    description:
      'accepted as an admin token; otherwise the first start writes one to `<data dir>/admin-token` (mode 0600) and logs where. Either is refused under 32 characters',
    parse: text,
  }),
  metricsToken: optional({
    name: 'WASTEFLOW_METRICS_TOKEN',
    type: 'token, ≥ 32 characters',
    apps: API,
    description:
      'a bearer token that opens `GET /metrics` and nothing else (without it `/metrics` takes an admin token)',
    parse: staticToken,
  }),
  projections: setting({
    name: 'WASTEFLOW_PROJECTIONS',
    type: 'on · off',
    default: true,
    defaultText: '`on`',
    apps: API,
    description: '`off` when `apps/projector` runs the projections elsewhere',
    parse: onOff,
  }),
  targets: optional({
    name: 'WASTEFLOW_TARGETS',
    type: 'JSON or path',
    defaultText: "the plan's",
    apps: API,
    description: 'JSON (or a path to a JSON file) replacing the indicator targets',
    parse: text,
  }),
  hwCatalogue: optional({
    name: 'WASTEFLOW_HW_CATALOGUE',
    type: 'path',
    apps: API,
    description:
      "the editions table [catalogue/editions.csv](catalogue/editions.csv) (every edition loaded, a code judged by the one in force at the fact's `occurredAt`, ADR 19), or one list CSV (format of [catalogue/hw-list-2021.csv](catalogue/hw-list-2021.csv)) in force at every date; without it a code is checked for its form and HW category only",
    parse: text,
  }),
  hwCatalogueEdition: optional({
    name: 'WASTEFLOW_HW_CATALOGUE_EDITION',
    type: 'text',
    defaultText: 'from the file name',
    apps: API,
    description: "names a single list's edition (`WASTEFLOW_HW_CATALOGUE` naming one list file)",
    parse: text,
  }),
  consoleDir: optional({
    name: 'WASTEFLOW_CONSOLE_DIR',
    type: 'path',
    defaultText: '`dist/web` of the checkout',
    apps: API,
    description:
      'the built console (`npm run build:web`) the api serves; without a built console the pages answer 503 saying how to build it',
    parse: text,
  }),

  // --- the HTTP edge of the api (README "Security": what a client meets past each limit)
  bodyLimit: setting({
    name: 'WASTEFLOW_BODY_LIMIT',
    type: 'bytes (KiB, MiB)',
    default: MIB,
    defaultText: '1 MiB',
    apps: API,
    description: 'the largest request body (413 `body-too-large`)',
    parse: bytes,
  }),
  bulkBodyLimit: setting({
    name: 'WASTEFLOW_BULK_BODY_LIMIT',
    type: 'bytes (KiB, MiB)',
    default: 8 * MIB,
    defaultText: '8 MiB',
    apps: API,
    description: 'the same, for `POST /v1/commands`',
    parse: bytes,
  }),
  importBodyLimit: setting({
    name: 'WASTEFLOW_IMPORT_BODY_LIMIT',
    type: 'bytes (KiB, MiB)',
    default: 8 * MIB,
    defaultText: '8 MiB',
    apps: API,
    description: 'the same, for the 台账 file of `POST /v1/imports`',
    parse: bytes,
  }),
  jsonMaxDepth: setting({
    name: 'WASTEFLOW_JSON_MAX_DEPTH',
    type: 'whole number ≥ 1',
    default: 16,
    apps: API,
    description: 'nesting of a JSON body (400 `body-too-deep`)',
    parse: wholeNumber(1),
  }),
  jsonMaxKeys: setting({
    name: 'WASTEFLOW_JSON_MAX_KEYS',
    type: 'whole number ≥ 1',
    default: 1000,
    apps: API,
    description: 'keys of one JSON object (400 `too-many-keys`)',
    parse: wholeNumber(1),
  }),
  jsonMaxItems: setting({
    name: 'WASTEFLOW_JSON_MAX_ITEMS',
    type: 'whole number ≥ 1',
    default: 1000,
    apps: API,
    description: 'items of one JSON array (400 `too-many-items`)',
    parse: wholeNumber(1),
  }),
  jsonMaxValues: setting({
    name: 'WASTEFLOW_JSON_MAX_VALUES',
    type: 'whole number ≥ 1',
    default: 2500,
    apps: API,
    description: 'values in one JSON body (400 `too-many-values`)',
    parse: wholeNumber(1),
  }),
  bulkJsonMaxValues: setting({
    name: 'WASTEFLOW_BULK_JSON_MAX_VALUES',
    type: 'whole number ≥ 1',
    default: 100_000,
    apps: API,
    description: 'the same, for `POST /v1/commands`',
    parse: wholeNumber(1),
  }),
  maxUrlLength: setting({
    name: 'WASTEFLOW_MAX_URL_LENGTH',
    type: 'whole number ≥ 64',
    default: 2048,
    apps: API,
    description: 'characters of the request target, and of one path segment (414 `uri-too-long`)',
    parse: wholeNumber(64),
  }),
  maxHeaderBytes: setting({
    name: 'WASTEFLOW_MAX_HEADER_BYTES',
    type: 'bytes (KiB, MiB)',
    default: 16 * 1024,
    defaultText: '16 KiB',
    apps: API,
    description: 'the request line and headers together (431 `headers-too-large`)',
    parse: bytes,
  }),
  headersTimeoutMs: setting({
    name: 'WASTEFLOW_HEADERS_TIMEOUT_MS',
    type: 'milliseconds ≥ 1',
    default: 10_000,
    apps: API,
    description:
      'the request line and headers must arrive within this (408); not more than the request timeout',
    parse: wholeNumber(1),
  }),
  requestTimeoutMs: setting({
    name: 'WASTEFLOW_REQUEST_TIMEOUT_MS',
    type: 'milliseconds ≥ 1',
    default: 20_000,
    apps: API,
    description: 'the whole request, body included, must arrive within this (408)',
    parse: wholeNumber(1),
  }),
  keepAliveTimeoutMs: setting({
    name: 'WASTEFLOW_KEEP_ALIVE_TIMEOUT_MS',
    type: 'milliseconds ≥ 1',
    default: 72_000,
    apps: API,
    description: 'an idle kept-alive connection is closed after this',
    parse: wholeNumber(1),
  }),
  maxConnections: setting({
    name: 'WASTEFLOW_MAX_CONNECTIONS',
    type: 'whole number (0: no cap)',
    default: 1024,
    apps: API,
    description: 'open connections in all; more are refused 503 at once',
    parse: wholeNumber(0),
  }),
  maxConnectionsPerClient: setting({
    name: 'WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT',
    type: 'whole number (0: no cap)',
    default: 128,
    apps: API,
    description: 'open connections of one client address (behind a reverse proxy: 0)',
    parse: wholeNumber(0),
  }),
  rateLimitToken: setting({
    name: 'WASTEFLOW_RATE_LIMIT_TOKEN',
    type: 'per minute (0: off)',
    default: 6000,
    apps: API,
    description: 'requests a minute per token (429 `rate-limited`)',
    parse: wholeNumber(0),
  }),
  rateLimitAnonymous: setting({
    name: 'WASTEFLOW_RATE_LIMIT_ANONYMOUS',
    type: 'per minute (0: off)',
    default: 600,
    apps: API,
    description: 'requests a minute per client address without a valid token (429 `rate-limited`)',
    parse: wholeNumber(0),
  }),

  // --- webhooks: delivered by the api or the projector (README "Integration")
  webhookDelivery: optional({
    name: 'WASTEFLOW_WEBHOOK_DELIVERY',
    type: 'on · off',
    defaultText: '`on` (an api with `WASTEFLOW_PROJECTIONS=off`: `off`)',
    apps: READERS,
    description:
      'whether this process competes for the delivery lease and delivers; an api whose projections a projector runs refuses `on`',
    parse: onOff,
  }),
  webhookAllowedHosts: optional({
    name: 'WASTEFLOW_WEBHOOK_ALLOWED_HOSTS',
    type: 'comma-separated hosts',
    apps: READERS,
    description:
      'hosts that may be targeted over plain http and may be loopback or private (tests, on-premises receivers); every other target must be https to public addresses',
    parse: list,
  }),
  webhookPollMs: setting({
    name: 'WASTEFLOW_WEBHOOK_POLL_MS',
    type: 'milliseconds ≥ 10',
    default: 500,
    apps: READERS,
    description: 'how often the deliverer looks for work when nothing woke it',
    parse: milliseconds,
  }),
  webhookLeaseMs: setting({
    name: 'WASTEFLOW_WEBHOOK_LEASE_MS',
    type: 'milliseconds ≥ 10',
    default: 15_000,
    apps: READERS,
    description: "the single deliverer's lease, renewed every poll",
    parse: milliseconds,
  }),
  webhookAttemptRetentionDays: setting({
    name: 'WASTEFLOW_WEBHOOK_ATTEMPT_RETENTION_DAYS',
    type: 'whole days ≥ 1',
    default: 90,
    apps: READERS,
    description: 'delivery attempts older than this are deleted',
    parse: wholeDays,
  }),

  // --- apps/projector
  projectorPort: setting({
    name: 'PROJECTOR_PORT',
    type: 'TCP port · off',
    default: 3001,
    apps: ['projector'],
    description: "the projector's `/health` and `/metrics` (0: a free one, logged; `off`: none)",
    parse: portOrOff,
  }),
  projectorHost: setting({
    name: 'PROJECTOR_HOST',
    type: 'address',
    default: '0.0.0.0',
    apps: ['projector'],
    description: 'the address the projector serves `/health` and `/metrics` on',
    parse: text,
  }),

  // --- apps/cli (the commands that talk to a running api)
  token: optional({
    name: 'WASTEFLOW_TOKEN',
    type: 'token',
    apps: ['cli'],
    description: '`import`: the bearer token it sends (else `--token`)',
    parse: text,
  }),
  apiUrl: setting({
    name: 'WASTEFLOW_API_URL',
    type: 'http(s) URL',
    default: 'http://127.0.0.1:3000',
    apps: ['cli'],
    description: '`import`: the api it sends the file to (else `--api`)',
    parse: httpBaseUrl,
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The value of one setting once read: its parser's type, or its default's (undefined when it has none). */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];

/** What one process reads: exactly the settings whose `apps` name it, typed, frozen. */
export type SettingsOf<A extends App> = {
  readonly [K in SettingKey as A extends (typeof SETTINGS)[K]['apps'][number] ? K : never]: SettingValue<K>;
};
