import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import { PARTY_ROLES, TEXT_BOUNDS } from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { OccurredAtField } from '../common/validity-fields';
import { PersonDto } from '../common/person.dto';
import { IsDistrictCode, IsUscc, IsFreeText, IsOptionalFreeText, IsList } from '../common/validation';

export class RegisterPartyDto {
  @ApiProperty({
    example: EXAMPLE.generatorUscc,
    description: 'Unified Social Credit Code (统一社会信用代码)',
  })
  @IsUscc()
  uscc!: string;

  @ApiProperty({ example: EXAMPLE.generatorName, maxLength: 200 })
  @IsFreeText(TEXT_BOUNDS.name)
  name!: string;

  @ApiProperty({ example: ['generator', 'carrier'], enum: PARTY_ROLES, isArray: true })
  @IsList({ min: 1, max: 4 }, IsIn(PARTY_ROLES, { each: true }))
  roles!: string[];

  @ApiProperty({
    example: '330106',
    description: 'Administrative division code (6 digits), e.g. 330106 西湖区',
  })
  @IsDistrictCode()
  districtCode!: string;

  @ApiPropertyOptional({
    example: '杭州市西湖区文三路 90 号',
    maxLength: TEXT_BOUNDS.name,
    description: '单位地址 (documents)',
  })
  @IsOptionalFreeText(TEXT_BOUNDS.name)
  address?: string;

  @ApiPropertyOptional({ example: '0571-88880000', description: '应急联系电话 of the unit (documents)' })
  @IsOptional()
  @Matches(/^[0-9+\-() ]{3,32}$/, {
    message: 'emergencyPhone must be a phone number: digits, +, -, spaces, parentheses',
  })
  emergencyPhone?: string;

  @ApiPropertyOptional({
    type: PersonDto,
    example: { name: '王五', phone: '13700137000' },
    description:
      '联系人 of the unit (personal data): an erasable record, the event carries only contactPersonId (ADR 14)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonDto)
  contactPerson?: PersonDto;

  @OccurredAtField(EXAMPLE.occurredAt)
  occurredAt?: string;
}

export class RegisterPartyResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.generatorUscc })
  uscc!: string;
  @ApiProperty({ example: EXAMPLE.generatorName })
  name!: string;
  @ApiProperty({ example: ['generator', 'carrier'] })
  roles!: string[];
  @ApiProperty({ example: '330106' })
  districtCode!: string;
  @ApiPropertyOptional({
    example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65',
    description: 'The contact person’s record',
  })
  contactPersonId?: string;
}
