import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { EXAMPLE } from './examples';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key';
import { CORRELATION_ID_HEADER } from './write-request';
import { IDEMPOTENCY_REPLAYED_HEADER, LEDGER_POSITION_HEADER } from './write-response';

export class FieldProblemDto {
  @ApiProperty({ example: 'lines[0].massKg', description: 'JSON path of the field, or a header name' })
  field!: string;
  @ApiProperty({ example: 'isMassKg' })
  rule!: string;
  @ApiProperty({
    example: 'lines[0].massKg must be a number of kilograms > 0 with at most 3 decimals (at most 10^9)',
  })
  message!: string;
}

/** RFC 9457 problem document (application/problem+json). */
export class ProblemDocumentDto {
  @ApiProperty({ example: 'urn:wasteflow:problem:treatment-exceeds-held-mass' })
  type!: string;
  @ApiProperty({ example: 'Unprocessable Content' })
  title!: string;
  @ApiProperty({ example: 422 })
  status!: number;
  @ApiProperty({ example: 'cannot treat 1200000 g of 330106W2603027K2M9QXA$: 980000 g held' })
  detail!: string;
  @ApiPropertyOptional({ example: `/v1/batches/${EXAMPLE.traceCode}/treatments` })
  instance?: string;
  @ApiProperty({
    example: 'treatment-exceeds-held-mass',
    description: 'The named rule that refused the request (a domain rule, or a request rule)',
  })
  rule!: string;
  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Field-level detail of invalid input (400)' })
  errors?: FieldProblemDto[];
}

export class WrittenStreamDto {
  @ApiProperty({ example: `batch-${EXAMPLE.traceCode}` })
  stream!: string;
  @ApiProperty({ example: '0', description: 'Revision of the last event written (decimal string)' })
  revision!: string;
  @ApiProperty({
    example: EXAMPLE.position,
    description: 'Global position of the last event written (decimal string)',
  })
  position!: string;
  @ApiProperty({ example: [EXAMPLE.eventId], type: [String] })
  eventIds!: string[];
}

/** What every successful write answers besides its own fields. */
export class WriteResponseDto {
  @ApiProperty({ example: `batch-${EXAMPLE.traceCode}`, description: "The command's own stream" })
  stream!: string;
  @ApiProperty({ example: '0', description: 'Its new revision (decimal string)' })
  revision!: string;
  @ApiProperty({
    example: EXAMPLE.position,
    description:
      'Global position of the commit (the highest written; also X-Ledger-Position): pass it as minPosition to read your write',
  })
  position!: string;
  @ApiProperty({
    example: [EXAMPLE.eventId],
    type: [String],
    description: 'Ids of the events written to its own stream',
  })
  eventIds!: string[];
  @ApiProperty({ type: [WrittenStreamDto], description: 'Every stream the command wrote, its own first' })
  streams!: WrittenStreamDto[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed input (field-level `errors`), a malformed path parameter, or a missing / malformed Idempotency-Key',
  401: 'No valid bearer token',
  403: 'The token may not do this: its kind, or the domain (not the custodian, not the named carrier or receiver, outside the jurisdiction)',
  404: 'Unknown batch, manifest or party',
  409: 'The state does not allow it (a batch on an open manifest, a manifest already picked up …), or concurrent writers exhausted the retries',
  422: 'A domain rule refused it (named in `rule`), or the Idempotency-Key was used before for another request',
  429: 'This token (or this client address without one) made too many requests this minute: see Retry-After',
};

/** Declares problem+json responses for the given statuses. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDocumentDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDocumentDto) } } },
      }),
    ),
  );
}

/** Everything a scoped read route declares: bearer auth, the 200 body and its problems. */
export function ApiRead(options: {
  readonly summary: string;
  readonly description?: string;
  readonly ok: Type<unknown>;
  readonly problems: readonly number[];
}): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiOkResponse({ type: options.ok }),
    ApiProblems(...options.problems),
  );
}

export const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 422];

/** Everything a write route declares: bearer auth, Idempotency-Key, the 201 answer and its problems. */
export function ApiWrite(options: {
  readonly summary: string;
  readonly description?: string;
  readonly response: Type<unknown>;
  readonly problems?: readonly number[];
}): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiBearerAuth(),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: true,
      description:
        'Required on every write (1–200 printable ASCII). The same key with the same request returns the first answer and appends nothing; with another request: 422.',
      example: 'c6f0a7a2-6d0e-4e38-9c51-0f7d2b1a9e44',
    }),
    ApiHeader({
      name: CORRELATION_ID_HEADER,
      required: false,
      description: 'Recorded as correlationId (else a new UUID)',
    }),
    ApiResponse({
      status: 201,
      description: 'Written (or a replay of the first answer, with Idempotency-Replayed: true)',
      type: options.response,
      headers: {
        [LEDGER_POSITION_HEADER]: {
          description: 'Global position of the commit (decimal string)',
          schema: { type: 'string' },
        },
        [IDEMPOTENCY_REPLAYED_HEADER]: {
          description: '`true` when this answers a retry',
          schema: { type: 'string' },
        },
      },
    }),
    ApiProblems(...(options.problems ?? WRITE_PROBLEMS)),
  );
}
