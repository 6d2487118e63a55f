import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { WASTE_CATEGORIES } from '@wasteflow/domain';
import { IsRegion } from '../common/validation';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** What every read query takes: read-your-writes. */
export class ReadQueryDto {
  @ApiPropertyOptional({
    example: '1042',
    description:
      'Wait (at most 5 s) until the read models have applied this position (the X-Ledger-Position of a write); 503 projection-behind otherwise',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a decimal position string' })
  minPosition?: string;
}

/** GET /v1/indicators */
export class IndicatorsQueryDto extends ReadQueryDto {
  @ApiProperty({
    example: '330106',
    description: 'Province (2 digits), city (4) or district (6): a prefix of the origin district',
  })
  @IsRegion()
  region!: string;

  @ApiPropertyOptional({
    enum: WASTE_CATEGORIES,
    example: 'hazardous',
    description: 'Omitted: all categories (auditors, and regulators of all five)',
  })
  @IsOptional()
  @IsIn(WASTE_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({
    example: 'straw',
    description: 'A subtype of the category (needs category), e.g. agricultural straw',
  })
  @IsOptional()
  @IsString()
  subtype?: string;

  @ApiProperty({ example: '2025-01', description: 'First calendar month (CST) of the period, inclusive' })
  @Matches(MONTH_PATTERN, { message: 'from must be a month YYYY-MM' })
  from!: string;

  @ApiProperty({ example: '2025-12', description: 'Last calendar month (CST) of the period, inclusive' })
  @Matches(MONTH_PATTERN, { message: 'to must be a month YYYY-MM' })
  to!: string;
}

export class TargetResultDto {
  @ApiProperty({ enum: ['utilisationRate', 'landfillRate', 'treatedRate'], example: 'landfillRate' })
  indicator!: string;
  @ApiProperty({
    example: 0.05,
    description: 'The target ratio (comparators: see the README; e.g. landfillRate < 0.05)',
  })
  target!: number;
  @ApiProperty({ example: 0.031, nullable: true, type: Number })
  value!: number | null;
  @ApiProperty({
    example: true,
    nullable: true,
    type: Boolean,
    description: 'null when the rate is undefined',
  })
  met!: boolean | null;
}

/** DESIGN.md §4, field for field. */
export class IndicatorsResponseDto {
  @ApiProperty({ example: '330106' }) region!: string;
  @ApiProperty({ example: 'hazardous', nullable: true, type: String }) category!: string | null;
  @ApiPropertyOptional({ example: 'straw', description: 'Only when a subtype was asked for' })
  subtype?: string;
  @ApiProperty({ example: '2025-01' }) from!: string;
  @ApiProperty({ example: '2025-12' }) to!: string;
  @ApiProperty({ example: 1780 }) generatedKg!: number;
  @ApiProperty({ example: 507 }) utilisedKg!: number;
  @ApiProperty({ example: 130 }) landfilledKg!: number;
  @ApiProperty({ example: 650 }) incineratedKg!: number;
  @ApiProperty({ example: 0 }) otherDisposedKg!: number;
  @ApiProperty({ example: 780 }) disposedKg!: number;
  @ApiProperty({ example: 0, description: 'The part of utilisedKg generated before the period' })
  utilisedFromPriorStockKg!: number;
  @ApiProperty({ example: 0, description: 'The part of utilised + disposed generated before the period' })
  treatedFromPriorStockKg!: number;
  @ApiProperty({
    example: 0.2848,
    nullable: true,
    type: Number,
    description: 'utilised / (generated + utilisedFromPriorStock)',
  })
  utilisationRate!: number | null;
  @ApiProperty({
    example: 0.101,
    nullable: true,
    type: Number,
    description: 'landfilled / (utilised + disposed)',
  })
  landfillRate!: number | null;
  @ApiProperty({
    example: 0.723,
    nullable: true,
    type: Number,
    description: '(utilised + disposed) / (generated + treatedFromPriorStock)',
  })
  treatedRate!: number | null;
  @ApiProperty({ type: [TargetResultDto] }) targets!: TargetResultDto[];
  @ApiProperty({
    example: '1042',
    description: 'The read models’ checkpoint the answer was computed at (decimal string)',
  })
  position!: string;
}
