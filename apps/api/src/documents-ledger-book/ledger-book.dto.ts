import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsUscc } from '../common/validation';
import { ReadQueryDto } from '../read-side/indicators.dto';

/** A day (YYYY-MM-DD) or a month (YYYY-MM), in China Standard Time. */
export const DAY_OR_MONTH = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

export class LedgerBookQueryDto extends ReadQueryDto {
  @ApiProperty({ example: '91330106MA2B3C4D5E', description: 'The party whose 台账 it is' })
  @IsUscc()
  party!: string;

  @ApiProperty({
    example: '2025-01',
    description: 'First day (YYYY-MM-DD) or month (YYYY-MM), CST, inclusive',
  })
  @Matches(DAY_OR_MONTH, { message: 'from must be a day YYYY-MM-DD or a month YYYY-MM' })
  from!: string;

  @ApiProperty({ example: '2025-12', description: 'Last day or month, CST, inclusive' })
  @Matches(DAY_OR_MONTH, { message: 'to must be a day YYYY-MM-DD or a month YYYY-MM' })
  to!: string;

  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'csv'])
  format?: 'xlsx' | 'csv';

  @ApiPropertyOptional({
    enum: ['1', '2', '3', '4', '5'],
    description: 'The table, for csv (one table per file)',
  })
  @IsOptional()
  @IsIn(['1', '2', '3', '4', '5'])
  table?: string;
}
