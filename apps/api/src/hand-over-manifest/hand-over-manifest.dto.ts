import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_HANDOVER_PLACE_LENGTH } from '@wasteflow/domain';
import { EXAMPLE } from '../common/examples';
import { ManifestAnswerDto } from '../common/write-answers.dto';
import { TripCrewDto } from '../common/trip-crew.dto';
import { IsFreeText, IsIsoInstant, IsUscc, IsVehiclePlate } from '../common/validation';

/** POST /v1/manifests/{no}/handover (DESIGN §4): `{ nextCarrierUscc, vehiclePlate, place, occurredAt }`. */
/** With the next leg's crew (TripCrewDto: driver, escort, vehicle type, licence). */
export class HandOverManifestDto extends TripCrewDto {
  @ApiProperty({
    example: EXAMPLE.nextCarrierUscc,
    description: 'The next carrier: a registered party with the carrier role, not the one handing over',
  })
  @IsUscc()
  nextCarrierUscc!: string;

  @ApiProperty({ example: '浙B67890', description: 'The next carrier’s vehicle for its leg' })
  @IsVehiclePlate()
  vehiclePlate!: string;

  @ApiProperty({
    example: '宁波北仑港联运站',
    maxLength: MAX_HANDOVER_PLACE_LENGTH,
    description: 'Where the hand-over happens',
  })
  @IsFreeText(MAX_HANDOVER_PLACE_LENGTH)
  place!: string;

  @ApiProperty({ example: EXAMPLE.handedOverAt, description: 'Not before the start of the current leg' })
  @IsIsoInstant()
  occurredAt!: string;
}

export class HandOverManifestResponseDto extends ManifestAnswerDto {
  @ApiProperty({ example: 'picked_up', description: 'Still in transit' })
  status!: string;
  @ApiProperty({ example: 2, description: 'The leg that starts here (leg 1 starts at pickup)' })
  leg!: number;
  @ApiProperty({ example: EXAMPLE.carrierUscc })
  fromCarrierUscc!: string;
  @ApiProperty({ example: EXAMPLE.nextCarrierUscc, description: 'The carrier holding the manifest now' })
  carrierUscc!: string;
  @ApiProperty({ example: '浙B67890' })
  vehiclePlate!: string;
  @ApiProperty({ example: '宁波北仑港联运站' })
  place!: string;
  @ApiProperty({ example: [EXAMPLE.consolidatedTraceCode], type: [String], description: 'Still in transit' })
  traceCodes!: string[];
  @ApiPropertyOptional({ example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65', description: 'The driver’s record' })
  driverPersonId?: string;
  @ApiPropertyOptional({ example: 'p-9a7d4c2b8e6f1a0d9c8b7a653f0c5b1e', description: 'The escort’s record' })
  escortPersonId?: string;
  @ApiPropertyOptional({ example: '危险货物罐式运输车' })
  vehicleType?: string;
  @ApiPropertyOptional({ example: '浙交运管许可甬字330200005678号' })
  transportLicenceNo?: string;
}
