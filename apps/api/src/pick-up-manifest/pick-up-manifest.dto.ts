import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsManifestNo, IsMassKg, IsVehiclePlate } from '../common/validation';

export class PickUpManifestDto {
  @ApiProperty({ example: EXAMPLE.vehiclePlate, description: 'One vehicle, one trip' })
  @IsVehiclePlate()
  vehiclePlate!: string;

  @ApiProperty({ example: EXAMPLE.pickedUpAt })
  @IsIsoInstant()
  occurredAt!: string;

  @ApiPropertyOptional({ example: 2003.5, description: 'Weighed at pickup (kg; informational)' })
  @IsOptional()
  @IsMassKg()
  weighedKg?: number;
}

/** A bulk item (`pick-up-manifest`): the body with the manifest number of the path. */
export class PickUpManifestItemDto extends PickUpManifestDto {
  @ApiProperty({ example: EXAMPLE.manifestNo })
  @IsManifestNo()
  manifestNo!: string;
}

export class PickUpManifestResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.manifestNo })
  manifestNo!: string;
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
}
