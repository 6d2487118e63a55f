import { AT, HW08_CODE, Keys, requireStore, seedWorld, send, type World } from './support/fixtures';
import { TEST_DATABASE_URL } from './support/postgres';
import { TcpForwarder } from './support/tcp-forwarder';
import { startTestApp, type TestApp } from './support/test-app';

const SUITE = 'a PostgreSQL that hangs or goes away: bounded answers, 503 with Retry-After, never 500';

function batch(): Record<string, unknown> {
  return { category: 'hazardous', wasteCode: HW08_CODE, massKg: 1, occurredAt: AT.generated };
}

/**
 * Issue 12 item 6: the api reaches PostgreSQL through a TCP forwarder that can black-hole the traffic (a
 * stopped server: connections open, no answer) or refuse it (a server down). Before: a hung database hung
 * writes and /health for the whole stall (no connection, statement or answer timeout); a database down
 * answered 500 internal-error, /health included.
 */
describe(SUITE, () => {
  const target = new URL(TEST_DATABASE_URL);
  const forwarder = new TcpForwarder({ host: target.hostname, port: Number(target.port || 5432) });
  let t: TestApp;
  let world: World;
  const keys = new Keys('db-faults');

  beforeAll(async () => {
    await requireStore('postgres', SUITE);
    const port = await forwarder.listen();
    const url = new URL(TEST_DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    t = await startTestApp('postgres', { suiteFile: __filename, env: { DATABASE_URL: url.toString() } });
    world = await seedWorld(t);
  }, 60_000);
  afterAll(async () => {
    forwarder.repoint({ host: target.hostname, port: Number(target.port || 5432) });
    await t?.close();
    await forwarder.close();
  });

  it('answers /health within its bound and a write within the query timeout while the database hangs; a retry applies once', async () => {
    const generator = world.tokens.generator as string;
    expect((await send(t, '/v1/batches', generator, batch(), keys.next())).status).toBe(201);

    forwarder.stall();
    let started = Date.now();
    const health = await t.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    expect(health.body.store).toMatchObject({ up: false });
    expect(Date.now() - started).toBeLessThan(15_000);

    const key = keys.next('hung');
    started = Date.now();
    const write = await send(t, '/v1/batches', generator, batch(), key);
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBe('5');
    expect(['outcome-unknown', 'storage-unavailable']).toContain(write.body.rule);
    expect(Date.now() - started).toBeLessThan(45_000);

    forwarder.repoint({ host: target.hostname, port: Number(target.port || 5432) });
    const retried = await send(t, '/v1/batches', generator, batch(), key);
    expect([200, 201]).toContain(retried.status);
    const again = await send(t, '/v1/batches', generator, batch(), key);
    expect(again.body.traceCode).toBe(retried.body.traceCode);
    expect((await t.http.get('/health')).status).toBe(200);
  }, 90_000);

  it('answers writes and /health 503 (not 500) while the database refuses connections, and recovers by itself', async () => {
    const generator = world.tokens.generator as string;
    forwarder.cut();
    const health = await t.http.get('/health');
    expect(health.status).toBe(503);
    const key = keys.next('down');
    const write = await send(t, '/v1/batches', generator, batch(), key);
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBe('5');
    expect(write.body).toMatchObject({ status: 503 });
    expect(String(write.body.detail)).toMatch(/same Idempotency-Key/);

    forwarder.repoint({ host: target.hostname, port: Number(target.port || 5432) });
    expect((await send(t, '/v1/batches', generator, batch(), key)).status).toBe(201);
    expect((await t.http.get('/health')).status).toBe(200);
  }, 60_000);
});
