import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPermitDate } from '../common/validation';
import { ReadQueryDto } from '../read-side/indicators.dto';

/**
 * GET /v1/catalogue: the edition in force on a day (or at a time), or an edition by name; at most one.
 * `minPosition` is taken like on every query (the catalogue reads no read model: it is always reached).
 */
export class CatalogueQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-02',
    description:
      'The edition in force on this day (YYYY-MM-DD, China Standard Time) or at this ISO 8601 time — the ' +
      'occurredAt of the fact the code is for. Default: now. Not with `edition`.',
  })
  @IsOptional()
  @IsPermitDate()
  date?: string;

  @ApiPropertyOptional({
    example: '2021',
    description: 'An edition by name (404 when it is not loaded). Not with `date`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[0-9A-Za-z._-]+$/, { message: 'edition must be an edition name such as 2021' })
  edition?: string;
}

export class CatalogueEditionDto {
  @ApiProperty({ example: '2021' })
  edition!: string;
  @ApiProperty({
    example: '2021-01-01',
    description: 'First day in force (CST); in force until the next edition’s',
  })
  inForceFrom!: string;
  @ApiProperty({ example: 467 })
  codes!: number;
}

export class CatalogueEntryDto {
  @ApiProperty({ example: '900-249-08' })
  code!: string;
  @ApiProperty({ example: 'HW08' })
  category!: string;
  @ApiProperty({
    example: 'T,I',
    description: 'Hazard characteristics as printed (T, C, I, R, In); may be empty',
  })
  hazard!: string;
  @ApiProperty({ example: '其他生产、销售、使用过程中产生的废矿物油及沾染矿物油的废弃包装物' })
  name!: string;
}

export class CatalogueResponseDto {
  @ApiProperty({ example: '2021', description: 'The edition answered: in force at `date`, or the one named' })
  edition!: string;
  @ApiProperty({ example: '2021-01-01' })
  inForceFrom!: string;
  @ApiProperty({ type: [CatalogueEditionDto], description: 'Every edition loaded, by first day in force' })
  editions!: CatalogueEditionDto[];
  @ApiProperty({ type: [CatalogueEntryDto] })
  entries!: CatalogueEntryDto[];
}
