import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsMassDeltaKg, IsTraceCode, IsFreeText } from '../common/validation';

export class CorrectionApprovalDto {
  @ApiProperty({
    example: '330106-HB-2026-0042',
    description: 'Who approved: a USCC, or a regulator / auditor identifier',
    maxLength: 64,
  })
  @IsFreeText(TEXT_BOUNDS.code)
  approverId!: string;

  @ApiProperty({ example: 'regulator', maxLength: 64 })
  @IsFreeText(TEXT_BOUNDS.code)
  role!: string;

  @ApiProperty({ example: '2026-03-02T15:10:00+08:00' })
  @IsIsoInstant()
  approvedAt!: string;
}

/** A compensating correction of the held mass (a re-weighing), with an approval by someone else. */
export class CorrectMassDto {
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
    type: [CorrectionApprovalDto],
    example: [
      { approverId: '330106-HB-2026-0042', role: 'regulator', approvedAt: '2026-03-02T15:10:00+08:00' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CorrectionApprovalDto)
  approvals!: CorrectionApprovalDto[];

  @ApiProperty({ example: '2026-03-02T15:30:00+08:00' })
  @IsIsoInstant()
  occurredAt!: string;
}

/** A bulk item (`correct-mass`): the body with the trace code of the path. */
export class CorrectMassItemDto extends CorrectMassDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  @IsTraceCode()
  traceCode!: string;
}

export class CorrectMassResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  traceCode!: string;
  @ApiProperty({ example: -12.5 })
  deltaKg!: number;
  @ApiProperty({ example: 1238 })
  massKgAfter!: number;
}
