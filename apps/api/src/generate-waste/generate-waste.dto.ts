import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  CONTAINER_VOLUMES,
  MAX_PACKAGE_COUNT,
  PHYSICAL_FORMS,
  WASTE_CATEGORIES,
  TEXT_BOUNDS,
} from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsMassKg, IsWasteCode, IsOptionalFreeText } from '../common/validation';
import { HandlerPersonIdAnswer, OptionalHandler, PersonDto } from '../common/person.dto';

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

  @ApiPropertyOptional({
    example: 'liquid',
    enum: PHYSICAL_FORMS,
    description: '废物形态 (labels, 联单, 台账)',
  })
  @IsOptional()
  @IsIn(PHYSICAL_FORMS)
  physicalForm?: string;

  @ApiPropertyOptional({ example: '铁桶', maxLength: TEXT_BOUNDS.label, description: '包装方式' })
  @IsOptionalFreeText(TEXT_BOUNDS.label)
  packagingType?: string;

  @ApiPropertyOptional({ example: 4, minimum: 1, maximum: MAX_PACKAGE_COUNT, description: '包装数量' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PACKAGE_COUNT)
  packageCount?: number;

  @ApiPropertyOptional({
    example: 'upTo450L',
    enum: CONTAINER_VOLUMES,
    description:
      'Container volume class: chooses the HJ 1276 label size (≤ 50 L 100 mm, ≤ 450 L 150 mm, more 200 mm)',
  })
  @IsOptional()
  @IsIn(CONTAINER_VOLUMES)
  containerVolume?: string;

  @ApiPropertyOptional({ example: '矿物油、水', maxLength: TEXT_BOUNDS.text, description: '主要成分' })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  mainComponents?: string;

  @ApiPropertyOptional({ example: '石油烃', maxLength: TEXT_BOUNDS.text, description: '有害成分' })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  hazardousComponents?: string;

  @ApiPropertyOptional({
    example: '远离火源，防止泄漏',
    maxLength: TEXT_BOUNDS.text,
    description: '注意事项',
  })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  precautions?: string;

  @ApiPropertyOptional({
    example: 'SC-01',
    maxLength: 64,
    description: 'The generating facility code (产生设施编码)',
  })
  @IsOptionalFreeText(64)
  facilityCode?: string;

  @ApiProperty({ example: 1250.5, description: 'Kilograms, at most 3 decimals' })
  @IsMassKg()
  massKg!: number;

  @ApiProperty({ example: EXAMPLE.occurredAt, description: 'ISO 8601 with an offset; not in the future' })
  @IsIsoInstant()
  occurredAt!: string;

  @OptionalHandler('产生部门经办人 (HJ 1259 table 1; table 2’s 运送部门经办人 of the generation)')
  handler?: PersonDto;
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
  @HandlerPersonIdAnswer()
  handlerPersonId?: string;
}
