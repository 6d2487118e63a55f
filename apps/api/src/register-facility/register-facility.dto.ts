import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { ValidFromField, ValidToField, OccurredAtField } from '../common/validity-fields';
import { IsFreeText, IsTreatmentOperation, IsList } from '../common/validation';

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
  @IsList({ min: 1, max: 30 }, IsTreatmentOperation({ each: true }))
  operations!: string[];

  @ValidFromField('2026-01-01')
  validFrom!: string;

  @ValidToField('2030-12-31')
  validTo!: string;

  @OccurredAtField()
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
