import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SmallDisk, describeWithSmallDisk } from './support/full-disk';
import { HW08_CODE, AT, Keys, seedWorld, send, type World } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');

function batch(massKg = 1): Record<string, unknown> {
  return { category: 'hazardous', wasteCode: HW08_CODE, massKg, occurredAt: AT.generated };
}

/**
 * Issue 12 item 6 on the embedded store: a full disk and a read-only data directory. Before: writes
 * answered 500 internal-error, /health answered 200 "ok" while every write failed, and a read-only data
 * directory at start died on a stack trace.
 */
describeWithSmallDisk('storage faults on the embedded store (sqlite)', () => {
  const disk = new SmallDisk(24 * 1024);
  let t: TestApp;
  let world: World;
  const keys = new Keys('storage-faults');

  beforeAll(async () => {
    const why = disk.mount();
    if (why) throw new Error(why);
    mkdirSync(disk.path('data'));
    t = await startTestApp('sqlite', { suiteFile: __filename, dataDir: disk.path('data') });
    world = await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    disk.unmount();
  });

  it('answers writes on a full disk 503 with Retry-After (never 500), health 503, and applies a retry once', async () => {
    const generator = world.tokens.generator as string;
    expect((await send(t, '/v1/batches', generator, batch(), keys.next())).status).toBe(201);
    const healthy = await t.http.get('/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body.store).toMatchObject({ up: true, writable: true });

    disk.fill();
    const full = await t.http.get('/health');
    expect(full.status).toBe(503);
    expect(full.headers['retry-after']).toBe('5');
    expect(full.body).toMatchObject({ status: 'down', store: { up: true, writable: false } });
    expect(full.body.store.error).toMatch(/disk is full/);

    // SQLite reuses the WAL's space already on disk: the first few commits may still fit. Write until one
    // does not (bounded); none may be a 500.
    const statuses: number[] = [];
    let refused: { key: string; body: Record<string, unknown>; retryAfter?: string } | undefined;
    for (let i = 0; i < 300 && !refused; i += 1) {
      const key = keys.next('full');
      const response = await send(t, '/v1/batches', generator, batch(), key);
      statuses.push(response.status);
      if (response.status !== 201) refused = { key, body: response.body, retryAfter: response.headers['retry-after'] };
    }
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(refused).toBeDefined();
    expect(refused?.retryAfter).toBe('5');
    expect(refused?.body).toMatchObject({ status: 503 });
    expect(['storage-unavailable', 'outcome-unknown']).toContain(refused?.body.rule);
    expect(String(refused?.body.detail)).toMatch(/same Idempotency-Key/);

    disk.free();
    expect((await t.http.get('/health')).status).toBe(200);
    const head = await t.headPosition();
    const retried = await send(t, '/v1/batches', generator, batch(), refused?.key ?? '');
    expect([200, 201]).toContain(retried.status);
    const again = await send(t, '/v1/batches', generator, batch(), refused?.key ?? '');
    expect(again.body.traceCode).toBe(retried.body.traceCode);
    // The retried write applied once (one batch: one event), whatever the first attempt did.
    expect((await t.headPosition()) - head).toBeLessThanOrEqual(1n);
  });

  it('refuses to start on a read-only data directory in one line', () => {
    const readOnly = new SmallDisk(1024);
    const why = readOnly.mount({ readOnly: true });
    if (why) throw new Error(why);
    try {
      const result = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            ...process.env,
            SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
            WASTEFLOW_STORE: 'sqlite',
            WASTEFLOW_DATA_DIR: readOnly.path('data'),
            WASTEFLOW_ADMIN_TOKEN: 'test-admin-token-for-e2e-suites-only',
            PORT: '0',
          },
        },
      );
      expect(result.status).toBe(1);
      const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/refusing to start: the data directory .* is not writable \(EROFS\)/);
    } finally {
      readOnly.unmount();
    }
  });
});
