import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsFreeText, IsIsoInstant, IsPermitDate, IsTreatmentOperation } from '../common/validation';

/** 自行利用/处置设施备案 (DESIGN §4): the facility's code, the treatment operations it covers, its validity. */
export class RegisterFacilityDto {
  @ApiProperty({ example: 'ZJ-330106-F001', maxLength: 64, description: 'The facility code (设施编号)' })
  @IsFreeText(TEXT_BOUNDS.code)
  facilityCode!: string;

  @ApiProperty({
    example: ['R5', 'C2'],
    type: [String],
    description: 'Treatment codes it performs (R1–R9, R15, C1–C3, D1, D9, D10, D16, Y10–Y16)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsTreatmentOperation({ each: true })
  operations!: string[];

  @ApiProperty({ example: '2026-01-01', description: 'A date (from 00:00 CST) or an ISO 8601 time' })
  @IsPermitDate()
  validFrom!: string;

  @ApiProperty({ example: '2030-12-31', description: 'A date (to its end, inclusive) or an ISO 8601 time' })
  @IsPermitDate()
  validTo!: string;

  @ApiPropertyOptional({
    example: '2026-03-01T10:00:00+08:00',
    description: 'Defaults to the time of recording',
  })
  @IsOptional()
  @IsIsoInstant()
  occurredAt?: string;
}

export class RegisterFacilityResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.generatorUscc })
  uscc!: string;
  @ApiProperty({ example: 'ZJ-330106-F001' })
  facilityCode!: string;
  @ApiProperty({ example: ['R5', 'C2'] })
  operations!: string[];
  @ApiProperty({ example: '2026-01-01' })
  validFrom!: string;
  @ApiProperty({ example: '2030-12-31' })
  validTo!: string;
}
