import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsFreeText, IsIsoInstant, IsMassDeltaKg } from '../common/validation';

/**
 * A custodian's request for a compensating correction of the held mass (a re-weighing). No approvals here:
 * who approves is who calls …/approve with its own token (ADR 0018); an unknown field such as `approvals`
 * is refused (400).
 */
export class RequestMassCorrectionDto {
  @ApiProperty({
    example: -12.5,
    description: 'Signed kilograms (at most 3 decimals): negative removes mass',
  })
  @IsMassDeltaKg()
  deltaKg!: number;

  @ApiProperty({ example: '地磅复核：原登记含包装桶皮重', maxLength: 500 })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;

  @ApiProperty({
    example: '2026-03-02T15:30:00+08:00',
    description: 'When the re-weighing (the fact) happened',
  })
  @IsIsoInstant()
  occurredAt!: string;
}

export class RequestMassCorrectionResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  traceCode!: string;
  @ApiProperty({
    example: 'cr-1',
    description: 'The request, to approve or reject: cr-<n>, the n-th of the batch',
  })
  requestId!: string;
  @ApiProperty({ example: 'pending', enum: ['pending'] })
  status!: string;
  @ApiProperty({ example: -12.5 })
  deltaKg!: number;
  @ApiProperty({ example: 1250.5, description: 'The held mass, unchanged until the request is approved' })
  heldKg!: number;
}
