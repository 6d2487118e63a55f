import { batchBody, Keys, seedWorld, send } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 10 row 11 over HTTP: the random part of a trace code is keyed with a secret only the ledger has
 * (drawn from the CSPRNG on its first start, or the operator's bootstrap secret). It was
 * SHA-256(USCC, Idempotency-Key): the same party sending the same key to two ledgers got the same code, so
 * anyone knowing both could compute a code and read its public page. A retry gets the same code.
 */
describe('trace codes are unpredictable; a retry answers the same code (sqlite)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => Promise.all(apps.map((t) => t.close())));

  async function ledger(name: string) {
    const t = await startTestApp('sqlite', {
      suiteFile: `${__filename}-${name}`,
      env: { WASTEFLOW_ADMIN_TOKEN: `bootstrap-secret-of-ledger-${name}-0123456789abcdef` },
    });
    apps.push(t);
    return { t, world: await seedWorld(t, new Keys('entropy-seed')) };
  }

  it('the same party, body and Idempotency-Key on two ledgers give two codes; a retry on one gives its code again', async () => {
    const a = await ledger('a');
    const b = await ledger('b');
    const key = 'readme-batch-0001';
    const first = await send(a.t, '/v1/batches', a.world.tokens.generator, batchBody(1), key);
    const other = await send(b.t, '/v1/batches', b.world.tokens.generator, batchBody(1), key);
    expect([first.status, other.status]).toEqual([201, 201]);
    expect(other.body.traceCode).not.toBe(first.body.traceCode);
    // same district, category and date: only the random part differs
    expect(other.body.traceCode.slice(0, 13)).toBe(first.body.traceCode.slice(0, 13));
    const retry = await send(a.t, '/v1/batches', a.world.tokens.generator, batchBody(1), key);
    expect(retry.status).toBe(201);
    expect(retry.body.traceCode).toBe(first.body.traceCode);
    // in bulk as well: an item's retry is answered from its record
    const bulk = (idempotencyKey: string) =>
      a.t.http
        .post('/v1/commands')
        .set('Authorization', `Bearer ${a.world.tokens.generator}`)
        .send({ commands: [{ type: 'generate-waste', idempotencyKey, body: batchBody(2) }] });
    const once = await bulk('bulk-entropy-1');
    const twice = await bulk('bulk-entropy-1');
    expect(once.body.results[0].status).toBe(201);
    expect(twice.body.results[0].body.traceCode).toBe(once.body.results[0].body.traceCode);
  });
});
