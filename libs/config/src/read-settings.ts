import { ConfigurationError, SettingRefused } from './configuration-error';
import { SETTINGS, type App, type SettingKey, type SettingsOf } from './settings';

/** The environment as the process was given it (process.env, or a test's own object). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The text of one variable: trimmed; empty is the same as unset (README "Configuration"). */
export function rawSetting(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A rule between settings: the reason it is broken, or undefined. */
interface Check {
  readonly apps: readonly App[];
  /** The settings it compares: skipped when one of them is bad already (that one is reported). */
  readonly needs: readonly SettingKey[];
  readonly problem: (values: Readonly<Record<string, unknown>>) => string | undefined;
}

const CHECKS: readonly Check[] = [
  {
    apps: ['api', 'projector', 'cli'],
    needs: ['store'],
    problem: ({ store, databaseUrl }) =>
      store !== 'sqlite' && databaseUrl === undefined
        ? `WASTEFLOW_STORE=${String(store)} needs DATABASE_URL (the read models live there)`
        : undefined,
  },
  {
    apps: ['api', 'projector', 'cli'],
    needs: ['store'],
    problem: ({ store, kurrentDbUrl, eventStoreUrl }) =>
      store === 'kurrentdb' && kurrentDbUrl === undefined && eventStoreUrl === undefined
        ? 'WASTEFLOW_STORE=kurrentdb needs KURRENTDB_URL'
        : undefined,
  },
  {
    apps: ['api'],
    needs: ['headersTimeoutMs', 'requestTimeoutMs'],
    problem: ({ headersTimeoutMs, requestTimeoutMs }) =>
      (headersTimeoutMs as number) > (requestTimeoutMs as number)
        ? `WASTEFLOW_HEADERS_TIMEOUT_MS (${String(headersTimeoutMs)}) must not exceed WASTEFLOW_REQUEST_TIMEOUT_MS (${String(requestTimeoutMs)})`
        : undefined,
  },
  {
    // With the projections in apps/projector, so is the delivery (one kind of process delivers, by the lease).
    apps: ['api'],
    needs: ['projections', 'webhookDelivery'],
    problem: ({ projections, webhookDelivery }) =>
      projections === false && webhookDelivery === true
        ? 'WASTEFLOW_WEBHOOK_DELIVERY=on is refused here: with WASTEFLOW_PROJECTIONS=off, apps/projector delivers the webhooks'
        : undefined,
  },
];

/** The keys of the settings `app` reads, in the table's order. */
export function settingKeysOf(app: App): SettingKey[] {
  return (Object.keys(SETTINGS) as SettingKey[]).filter((key) =>
    (SETTINGS[key].apps as readonly App[]).includes(app),
  );
}

/**
 * The settings of `app` from `env`, typed and frozen: each parsed by its table entry (its default when
 * unset or empty), then the rules between them. Anything wrong throws one ConfigurationError listing every
 * bad setting, one line each, so a deployment fixes them all in one go. Settings of other processes are
 * neither read nor checked.
 */
export function readSettings<A extends App>(app: A, env: Environment = process.env): SettingsOf<A> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of settingKeysOf(app)) {
    const definition = SETTINGS[key];
    const raw = rawSetting(env, definition.name);
    if (raw === undefined) {
      values[key] = definition.default;
      continue;
    }
    try {
      values[key] = definition.parse(raw, definition.name);
    } catch (error) {
      if (!(error instanceof SettingRefused)) throw error;
      problems.push(error.message);
    }
  }
  for (const check of CHECKS) {
    if (!check.apps.includes(app) || check.needs.some((key) => !(key in values))) continue;
    const problem = check.problem(values);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return Object.freeze(values) as SettingsOf<A>;
}
