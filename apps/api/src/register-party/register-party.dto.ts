import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { PARTY_ROLES, TEXT_BOUNDS } from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsDistrictCode, IsIsoInstant, IsUscc, IsFreeText } from '../common/validation';

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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(PARTY_ROLES, { each: true })
  roles!: string[];

  @ApiProperty({
    example: '330106',
    description: 'Administrative division code (6 digits), e.g. 330106 西湖区',
  })
  @IsDistrictCode()
  districtCode!: string;

  @ApiPropertyOptional({ example: EXAMPLE.occurredAt, description: 'Defaults to the time of recording' })
  @IsOptional()
  @IsIsoInstant()
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
}
