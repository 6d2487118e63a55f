import { BULK_ROUTE, ConfigurationError, httpSettingsOf, loadApiConfig } from './api-config';

describe('HTTP edge settings (README "Security")', () => {
  it('defaults: bound to 127.0.0.1, 1 MiB bodies (8 MiB bulk), DESIGN §10 shape limits, a trickled body cut within 30 s', () => {
    const config = loadApiConfig({ WASTEFLOW_DATA_DIR: 'data' });
    expect(config.host).toBe('127.0.0.1');
    expect(loadApiConfig({ WASTEFLOW_DATA_DIR: 'data', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const edge = config.http;
    expect(edge.bodies.default).toEqual({
      maxBytes: 1024 * 1024,
      json: { maxDepth: 16, maxKeysPerObject: 1000, maxItemsPerArray: 1000, maxValues: 2500 },
    });
    expect(edge.bodies.byRoute[BULK_ROUTE].maxBytes).toBe(8 * 1024 * 1024);
    expect(edge.bodies.byRoute[BULK_ROUTE].json.maxValues).toBe(100_000);
    expect(edge.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(edge.headersTimeoutMs).toBeLessThanOrEqual(edge.requestTimeoutMs);
    expect(edge.maxConnectionsPerClient).toBeGreaterThan(0);
    expect(edge.rateLimit.perTokenPerMinute).toBeGreaterThan(0);
    expect(edge.rateLimit.anonymousPerMinute).toBeGreaterThan(0);
    expect(edge.metricsToken).toBeUndefined();
  });

  it('reads every setting, sizes in bytes, KiB or MiB', () => {
    const edge = httpSettingsOf({
      WASTEFLOW_BODY_LIMIT: '512KiB',
      WASTEFLOW_BULK_BODY_LIMIT: '16MiB',
      WASTEFLOW_JSON_MAX_DEPTH: '8',
      WASTEFLOW_JSON_MAX_KEYS: '100',
      WASTEFLOW_JSON_MAX_ITEMS: '200',
      WASTEFLOW_JSON_MAX_VALUES: '3000',
      WASTEFLOW_BULK_JSON_MAX_VALUES: '50000',
      WASTEFLOW_MAX_URL_LENGTH: '1024',
      WASTEFLOW_MAX_HEADER_BYTES: '8192',
      WASTEFLOW_HEADERS_TIMEOUT_MS: '5000',
      WASTEFLOW_REQUEST_TIMEOUT_MS: '60000',
      WASTEFLOW_KEEP_ALIVE_TIMEOUT_MS: '5000',
      WASTEFLOW_MAX_CONNECTIONS: '0',
      WASTEFLOW_MAX_CONNECTIONS_PER_CLIENT: '0',
      WASTEFLOW_RATE_LIMIT_TOKEN: '0',
      WASTEFLOW_RATE_LIMIT_ANONYMOUS: '60',
      WASTEFLOW_METRICS_TOKEN: 'm'.repeat(32),
    });
    expect(edge).toMatchObject({
      maxUrlLength: 1024,
      maxHeaderBytes: 8192,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 60000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 0,
      maxConnectionsPerClient: 0,
      rateLimit: { perTokenPerMinute: 0, anonymousPerMinute: 60 },
      metricsToken: 'm'.repeat(32),
    });
    expect(edge.bodies.default).toEqual({
      maxBytes: 512 * 1024,
      json: { maxDepth: 8, maxKeysPerObject: 100, maxItemsPerArray: 200, maxValues: 3000 },
    });
    expect(edge.bodies.byRoute[BULK_ROUTE]).toEqual({
      maxBytes: 16 * 1024 * 1024,
      json: { maxDepth: 8, maxKeysPerObject: 100, maxItemsPerArray: 200, maxValues: 50000 },
    });
  });

  it.each([
    ['WASTEFLOW_BODY_LIMIT', '1.5MiB'],
    ['WASTEFLOW_BODY_LIMIT', '0'],
    ['WASTEFLOW_JSON_MAX_DEPTH', '0'],
    ['WASTEFLOW_REQUEST_TIMEOUT_MS', 'soon'],
    ['WASTEFLOW_RATE_LIMIT_TOKEN', '-1'],
    ['WASTEFLOW_METRICS_TOKEN', 'short'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => httpSettingsOf({ [name]: value })).toThrow(ConfigurationError);
    expect(() => httpSettingsOf({ [name]: value })).toThrow(name);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() =>
      httpSettingsOf({ WASTEFLOW_HEADERS_TIMEOUT_MS: '30000', WASTEFLOW_REQUEST_TIMEOUT_MS: '20000' }),
    ).toThrow(
      /WASTEFLOW_HEADERS_TIMEOUT_MS \(30000\) must not exceed WASTEFLOW_REQUEST_TIMEOUT_MS \(20000\)/,
    );
  });
});
