import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { ManifestAnswerDto } from '../common/write-answers.dto';
import { TripCrewDto } from '../common/trip-crew.dto';
import { IsIsoInstant, IsMassKg, IsTraceCode, IsVehiclePlate, IsListOf } from '../common/validation';

export class PickupWeighingDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode })
  @IsTraceCode()
  traceCode!: string;

  @ApiProperty({ example: 2003.5, description: 'This line as weighed at pickup (kg)' })
  @IsMassKg()
  weighedKg!: number;
}

/** With the leg's crew (TripCrewDto: driver, escort, vehicle type, licence). */
export class PickUpManifestDto extends TripCrewDto {
  @ApiProperty({ example: EXAMPLE.vehiclePlate, description: 'One vehicle, one trip' })
  @IsVehiclePlate()
  vehiclePlate!: string;

  @ApiProperty({ example: EXAMPLE.pickedUpAt })
  @IsIsoInstant()
  occurredAt!: string;

  @ApiPropertyOptional({
    example: 2003.5,
    description:
      'The whole load as weighed at pickup (kg): beyond the tolerance (default 5 %) of the shipped mass it is a ' +
      'discrepancy (recorded, alerted; the pickup is not refused). When every line is weighed too, their sum.',
  })
  @IsOptional()
  @IsMassKg()
  weighedKg?: number;

  @ApiPropertyOptional({
    type: [PickupWeighingDto],
    example: [{ traceCode: EXAMPLE.consolidatedTraceCode, weighedKg: 2003.5 }],
    description:
      'Lines weighed at pickup (any of the manifest’s lines, each once), each judged like the load',
  })
  @IsOptional()
  @IsListOf(PickupWeighingDto, { max: 200 })
  lines?: PickupWeighingDto[];
}

export class PickUpManifestResponseDto extends ManifestAnswerDto {
  @ApiProperty({ example: 'picked_up' })
  status!: string;
  @ApiProperty({ example: '浙AD12345' })
  vehiclePlate!: string;
  @ApiProperty({ example: 2000 })
  shippedKg!: number;
  @ApiPropertyOptional({ example: 2003.5 })
  weighedKg?: number;
  @ApiProperty({ example: [EXAMPLE.consolidatedTraceCode], type: [String], description: 'Now in transit' })
  traceCodes!: string[];
  @ApiProperty({
    example: [{ traceCode: EXAMPLE.consolidatedTraceCode, weighedKg: 2003.5, discrepancy: false }],
    description: 'Every line, with its weighing when weighed and whether it is a discrepancy',
  })
  lines!: { traceCode: string; weighedKg?: number; discrepancy: boolean }[];
  @ApiProperty({
    example: false,
    description: 'The weighed load differs from the shipped mass beyond the tolerance',
  })
  discrepancy!: boolean;
  @ApiProperty({ example: 0.05 })
  tolerance!: number;
  @ApiPropertyOptional({ example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65', description: 'The driver’s record' })
  driverPersonId?: string;
  @ApiPropertyOptional({ example: 'p-9a7d4c2b8e6f1a0d9c8b7a653f0c5b1e', description: 'The escort’s record' })
  escortPersonId?: string;
  @ApiPropertyOptional({ example: '危险货物厢式运输车' })
  vehicleType?: string;
  @ApiPropertyOptional({ example: '浙交运管许可杭字330100001234号' })
  transportLicenceNo?: string;
}
