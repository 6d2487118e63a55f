import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * OpenAPI 3 generated from the controllers and DTOs, served by the app: Swagger UI at /docs, the JSON at
 * /docs-json (no token needed: these routes are not Nest controllers, the AccessGuard does not see them).
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
