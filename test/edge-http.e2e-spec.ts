import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Response } from 'supertest';
import {
  batchBody,
  expectProblem,
  GARBAGE_TOKEN,
  Keys,
  seedWorld,
  send,
  type World,
} from './support/fixtures';
import { head, listen, rawRequest, type RawAnswer } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';
import { seededApp } from './support/seeded-app';

/**
 * DESIGN.md §10, issue 10 row 14: what the framework refuses (405, 413, 414, 431, 400) answers with a
 * problem document like everything else, and never repeats the URL it refuses; every answer carries the
 * security headers, authenticated reads `Cache-Control: no-store`, pages a Content-Security-Policy they
 * satisfy; the data directory is 0700 and its files 0600. (408 and the connection caps: edge-clients.)
 */

const PROBLEM = /^application\/problem\+json/;

function headersOf(answer: Response | RawAnswer): Record<string, string> {
  return answer.headers as Record<string, string>;
}

function expectSecurityHeaders(answer: Response | RawAnswer, what: string): void {
  const headers = headersOf(answer);
  const named = { what, ...headers };
  expect(named).toMatchObject({
    what,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
  });
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).toContain("object-src 'none'");
}

describe('edge: problem documents for the framework’s own refusals, security headers (sqlite)', () => {
  // the api's own HTML trace page (a built console answers browsers instead: test/console.e2e-spec.ts)
  const app = seededApp('sqlite', 'edge-http', __filename, 'edge-http', {
    env: { WASTEFLOW_CONSOLE_DIR: '/nonexistent/console' },
  });
  let port: number;
  let code: string;
  const k = new Keys('edge-http');

  beforeAll(async () => {
    code = await app.build.generate(5);
    port = await listen(app.t);
  });

  it('405 with Allow for a known path asked with another method; an unknown path stays 404', async () => {
    for (const [method, path, allow] of [
      ['get', '/v1/batches', 'POST'],
      ['delete', `/v1/batches/${code}`, 'GET, HEAD'],
      ['put', '/health', 'GET, HEAD'],
      ['patch', '/v1/commands', 'POST'],
    ] as const) {
      const response = await app.t.http[method](path).set(
        'Authorization',
        `Bearer ${app.world.tokens.generator}`,
      );
      const body = expectProblem(response, 405, { rule: 'method-not-allowed' });
      expect({ path, allow: response.headers.allow }).toEqual({ path, allow });
      expect(body.allow).toEqual(allow.split(', '));
    }
    expectProblem(await app.t.http.get('/v1/no-such-thing'), 404, { rule: 'route-not-found' });
  });

  it('414 for a path segment or request target longer than WASTEFLOW_MAX_URL_LENGTH, without repeating it', async () => {
    const segment = `${code}${'X'.repeat(2100)}`;
    const long = await app.t.http
      .get(`/v1/batches/${segment}`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`);
    const body = expectProblem(long, 414, { rule: 'uri-too-long' });
    expect(long.text).not.toContain('XXXXXXXXXX');
    expect(body.instance).toBeUndefined();
    expectSecurityHeaders(long, '414 from the router');
    const query = await app.t.http
      .get(`/v1/alerts?party=${'Q'.repeat(3000)}`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`);
    expectProblem(query, 414, { rule: 'uri-too-long' });
    expect(query.text).not.toContain('QQQQQQQQQQ');
  });

  it('400 for a malformed URL, without repeating it', async () => {
    const answer = await rawRequest(
      port,
      head('GET /v1/batches/%E0%A4%A-evil HTTP/1.1', { Connection: 'close' }),
      { timeoutMs: 10_000 },
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, rule: 'malformed-url' });
    expect(answer.body).not.toContain('evil');
  });

  it('431 for headers over 16 KiB and 400 for what is not HTTP: problem documents from the socket, with the security headers', async () => {
    const big = await rawRequest(port, head('GET /health HTTP/1.1', { 'X-Padding': 'p'.repeat(20_000) }), {
      timeoutMs: 10_000,
    });
    expect(big.status).toBe(431);
    expect(big.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.parse(big.body)).toMatchObject({
      status: 431,
      rule: 'headers-too-large',
      title: 'Request Header Fields Too Large',
    });
    expectSecurityHeaders(big, '431');
    const garbage = await rawRequest(port, 'HELLO THERE\r\n\r\n', { timeoutMs: 10_000 });
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toMatchObject({ status: 400, rule: 'malformed-request' });
    expectSecurityHeaders(garbage, '400 not HTTP');
  });

  it('415 for a body that is not JSON', async () => {
    const response = await app.t.http
      .post('/v1/batches')
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .set('Idempotency-Key', k.next())
      .set('Content-Type', 'text/plain')
      .send('massKg=1');
    expectProblem(response, 415, { rule: 'unsupported-media-type' });
  });

  it('security headers on every kind of answer; no-store on every authenticated read and every refusal', async () => {
    const generator = app.world.tokens.generator as string;
    const answers: [string, Response][] = [
      ['health', await app.t.http.get('/health')],
      ['a write (201)', await send(app.t, '/v1/batches', generator, batchBody(1), k.next())],
      [
        'an authenticated read',
        await app.t.http.get(`/v1/batches/${code}`).set('Authorization', `Bearer ${generator}`),
      ],
      [
        'the QR code',
        await app.t.http.get(`/v1/batches/${code}/qr.svg`).set('Authorization', `Bearer ${generator}`),
      ],
      ['401', await app.t.http.get(`/v1/batches/${code}`)],
      ['403', await app.t.http.get('/v1/indicators?region=3301').set('Authorization', `Bearer ${generator}`)],
      ['404', await app.t.http.get('/nowhere')],
      ['405', await app.t.http.delete('/health')],
      ['413', await send(app.t, '/v1/batches', generator, { d: 'x'.repeat(2 * 1024 * 1024) }, k.next())],
    ];
    for (const [what, answer] of answers) {
      expectSecurityHeaders(answer, what);
      expect({ what, cache: answer.headers['cache-control'] }).toEqual({ what, cache: 'no-store' });
    }
    expect(answers[1][1].status).toBe(201);
    expect(answers[2][1].status).toBe(200);
  });

  it('pages get a CSP they satisfy: the public trace page and Swagger UI load scripts from this origin only', async () => {
    const page = await app.t.http.get(`/v1/trace/${code}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expectSecurityHeaders(page, 'the public trace page');
    // a public page keeps its own caching (a label scanned twice need not ask again)
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    expect(page.text).not.toMatch(/<script|\son[a-z]+=/i);
    const docs = await app.t.http.get('/docs');
    expect(docs.status).toBe(200);
    expectSecurityHeaders(docs, '/docs');
    const scripts = [...docs.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/\ssrc="\.\/docs\//);
      expect(inline.trim()).toBe('');
    }
  });
});

describe('edge: the data directory is 0700, its files 0600 (sqlite)', () => {
  it('creates them so, SQLite’s -wal and -shm files included, and makes existing ones so on start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-perm-'));
    chmodSync(dataDir, 0o755);
    try {
      const env = { WASTEFLOW_ADMIN_TOKEN: '' };
      let t = await startTestApp('sqlite', { suiteFile: __filename, dataDir, env });
      const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      const issued = await send(t, '/v1/tokens', admin, { kind: 'auditor' }, 'perm-1');
      expect(issued.status).toBe(201);
      const modes = () =>
        Object.fromEntries([
          ['.', statSync(dataDir).mode & 0o777],
          ...readdirSync(dataDir).map((name) => [name, statSync(join(dataDir, name)).mode & 0o777]),
        ]);
      const files = readdirSync(dataDir);
      expect(files).toEqual(
        expect.arrayContaining(['admin-token', 'events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']),
      );
      expect(files.filter((name) => name.startsWith('read-models')).length).toBeGreaterThan(0);
      const privately = Object.fromEntries(
        Object.keys(modes()).map((name) => [name, name === '.' ? 0o700 : 0o600]),
      );
      expect(modes()).toEqual(privately);
      await t.close();
      // files someone loosened are tightened on the next start
      for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644);
      chmodSync(dataDir, 0o755);
      t = await startTestApp('sqlite', { suiteFile: __filename, dataDir, env });
      expect((await t.http.get('/health')).status).toBe(200);
      expect(modes()).toEqual(
        Object.fromEntries(Object.keys(modes()).map((name) => [name, name === '.' ? 0o700 : 0o600])),
      );
      await t.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('edge: tokens at the edge (sqlite)', () => {
  it('refuses to start with a bootstrap admin token or a metrics token shorter than 32 characters', async () => {
    await expect(
      startTestApp('sqlite', { suiteFile: __filename, env: { WASTEFLOW_ADMIN_TOKEN: 'x' } }),
    ).rejects.toThrow('WASTEFLOW_ADMIN_TOKEN must be at least 32 characters (it has 1)');
    await expect(
      startTestApp('sqlite', {
        suiteFile: __filename,
        env: { WASTEFLOW_METRICS_TOKEN: 'short-scrape-token' },
      }),
    ).rejects.toThrow('WASTEFLOW_METRICS_TOKEN must be at least 32 characters');
  });

  it('`npm start` with a short WASTEFLOW_ADMIN_TOKEN says why in one line and exits 1', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-short-token-'));
    try {
      const root = resolve(__dirname, '..');
      const run = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join(root, 'apps/api/src/main.ts')],
        {
          cwd: root,
          env: {
            ...process.env,
            WASTEFLOW_ADMIN_TOKEN: 'admin',
            WASTEFLOW_DATA_DIR: dataDir,
            PORT: '0',
            NO_COLOR: '1',
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toEqual([
        expect.stringMatching(
          /refusing to start: WASTEFLOW_ADMIN_TOKEN must be at least 32 characters \(it has 5\); e\.g\. openssl rand -hex 32$/,
        ),
      ]);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('rate limits (4 requests a minute per token, 3 per client address without one)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('sqlite', {
        suiteFile: __filename,
        env: { WASTEFLOW_RATE_LIMIT_TOKEN: '4', WASTEFLOW_RATE_LIMIT_ANONYMOUS: '3' },
      });
    });
    afterAll(async () => t?.close());

    it('a token over its limit gets 429 with Retry-After; another token from the same address does not', async () => {
      const auditor = (await send(t, '/v1/tokens', t.adminToken, { kind: 'auditor' }, 'rate-1')).body
        .token as string;
      const admin = () => t.http.get('/metrics').set('Authorization', `Bearer ${t.adminToken}`);
      for (let i = 0; i < 3; i++) expect((await admin()).status).toBe(200);
      const limited = await admin();
      const body = expectProblem(limited, 429, { rule: 'rate-limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(body).toMatchObject({ limit: 4, retryAfterSeconds: Number(limited.headers['retry-after']) });
      expect((await t.http.get('/v1/alerts').set('Authorization', `Bearer ${auditor}`)).status).toBe(200);
    });

    it('requests without a valid token are limited by client address, failed authentications included', async () => {
      expect((await t.http.get('/health')).status).toBe(200);
      expectProblem(await t.http.get('/v1/alerts').set('Authorization', `Bearer ${GARBAGE_TOKEN}`), 401);
      expectProblem(await t.http.get('/v1/alerts'), 401);
      const limited = await t.http.get('/v1/alerts').set('Authorization', `Bearer ${GARBAGE_TOKEN}`);
      expectProblem(limited, 429, { rule: 'rate-limited' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expectProblem(await t.http.get('/health'), 429, { rule: 'rate-limited' });
    });
  });

  describe('unknown tokens and /metrics', () => {
    const SCRAPE = 'scrape-token-for-the-metrics-route-only-000';
    let t: TestApp;
    let w: World;
    beforeAll(async () => {
      t = await startTestApp('sqlite', { suiteFile: __filename, env: { WASTEFLOW_METRICS_TOKEN: SCRAPE } });
      w = await seedWorld(t);
    });
    afterAll(async () => t?.close());

    it('a well-formed token that was never issued costs one store read, not one per request', async () => {
      const reads = jest.spyOn(t.store, 'readStream');
      try {
        for (let i = 0; i < 20; i++)
          expectProblem(await t.http.get('/v1/alerts').set('Authorization', `Bearer ${GARBAGE_TOKEN}`), 401);
        expect(reads).toHaveBeenCalledTimes(1);
        const other = `wf_${'c'.repeat(20)}_${'d'.repeat(43)}`;
        for (let i = 0; i < 5; i++)
          expectProblem(await t.http.get('/v1/alerts').set('Authorization', `Bearer ${other}`), 401);
        expect(reads).toHaveBeenCalledTimes(2);
      } finally {
        reads.mockRestore();
      }
    });

    it('GET /metrics needs the scrape token or an admin token; the scrape token opens nothing else; /docs is public', async () => {
      expectProblem(await t.http.get('/metrics'), 401);
      expectProblem(await t.http.get('/metrics').set('Authorization', `Bearer ${w.tokens.auditor}`), 403);
      const scraped = await t.http.get('/metrics').set('Authorization', `Bearer ${SCRAPE}`);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('wasteflow_http_request_duration_seconds');
      expect(scraped.headers['cache-control']).toBe('no-store');
      expect((await t.http.get('/metrics').set('Authorization', `Bearer ${t.adminToken}`)).status).toBe(200);
      expectProblem(await t.http.get('/v1/alerts').set('Authorization', `Bearer ${SCRAPE}`), 401);
      expect((await t.http.get('/docs')).status).toBe(200);
      expect((await t.http.get('/docs-json')).status).toBe(200);
    });
  });
});
