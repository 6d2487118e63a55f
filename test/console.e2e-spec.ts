import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeTraceCode } from '@wasteflow/domain';
import { expectProblem } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The api serving the console (apps/api/src/console): hashed assets cached for a year, index.html for
 * every client route with no-store and a strict CSP, and nothing of the API swallowed by the fallback.
 * Runs on a small stand-in build, so it needs no `npm run build:web`.
 */
describe('console served by the api', () => {
  let t: TestApp;
  let dir: string;
  const INDEX =
    '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="app"></div></body></html>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wasteflow-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'export const x = 1;\n');
    t = await startTestApp('sqlite', { suiteFile: __filename, env: { WASTEFLOW_CONSOLE_DIR: dir } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/sign-in', '/regulator/dashboard?region=3301', '/party/batches/330106W2603027K2M9QXAQ'])(
    'answers the client route %s with index.html, no-store, a strict CSP',
    async (path) => {
      const response = await t.http.get(path).expect(200);
      expect(response.text).toBe(INDEX);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    },
  );

  it('serves hashed assets with a year of immutable caching', async () => {
    const response = await t.http.get('/assets/index-AbC123.js').expect(200);
    expect(response.text).toContain('export const x');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(response.headers['cache-control']).toMatch(/immutable/);
  });

  it.each([
    '/v1/nothing-here',
    '/v1',
    '/health/nothing',
    '/metrics/x',
    '/docs/nothing/at/all',
    '/assets/missing.js',
  ])('keeps %s a 404 problem document, not the console page', async (path) => {
    const response = await t.http.get(path);
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('<div id="app">');
  });

  it('leaves the API, health and docs as they were', async () => {
    await t.http.get('/health').expect(200);
    expectProblem(await t.http.get('/v1/whoami'), 401, { rule: 'unauthenticated' });
    await t.http.get('/docs-json').expect(200);
  });

  it('answers a browser opening a trace QR link with the console page, and JSON clients as before', async () => {
    const code = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '260302',
      randomPart: '7K2M9QXA',
    });
    // JSON clients keep the contract: an unknown batch is the 404 problem, whatever page a browser gets
    expectProblem(await t.http.get(`/v1/trace/${code}`).set('Accept', 'application/json'), 404);
    const page = await t.http.get(`/v1/trace/${code}`).set('Accept', 'text/html,application/xhtml+xml');
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('leaves the edge its answers for API paths: 405 with Allow, 414 for an over-long segment', async () => {
    const wrongMethod = await t.http.get('/v1/batches');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    const code = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '260302',
      randomPart: '7K2M9QXA',
    });
    const long = await t.http.get(`/v1/batches/${code}${'X'.repeat(2100)}`);
    expect(long.status).toBe(414);
    expect(long.text).not.toContain('<div id="app">');
  });
});

describe('console not built', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', {
      suiteFile: __filename,
      env: { WASTEFLOW_CONSOLE_DIR: '/nonexistent/console' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a client route with a 503 problem saying how to build it, and serves the API as usual', async () => {
    const body = expectProblem(await t.http.get('/sign-in'), 503, { rule: 'console-not-built' });
    expect(String(body.detail)).toContain('npm run build:web');
    await t.http.get('/health').expect(200);
    expectProblem(await t.http.get('/assets/index-AbC123.js'), 404);
  });
});
