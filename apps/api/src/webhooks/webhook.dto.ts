import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The bodies of the webhook routes, for the OpenAPI document only: they are checked by webhook.params.ts
 * (the URL policy and the catalogue's types need more than decorators).
 */
export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://erp.example.com/wasteflow',
    description: 'https, public (see WASTEFLOW_WEBHOOK_ALLOWED_HOSTS)',
  })
  url!: string;
  @ApiPropertyOptional({
    example: ['ManifestIssued', 'ManifestReceived'],
    description: 'event types; absent: every type',
  })
  eventTypes?: string[];
  @ApiPropertyOptional({
    example: '1234',
    description: 'deliver the events after this cursor (default: the head now)',
  })
  after?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://erp.example.com/wasteflow/v2' })
  url?: string;
  @ApiPropertyOptional({ example: ['BatchSplit'], description: 'null: every type again', nullable: true })
  eventTypes?: string[] | null;
  @ApiPropertyOptional({ example: 'active', enum: ['active', 'paused'] })
  status?: 'active' | 'paused';
}

export class RotateSecretDto {}

export class RedeliverDto {
  @ApiPropertyOptional({
    example: '0193a7c2-5f1e-7c3a-9d2b-4e8f6a1b2c3d',
    description: 'one delivered event, sent again now',
  })
  eventId?: string;
  @ApiPropertyOptional({ example: '1200', description: 'ordered delivery starts again after this position' })
  fromPosition?: string;
}
