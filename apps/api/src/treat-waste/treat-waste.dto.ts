import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TREATMENT_OPERATIONS } from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { IsIsoInstant, IsMassKg, IsOptionalFreeText, IsTreatmentOperation } from '../common/validation';
import { HandlerPersonIdAnswer, OptionalHandler, PersonDto } from '../common/person.dto';

/** 利用 / 处置 by the custodian. */
export class TreatWasteDto {
  @ApiProperty({
    example: 'D10',
    enum: TREATMENT_OPERATIONS,
    description: 'R1–R9, R15, C2, C3 → WasteUtilised; D1, D9, D10, D16, C1, Y10–Y16 → WasteDisposed',
  })
  @IsTreatmentOperation()
  operation!: string;

  @ApiProperty({ example: 1800, description: 'Kilograms (≤ held, at most 3 decimals)' })
  @IsMassKg()
  massKg!: number;

  @ApiProperty({ example: EXAMPLE.treatedAt })
  @IsIsoInstant()
  occurredAt!: string;

  @ApiPropertyOptional({
    example: 'ZJ-330106-F001',
    maxLength: 64,
    description:
      "The registered facility (自行利用/处置设施, POST /v1/parties/{uscc}/facilities) that treated it: one of the custodian's, valid at occurredAt and covering the operation (422 facility-does-not-cover otherwise). Unnamed, the only covering facility is recorded; several covering a custodian without the receiver role: 400 facility-not-named",
  })
  @IsOptionalFreeText(TEXT_BOUNDS.code)
  facilityCode?: string;

  @OptionalHandler('自行利用/处置部门经办人 (HJ 1259 table 4)')
  handler?: PersonDto;
}

export class TreatWasteResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode })
  traceCode!: string;
  @ApiProperty({ example: 'WasteDisposed', enum: ['WasteUtilised', 'WasteDisposed'] })
  event!: string;
  @ApiProperty({ example: 'D10' })
  operation!: string;
  @ApiProperty({
    example: 'incineration',
    enum: ['utilisation', 'landfill', 'incineration', 'other_disposal'],
  })
  mode!: string;
  @ApiProperty({ example: 1800 })
  massKg!: number;
  @ApiProperty({ example: 0 })
  remainingKg!: number;
  @ApiPropertyOptional({
    example: EXAMPLE.permitNo,
    description: 'The permit it was done under (hazardous waste)',
  })
  permitNo?: string;
  @ApiPropertyOptional({
    example: 'ZJ-330106-F001',
    description: 'The registered facility that treated it (WasteUtilised / WasteDisposed v3)',
  })
  facilityCode?: string;
  @HandlerPersonIdAnswer()
  handlerPersonId?: string;
}
