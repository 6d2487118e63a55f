import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { WASTE_CATEGORIES, TEXT_BOUNDS } from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsMassKg, IsWasteCode, IsOptionalFreeText } from '../common/validation';

/** 产生: the generator is the token's party. */
export class GenerateWasteDto {
  @ApiProperty({ example: 'hazardous', enum: WASTE_CATEGORIES })
  @IsIn(WASTE_CATEGORIES)
  category!: string;

  @ApiPropertyOptional({
    example: EXAMPLE.wasteCode,
    description:
      'Required for hazardous waste (National Hazardous Waste List code NNN-NNN-NN); refused otherwise',
  })
  @IsOptional()
  @IsWasteCode()
  wasteCode?: string;

  @ApiPropertyOptional({
    example: 'perishable',
    description:
      'household: recyclable | household_hazardous | perishable | other (required); agricultural: straw | manure | film | pesticide_packaging | animal_medical (required); industrial, construction: optional',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  subtype?: string;

  @ApiPropertyOptional({ example: '废矿物油（数控机床切削液更换）', maxLength: 500 })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  description?: string;

  @ApiProperty({ example: 1250.5, description: 'Kilograms, at most 3 decimals' })
  @IsMassKg()
  massKg!: number;

  @ApiProperty({ example: EXAMPLE.occurredAt, description: 'ISO 8601 with an offset; not in the future' })
  @IsIsoInstant()
  occurredAt!: string;
}

export class GenerateWasteResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode, description: '浙固码-style trace code of the new batch' })
  traceCode!: string;
  @ApiProperty({ example: 'hazardous' })
  category!: string;
  @ApiPropertyOptional({ example: EXAMPLE.wasteCode })
  wasteCode?: string;
  @ApiPropertyOptional()
  subtype?: string;
  @ApiProperty({ example: 1250.5 })
  massKg!: number;
  @ApiProperty({ example: EXAMPLE.generatorUscc })
  generatorUscc!: string;
  @ApiProperty({ example: '330106' })
  districtCode!: string;
  @ApiProperty({
    example: false,
    description: 'occurredAt more than 72 h before recording: accepted, flagged',
  })
  late!: boolean;
}
