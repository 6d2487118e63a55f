import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { PermitAnswerDto } from '../common/write-answers.dto';
import { ValidFromField, ValidToField, OccurredAtField } from '../common/validity-fields';
import {
  IsHwCategory,
  IsMassKg,
  IsPermitOperation,
  IsWasteCode,
  IsFreeText,
  IsList,
} from '../common/validation';

/** 危险废物经营许可证: codes and/or HW categories covered, operations, annual capacity, validity. */
export class GrantPermitDto {
  @ApiProperty({ example: EXAMPLE.permitNo, maxLength: 64 })
  @IsFreeText(TEXT_BOUNDS.code)
  permitNo!: string;

  @ApiPropertyOptional({
    example: ['900-249-08', '900-041-49'],
    type: [String],
    description: 'Waste codes NNN-NNN-NN',
  })
  @IsOptional()
  @IsList({ max: 500 }, IsWasteCode({ each: true }))
  wasteCodes?: string[];

  @ApiPropertyOptional({ example: ['HW08'], type: [String], description: 'Whole HW categories' })
  @IsOptional()
  @IsList({ max: 50 }, IsHwCategory({ each: true }))
  hwCategories?: string[];

  @ApiProperty({
    example: ['D10', 'store'],
    type: [String],
    description: 'Treatment codes (R1–R9, R15, C1–C3, D1, D9, D10, D16, Y10–Y16) and/or collect, store',
  })
  @IsList({ min: 1, max: 30 }, IsPermitOperation({ each: true }))
  operations!: string[];

  @ApiProperty({ example: 30000000, description: 'Annual capacity in kg (at most 3 decimals)' })
  @IsMassKg()
  annualCapacityKg!: number;

  @ValidFromField('2026-01-01')
  validFrom!: string;

  @ValidToField('2030-12-31')
  validTo!: string;

  @OccurredAtField()
  occurredAt?: string;
}

export class GrantPermitResponseDto extends PermitAnswerDto {
  @ApiProperty({ example: ['900-249-08'] })
  wasteCodes!: string[];
  @ApiProperty({ example: ['HW08'] })
  hwCategories!: string[];
  @ApiProperty({ example: ['D10', 'store'] })
  operations!: string[];
  @ApiProperty({ example: 30000000 })
  annualCapacityKg!: number;
  @ApiProperty({ example: '2026-01-01' })
  validFrom!: string;
  @ApiProperty({ example: '2030-12-31' })
  validTo!: string;
}
