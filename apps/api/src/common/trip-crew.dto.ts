import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { PersonDto } from './person.dto';
import { IsOptionalFreeText } from './validation';

/**
 * The crew of a leg (the 联单's part 2, issue 14), optional, at pickup and at each hand-over: the driver and
 * the escort (personal data, ADR 14), the vehicle type and the carrier's transport licence number.
 */
export class TripCrewDto {
  @ApiPropertyOptional({
    type: PersonDto,
    example: { name: '张三', phone: '13800138000' },
    description:
      '驾驶员 (personal data): kept in an erasable record encrypted with a key of its own; the event and the ' +
      'answer carry only driverPersonId (ADR 14). Printed on the 联单 until erased, then 已删除.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonDto)
  driver?: PersonDto;

  @ApiPropertyOptional({
    type: PersonDto,
    example: { name: '李四', phone: '13900139000' },
    description: '押运员 (personal data), as the driver',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonDto)
  escort?: PersonDto;

  @ApiPropertyOptional({
    example: '危险货物厢式运输车',
    maxLength: TEXT_BOUNDS.code,
    description: '车辆类型',
  })
  @IsOptionalFreeText(TEXT_BOUNDS.code)
  vehicleType?: string;

  @ApiPropertyOptional({
    example: '浙交运管许可杭字330100001234号',
    maxLength: TEXT_BOUNDS.code,
    description: 'The carrier’s road transport licence number (道路运输经营许可证号)',
  })
  @IsOptionalFreeText(TEXT_BOUNDS.code)
  transportLicenceNo?: string;
}
