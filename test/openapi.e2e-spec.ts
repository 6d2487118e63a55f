import { problemShapeErrors } from './support/fixtures';
import { concretePath, pathValuesOf } from './support/route-paths';
import { seededApp } from './support/seeded-app';

/**
 * Issue 10 row 17: the OpenAPI document is complete and true. This walks every operation of /docs-json
 * and holds it against the app: each route exists (no 404 route-not-found / 405), says whether it needs a
 * token exactly as the app does (`security`), declares a success response, declares every status the app
 * answers to a request without a token, with a token and with an empty body, and marks no query parameter
 * required that the route works without. Every refusal met on the walk is a problem document, none a 5xx.
 */

interface Operation {
  readonly security?: readonly Record<string, unknown>[];
  readonly responses: Record<string, unknown>;
  readonly parameters?: readonly { name: string; in: string; required?: boolean }[];
}

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const SUITE = 'OpenAPI: every route of the document, held against the app';

describe(`${SUITE} (sqlite)`, () => {
  const app = seededApp('sqlite', SUITE, __filename, 'openapi');
  let doc: Doc;
  let values: Record<string, string>;
  const problems: string[] = [];

  beforeAll(async () => {
    values = { ...(await pathValuesOf(app.build)), tokenId: 'a'.repeat(20) };
    doc = (await app.t.http.get('/docs-json').expect(200)).body as Doc;
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
    );

  const concrete = (path: string) => concretePath(path, values);

  function call(method: string, path: string, token?: string) {
    let request = app.t.http[method as 'get' | 'post'](path);
    if (token) request = request.set('Authorization', `Bearer ${token}`);
    if (method !== 'get') request = request.set('Idempotency-Key', `openapi-${Math.random()}`).send({});
    return request;
  }

  it('the bearer scheme is opaque (no "JWT" format)', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
  });

  it('walks every operation: it exists, its security and responses are what the app does', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const start = await app.t.headPosition();
    for (const { path, method, op } of ops) {
      const name = `${method.toUpperCase()} ${path}`;
      const url = concrete(path);
      const declared = Object.keys(op.responses);
      if (!declared.some((s) => /^2\d\d$/.test(s))) problems.push(`${name}: no 2xx response`);
      const anonymous = await call(method, url);
      if (anonymous.status === 404 && anonymous.body?.rule === 'route-not-found')
        problems.push(`${name}: the app has no such route`);
      if (anonymous.status === 405) problems.push(`${name}: the app answers 405`);
      const needsToken = anonymous.status === 401;
      const saysToken = (op.security ?? []).some((s) => Object.keys(s).length > 0);
      if (needsToken !== saysToken)
        problems.push(
          `${name}: answers ${anonymous.status} without a token but security is ${JSON.stringify(op.security ?? null)}`,
        );
      // with a token of each kind: every status met is declared, refusals are problem documents
      const tokens = needsToken
        ? [app.world.tokens.auditor, app.t.adminToken, app.world.tokens.generator, app.world.tokens.regulator]
        : [undefined];
      for (const response of [
        anonymous,
        ...(await Promise.all(tokens.map((tok) => call(method, url, tok)))),
      ]) {
        const status = String(response.status);
        if (response.status >= 500)
          problems.push(`${name}: ${status} ${JSON.stringify(response.body).slice(0, 200)}`);
        else if (!declared.includes(status) && status !== '429')
          problems.push(
            `${name}: answers ${status} (${response.body?.rule ?? ''}), not declared (${declared.join(', ')})`,
          );
        if (response.status >= 400 && response.status < 500) {
          const shape = problemShapeErrors(response.headers['content-type'], response.body, response.status);
          if (shape.length > 0)
            problems.push(`${name}: ${status} is not a problem document: ${shape.join('; ')}`);
        }
      }
      // a query parameter marked required must be needed
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query' || !p.required || method !== 'get') continue;
        const without = await call(method, url, app.world.tokens.auditor);
        if (without.status < 400)
          problems.push(
            `${name}: query ${p.name} is marked required but the route answers ${without.status} without it`,
          );
      }
    }
    expect(problems).toEqual([]);
    // nothing of the walk was applied (empty bodies are refused)
    const appended = await app.t.store.readAll({ after: start });
    expect(appended.map((e) => `${e.stream} ${e.type}`)).toEqual([]);
  }, 120_000);
});
