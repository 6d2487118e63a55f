import {
  Builders,
  describeEachStore,
  Keys,
  problemShapeErrors,
  requireStore,
  seedWorld,
  send,
  batchBody,
  type World,
} from './support/fixtures';
import { concretePath, pathValuesOf } from './support/route-paths';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 10 "Done means": every route of the OpenAPI document (read from /docs-json, so a route added later
 * is fuzzed without touching this file) driven with hostile input on both stores — bodies of every shape
 * (types, sizes, key counts, depth, text classes: NUL, controls, lone surrogates, bidi, 10,000 characters)
 * and hostile path parameters — with each token kind. Asserted: only 4xx problem documents (never a 5xx),
 * answers small, nothing appended, and the read models still advancing afterwards. (test/fuzz.e2e-spec.ts
 * fuzzes the fields of each write route in depth; this one is broad.)
 */

const SUITE = 'fuzz every route';
const TEXTS = [
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u001b[2J',
  '\u202Egnp.exe',
  'x'.repeat(10_001),
  "'; DROP TABLE x;--",
];
const BODIES: unknown[] = [
  null,
  [],
  'text',
  1e308,
  { __proto__: { admin: true } },
  Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i])),
  JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`),
  { reason: TEXTS[0], name: TEXTS[1], description: TEXTS[2], note: TEXTS[3], label: TEXTS[4] },
  { lines: Array.from({ length: 1_001 }, () => ({ traceCode: TEXTS[0] })) },
  Object.fromEntries(
    ['massKg', 'occurredAt', 'traceCode', 'uscc', 'kind', 'url', 'commands'].map((k) => [k, TEXTS[5]]),
  ),
  { commands: [{ type: 'generate-waste', idempotencyKey: TEXTS[0], body: { description: TEXTS[1] } }] },
];
const PARAMS = ['%00', '%F0%9F', 'x'.repeat(99), '..%2F..%2Fetc', '%E2%80%AE', '1e308'];
const MAX_ANSWER_BYTES = 64 * 1024;

describeEachStore(SUITE, `${SUITE}: hostile input, only 4xx problem documents (%s)`, (kind) => {
  let t: TestApp;
  let w: World;
  let paths: [string, string[]][];
  let values: Record<string, string>;
  const keys = new Keys(`fuzz-routes-${kind}`);

  beforeAll(async () => {
    await requireStore(kind, `${__filename} (${kind})`);
    t = await startTestApp(kind, { suiteFile: __filename });
    w = await seedWorld(t, new Keys(`fuzz-routes-seed-${kind}`));
    values = await pathValuesOf(new Builders(t, w, keys));
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    paths = Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item)]);
  }, 60_000);
  afterAll(async () => t?.close());

  it('every operation, every hostile body and path parameter, every token kind', async () => {
    const failures: string[] = [];
    const start = await t.headPosition();
    const tokens = [undefined, t.adminToken, w.tokens.auditor, w.tokens.generator, w.tokens.regulator];
    const judge = (
      name: string,
      response: { status: number; headers: Record<string, string>; body: unknown; text?: string },
    ) => {
      const size = Buffer.byteLength(response.text ?? JSON.stringify(response.body ?? ''));
      if (response.status >= 500)
        failures.push(`${name}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      if (size > MAX_ANSWER_BYTES && response.status >= 400) failures.push(`${name}: a ${size}-byte refusal`);
      if (response.status >= 400 && response.status < 500) {
        const shape = problemShapeErrors(response.headers['content-type'], response.body, response.status);
        if (shape.length > 0)
          failures.push(`${name}: ${response.status} not a problem document: ${shape.join('; ')}`);
      }
    };
    let n = 0;
    for (const [path, methods] of paths) {
      const real = concretePath(path, values);
      const hostile = PARAMS.filter(() => /\{\w+\}/.test(path)).map((v) =>
        concretePath(path.replace(/\{\w+\}/, v), values),
      );
      for (const method of methods.filter((m) => m === 'get' || m === 'post')) {
        for (const token of tokens) {
          for (const url of [real, ...hostile]) {
            if (method === 'get') {
              let r = t.http.get(
                `${url}?minPosition=${encodeURIComponent(TEXTS[0])}&region=%ED%A0%80&from=%00`,
              );
              if (token) r = r.set('Authorization', `Bearer ${token}`);
              judge(`GET ${url} (${n})`, await r);
              n += 1;
              continue;
            }
            for (const body of url === real ? BODIES : [{}]) {
              let r = t.http
                .post(url)
                .set('Idempotency-Key', keys.next('k'))
                .set('Content-Type', 'application/json');
              if (token) r = r.set('Authorization', `Bearer ${token}`);
              const response = await r.send(JSON.stringify(body));
              judge(`POST ${url} ${JSON.stringify(body)?.slice(0, 60)} (${n})`, response);
              // bulk answers 200 with a result per item: each must be refused
              const bulkRefused =
                url === '/v1/commands' &&
                response.status === 200 &&
                (response.body.results as { status: number }[]).every((item) => item.status >= 400);
              if (response.status < 400 && response.status >= 200 && !bulkRefused)
                failures.push(`POST ${url}: hostile body accepted ${response.status}`);
              n += 1;
            }
          }
        }
      }
    }
    expect(n).toBeGreaterThan(500);
    expect(failures.slice(0, 40)).toEqual([]);
    const appended = await t.store.readAll({ after: start });
    expect(appended.map((e) => `${e.stream} ${e.type}`)).toEqual([]);
    // the read models still advance: a write after the run is read back
    const probe = await send(t, '/v1/batches', w.tokens.generator, batchBody(1), keys.next('probe'));
    expect(probe.status).toBe(201);
    const read = await t.http
      .get(`/v1/batches/${probe.body.traceCode}?minPosition=${probe.body.position}`)
      .set('Authorization', `Bearer ${w.tokens.generator}`);
    expect(read.status).toBe(200);
    expect((await t.http.get('/health')).status).toBe(200);
  }, 300_000);
});
