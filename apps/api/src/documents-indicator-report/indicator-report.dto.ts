import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsRegion } from '../common/validation';
import { ReadQueryDto } from '../read-side/indicators.dto';

/** GET /v1/reports/indicators */
export class IndicatorReportQueryDto extends ReadQueryDto {
  @ApiProperty({ example: '3301', description: 'Region: a province (2 digits), city (4) or district (6)' })
  @IsRegion()
  region!: string;

  @ApiProperty({ example: '2025', description: 'The calendar year (CST months January–December)' })
  @Matches(/^(19|20)\d{2}$/, { message: 'year must be a year YYYY' })
  year!: string;

  @ApiPropertyOptional({ enum: ['xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx'])
  format?: 'xlsx';
}
