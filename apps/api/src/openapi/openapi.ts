import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * OpenAPI 3 generated from the controllers and DTOs, served by the app: Swagger UI at /docs, the JSON at
 * /docs-json (no token needed: these routes are not Nest controllers, the AccessGuard does not see them;
 * ADR 10: the contract holds no data and must open in a browser).
 */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('wasteflow')
    .setDescription(
      [
        'Event-sourced ledger of solid-waste flows (DESIGN.md §4).',
        '',
        '- `Authorization: Bearer <token>` on everything but /health and /docs.',
        '- Every write needs an `Idempotency-Key`: the same key with the same request returns the first answer (201, `Idempotency-Replayed: true`) and appends nothing; with another request: 422 `idempotency-key-reused`.',
        '- Every successful write answers 201 with its stream, revision, global position (decimal strings) and event ids, and sets `X-Ledger-Position`.',
        '- Errors are RFC 9457 problem documents (`application/problem+json`) naming the `rule`: 400 malformed, 401, 403 not allowed, 404 unknown batch / manifest / party, 409 state conflict or concurrency, 422 a domain rule.',
        '- Masses are `…Kg` JSON numbers with at most 3 decimals; times are ISO 8601 with an offset.',
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'wf_<id>_<secret> (POST /v1/tokens)' })
    .build();
  const document = completed(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * What the generated document leaves out and every route shares (checked route by route in
 * test/openapi.e2e-spec.ts): tokens are opaque (no "JWT" format); a read without an explicit success
 * response answers 200; `minPosition` is a read-your-writes hint, never required.
 */
export function completed(document: OpenAPIObject): OpenAPIObject {
  const bearer = document.components?.securitySchemes?.bearer as Record<string, unknown> | undefined;
  if (bearer) delete bearer.bearerFormat;
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (!Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status)))
        operation.responses = { '200': { description: 'OK' }, ...operation.responses };
      // `@Allow` and `ApiWrite` both say bearer: one requirement each
      if (operation.security)
        operation.security = [...new Map(operation.security.map((r) => [JSON.stringify(r), r])).values()];
      for (const parameter of operation.parameters ?? []) {
        if ('name' in parameter && parameter.name === 'minPosition') parameter.required = false;
      }
    }
  }
  return document;
}
