import { ConfigurationError } from './configuration-error';
import { readSettings, settingKeysOf } from './read-settings';
import { SETTINGS, type App, type SettingKey } from './settings';

describe('readSettings', () => {
  it('gives every setting of the process its default when the environment is empty', () => {
    const api = readSettings('api', {});
    for (const key of settingKeysOf('api'))
      expect(api[key as keyof typeof api]).toEqual(SETTINGS[key].default);
    expect(api).toMatchObject({
      store: 'sqlite',
      dataDir: './data',
      port: 3000,
      host: '127.0.0.1',
      projections: true,
      bodyLimit: 1024 * 1024,
      idempotencyRetentionDays: 30,
      webhookPollMs: 500,
    });
    expect(api.databaseUrl).toBeUndefined();
    expect(readSettings('projector', {})).toMatchObject({ projectorPort: 3001, projectorHost: '0.0.0.0' });
    expect(readSettings('cli', {})).toMatchObject({ apiUrl: 'http://127.0.0.1:3000', store: 'sqlite' });
  });

  it('gives each process only the settings it reads', () => {
    expect(Object.keys(readSettings('cli', {}))).not.toContain('port');
    expect(Object.keys(readSettings('cli', {}))).toContain('token');
    expect(Object.keys(readSettings('projector', {}))).toEqual(
      expect.arrayContaining(['store', 'webhookLeaseMs', 'projectorPort', 'workdayCalendar']),
    );
    expect(Object.keys(readSettings('projector', {}))).not.toContain('bodyLimit');
    expect(Object.keys(readSettings('api', {}))).not.toContain('projectorPort');
    // a bad value of another process's setting is not this one's business
    expect(() => readSettings('cli', { PORT: 'many', PROJECTOR_PORT: 'x' })).not.toThrow();
  });

  it('returns a frozen object', () => {
    const settings = readSettings('api', {});
    expect(Object.isFrozen(settings)).toBe(true);
    expect(() => {
      (settings as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(
      Object.isFrozen(
        readSettings('projector', { WASTEFLOW_WEBHOOK_ALLOWED_HOSTS: 'a,b' }).webhookAllowedHosts,
      ),
    ).toBe(true);
  });

  it('takes an empty or blank value as unset (the default), and trims the others', () => {
    const settings = readSettings('api', {
      PORT: '',
      WASTEFLOW_STORE: '  ',
      WASTEFLOW_PROJECTIONS: '',
      WASTEFLOW_BODY_LIMIT: ' 2MiB ',
      WASTEFLOW_DATA_DIR: ' /srv/data ',
    });
    expect(settings).toMatchObject({
      port: 3000,
      store: 'sqlite',
      projections: true,
      bodyLimit: 2 * 1024 * 1024,
    });
    expect(settings.dataDir).toBe('/srv/data');
  });

  it('reads the values it is given, in their types', () => {
    const settings = readSettings('api', {
      WASTEFLOW_STORE: 'eventstoredb',
      DATABASE_URL: 'postgres://db/w',
      KURRENTDB_URL: 'kurrentdb://k:2113',
      PORT: '0',
      WASTEFLOW_PROJECTIONS: 'OFF',
      WASTEFLOW_WEBHOOK_DELIVERY: 'off',
      WASTEFLOW_PUBLIC_URL: 'https://trace.example.cn/wf/',
      WASTEFLOW_MAX_HEADER_BYTES: '8KiB',
      WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS: '0.5',
      WASTEFLOW_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, receiver.local,,',
    });
    expect(settings).toMatchObject({
      store: 'kurrentdb',
      port: 0,
      projections: false,
      webhookDelivery: false,
      publicUrl: 'https://trace.example.cn/wf',
      maxHeaderBytes: 8192,
      idempotencyRetentionDays: 0.5,
      webhookAllowedHosts: ['127.0.0.1', 'receiver.local'],
    });
    expect(readSettings('projector', { PROJECTOR_PORT: 'Off' }).projectorPort).toBe('off');
  });

  it.each<[string, string, RegExp]>([
    ['PORT', '70000', /^PORT must be a TCP port number, not 70000$/],
    ['PORT', '0x10', /^PORT must be a TCP port number, not 0x10$/],
    ['WASTEFLOW_STORE', 'mysql', /^WASTEFLOW_STORE must be sqlite, postgres or kurrentdb, not mysql$/],
    ['WASTEFLOW_PROJECTIONS', 'maybe', /^WASTEFLOW_PROJECTIONS must be on or off, not maybe$/],
    [
      'WASTEFLOW_PG_SCHEMA_PREFIX',
      'Bad-Name',
      /^WASTEFLOW_PG_SCHEMA_PREFIX must be a lower-case SQL identifier$/,
    ],
    [
      'WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS',
      '0',
      /^WASTEFLOW_IDEMPOTENCY_RETENTION_DAYS must be a positive number of days, not "0"$/,
    ],
    [
      'WASTEFLOW_BODY_LIMIT',
      '1.5MiB',
      /^WASTEFLOW_BODY_LIMIT must be a number of bytes \(or KiB \/ MiB\), not 1.5MiB$/,
    ],
    [
      'WASTEFLOW_JSON_MAX_DEPTH',
      '0',
      /^WASTEFLOW_JSON_MAX_DEPTH must be a whole number of at least 1, not 0$/,
    ],
    [
      'WASTEFLOW_MAX_URL_LENGTH',
      '63',
      /^WASTEFLOW_MAX_URL_LENGTH must be a whole number of at least 64, not 63$/,
    ],
    [
      'WASTEFLOW_RATE_LIMIT_TOKEN',
      '-1',
      /^WASTEFLOW_RATE_LIMIT_TOKEN must be a whole number of at least 0, not -1$/,
    ],
    [
      'WASTEFLOW_METRICS_TOKEN',
      'short',
      /^WASTEFLOW_METRICS_TOKEN must be at least 32 characters \(it has 5\)/,
    ],
    ['WASTEFLOW_PUBLIC_URL', 'javascript:alert(1)', /^WASTEFLOW_PUBLIC_URL must be an http\(s\) URL/],
    ['WASTEFLOW_PUBLIC_URL', 'trace.example.cn', /^WASTEFLOW_PUBLIC_URL must be an absolute URL/],
    [
      'WASTEFLOW_WEBHOOK_POLL_MS',
      '5',
      /^WASTEFLOW_WEBHOOK_POLL_MS must be a whole number of milliseconds ≥ 10, not 5$/,
    ],
    [
      'WASTEFLOW_WEBHOOK_ATTEMPT_RETENTION_DAYS',
      '0',
      /^WASTEFLOW_WEBHOOK_ATTEMPT_RETENTION_DAYS must be a whole number of days ≥ 1/,
    ],
    ['WASTEFLOW_WEBHOOK_DELIVERY', 'yes', /^WASTEFLOW_WEBHOOK_DELIVERY must be on or off, not yes$/],
  ])('refuses %s=%s in one line naming it', (name, value, message) => {
    const read = () => readSettings('api', { [name]: value });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(message);
  });

  it('lists every bad setting at once, one line each', () => {
    let error: unknown;
    try {
      readSettings('api', { PORT: 'x', WASTEFLOW_BODY_LIMIT: 'big', WASTEFLOW_STORE: 'postgres', HOST: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems, message } = error as ConfigurationError;
    expect(problems).toEqual([
      'PORT must be a TCP port number, not x',
      'WASTEFLOW_BODY_LIMIT must be a number of bytes (or KiB / MiB), not big',
      'WASTEFLOW_STORE=postgres needs DATABASE_URL (the read models live there)',
    ]);
    expect(message.split('\n')).toEqual([
      '3 settings cannot work:',
      ...problems.map((problem) => `  - ${problem}`),
    ]);
  });

  it('checks the rules between settings of the process', () => {
    expect(() =>
      readSettings('projector', { WASTEFLOW_STORE: 'kurrentdb', DATABASE_URL: 'postgres://d' }),
    ).toThrow(/^WASTEFLOW_STORE=kurrentdb needs KURRENTDB_URL$/);
    expect(
      readSettings('cli', {
        WASTEFLOW_STORE: 'kurrentdb',
        DATABASE_URL: 'postgres://d',
        EVENTSTORE_URL: 'esdb://e',
      }).eventStoreUrl,
    ).toBe('esdb://e');
    expect(() =>
      readSettings('api', { WASTEFLOW_HEADERS_TIMEOUT_MS: '30000', WASTEFLOW_REQUEST_TIMEOUT_MS: '20000' }),
    ).toThrow(
      /WASTEFLOW_HEADERS_TIMEOUT_MS \(30000\) must not exceed WASTEFLOW_REQUEST_TIMEOUT_MS \(20000\)/,
    );
    expect(() =>
      readSettings('api', { WASTEFLOW_PROJECTIONS: 'off', WASTEFLOW_WEBHOOK_DELIVERY: 'on' }),
    ).toThrow(
      /WASTEFLOW_WEBHOOK_DELIVERY=on is refused here: with WASTEFLOW_PROJECTIONS=off, apps\/projector delivers/,
    );
    // the projector delivers: no such rule there
    expect(readSettings('projector', { WASTEFLOW_WEBHOOK_DELIVERY: 'on' }).webhookDelivery).toBe(true);
    // a rule is not judged on a setting that is already refused (its own line says why)
    expect(() => readSettings('api', { WASTEFLOW_STORE: 'nosql' })).toThrow(/^WASTEFLOW_STORE must be/);
  });
});

describe('the settings table', () => {
  const keys = Object.keys(SETTINGS) as SettingKey[];

  it('names each variable once, with a type, a description and at least one process', () => {
    const names = keys.map((key) => SETTINGS[key].name);
    expect(new Set(names).size).toBe(names.length);
    for (const key of keys) {
      const s = SETTINGS[key];
      expect(s.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(s.type).not.toBe('');
      expect(s.description).not.toBe('');
      expect(s.apps.length).toBeGreaterThan(0);
      expect((s.apps as readonly App[]).every((app) => ['api', 'projector', 'cli'].includes(app))).toBe(true);
    }
  });

  it('has defaults its own parser accepts (a default is a value the setting may take)', () => {
    for (const key of keys) {
      const { default: value, parse, name } = SETTINGS[key];
      if (value === undefined || typeof value === 'boolean') continue;
      expect((parse as (raw: string, name: string) => unknown)(String(value), name)).toEqual(value);
    }
  });
});
