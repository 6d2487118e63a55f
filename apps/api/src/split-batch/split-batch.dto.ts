import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE, EXAMPLE_CHILD } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsMassKg, IsList } from '../common/validation';

export class SplitBatchDto {
  @ApiProperty({
    example: [400, 250.5],
    type: [Number],
    description: 'Masses of the children (kg); the remainder stays in the parent',
  })
  @IsList({ min: 1, max: 100 }, IsMassKg({}, { each: true }))
  partsKg!: number[];

  @ApiProperty({ example: '2026-03-02T10:00:00+08:00' })
  @IsIsoInstant()
  occurredAt!: string;
}

export class SplitBatchResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode, description: 'The parent' })
  traceCode!: string;
  @ApiProperty({ example: [EXAMPLE_CHILD], type: [String], description: 'Codes of the new children' })
  children!: string[];
  @ApiProperty({ example: [400, 250.5], type: [Number] })
  partsKg!: number[];
  @ApiProperty({ example: 600, description: 'Left in the parent' })
  remainingKg!: number;
}
