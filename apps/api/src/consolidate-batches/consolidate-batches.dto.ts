import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsMassKg, IsTraceCode, IsListOf } from '../common/validation';

export class ConsolidationLineDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  @IsTraceCode()
  traceCode!: string;

  @ApiProperty({ example: 1250.5, description: 'Taken from this batch (kg, ≤ held; the rest stays in it)' })
  @IsMassKg()
  massKg!: number;
}

/** 小箱进大箱: n batches of one category (and one HW code) held by the caller → one new batch. */
export class ConsolidateBatchesDto {
  @ApiProperty({
    type: [ConsolidationLineDto],
    example: [
      { traceCode: EXAMPLE.traceCode, massKg: 1250.5 },
      { traceCode: EXAMPLE.otherTraceCode, massKg: 749.5 },
    ],
  })
  @IsListOf(ConsolidationLineDto, { min: 2, max: 200 })
  lines!: ConsolidationLineDto[];

  @ApiProperty({ example: '2026-03-02T16:00:00+08:00' })
  @IsIsoInstant()
  occurredAt!: string;
}

export class ConsolidateBatchesResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode, description: 'The new batch' })
  traceCode!: string;
  @ApiProperty({
    example: [
      { traceCode: EXAMPLE.traceCode, massKg: 1250.5 },
      { traceCode: EXAMPLE.otherTraceCode, massKg: 749.5 },
    ],
  })
  inputs!: ConsolidationLineDto[];
  @ApiProperty({ example: 2000 })
  massKg!: number;
}
