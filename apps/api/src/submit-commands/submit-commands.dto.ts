import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { ProblemDocumentDto } from '../common/openapi';
import { BULK_TYPES } from '../writes/write-registry';
import { IsList } from '../common/validation';

export const MAX_BULK_COMMANDS = 1000;

export class CommandItemDto {
  @ApiProperty({ enum: BULK_TYPES, example: 'generate-waste' })
  type!: string;

  @ApiProperty({
    example: 'erp-2026-03-02-000187',
    description: 'Its own Idempotency-Key (1–200 printable ASCII)',
  })
  idempotencyKey!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The body of the single request, plus its path parameters: split-batch, treat-waste, request-mass-correction carry traceCode; approve-mass-correction, reject-mass-correction carry traceCode and requestId; pick-up-manifest, hand-over-manifest, receive-manifest, cancel-manifest carry manifestNo; grant-permit carries uscc; revoke-permit carries uscc and permitNo',
    example: {
      category: 'hazardous',
      wasteCode: EXAMPLE.wasteCode,
      massKg: 1250.5,
      occurredAt: EXAMPLE.occurredAt,
    },
  })
  body!: Record<string, unknown>;
}

/** POST /v1/commands: 1 to 1,000 commands, run in order, each on its own. */
export class SubmitCommandsDto {
  @ApiProperty({
    type: [CommandItemDto],
    minItems: 1,
    maxItems: MAX_BULK_COMMANDS,
    example: [
      {
        type: 'generate-waste',
        idempotencyKey: 'erp-2026-03-02-000187',
        body: {
          category: 'hazardous',
          wasteCode: EXAMPLE.wasteCode,
          massKg: 1250.5,
          occurredAt: EXAMPLE.occurredAt,
        },
      },
      {
        type: 'split-batch',
        idempotencyKey: 'erp-2026-03-02-000188',
        body: { traceCode: EXAMPLE.traceCode, partsKg: [400], occurredAt: '2026-03-02T10:00:00+08:00' },
      },
    ],
  })
  @IsList({ min: 1, max: MAX_BULK_COMMANDS }, IsObject({ each: true }))
  commands!: Record<string, unknown>[];
}

export class CommandResultDto {
  @ApiProperty({ example: 0 })
  index!: number;
  @ApiProperty({ example: 'generate-waste' })
  type!: string;
  @ApiProperty({ example: 201, description: '201, or the status of the problem that refused the item' })
  status!: number;
  @ApiPropertyOptional({
    example: true,
    description: 'The item repeats an earlier request with its key: nothing appended',
  })
  replayed?: boolean;
  @ApiProperty({
    description: 'The 201 body of the single request, or its problem document',
    oneOf: [
      { type: 'object', additionalProperties: true },
      { $ref: '#/components/schemas/ProblemDocumentDto' },
    ],
    example: {
      traceCode: EXAMPLE.traceCode,
      stream: `batch-${EXAMPLE.traceCode}`,
      revision: '0',
      position: EXAMPLE.position,
      eventIds: [EXAMPLE.eventId],
    },
  })
  body!: Record<string, unknown> | ProblemDocumentDto;
}

export class SubmitCommandsResponseDto {
  @ApiProperty({ type: [CommandResultDto] })
  results!: CommandResultDto[];
}
