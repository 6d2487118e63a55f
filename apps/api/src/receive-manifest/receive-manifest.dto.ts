import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE, EXAMPLE_CHILD } from '../common/examples';
import { ManifestAnswerDto } from '../common/write-answers.dto';
import { IsIsoInstant, IsMassKg, IsTraceCode, IsOptionalFreeText, IsListOf } from '../common/validation';
import { HandlerPersonIdAnswer, OptionalHandler, PersonDto } from '../common/person.dto';

export class ReceiptLineDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode })
  @IsTraceCode()
  traceCode!: string;

  @ApiProperty({
    example: 1980,
    description: 'Weighed on arrival (kg, ≤ shipped): shipped − received is lost in transit',
  })
  @IsMassKg({ allowZero: true })
  receivedKg!: number;

  @ApiProperty({
    example: 1800,
    description: 'Accepted (kg, ≤ received): received − accepted is rejected, back to the shipper',
  })
  @IsMassKg({ allowZero: true })
  acceptedKg!: number;

  @ApiPropertyOptional({
    example: '含水率超标，部分拒收',
    description: 'Required when acceptedKg < receivedKg',
    maxLength: 500,
  })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  reason?: string;
}

export class ReceiveManifestDto {
  @ApiProperty({ example: EXAMPLE.receivedAt })
  @IsIsoInstant()
  occurredAt!: string;

  @ApiProperty({
    type: [ReceiptLineDto],
    description: 'Exactly one line per manifest line',
    example: [
      {
        traceCode: EXAMPLE.consolidatedTraceCode,
        receivedKg: 1980,
        acceptedKg: 1800,
        reason: '含水率超标，部分拒收',
      },
    ],
  })
  @IsListOf(ReceiptLineDto, { min: 1, max: 200 })
  lines!: ReceiptLineDto[];

  @OptionalHandler('The receiver’s 经办人 (the 联单’s part 3; table 2’s 贮存部门经办人 of the receiver)')
  handler?: PersonDto;
}

export class ReceiptResultLineDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode })
  traceCode!: string;
  @ApiProperty({
    example: 'partial',
    enum: ['accepted', 'partial', 'rejected', 'lost'],
    description: 'lost: nothing received',
  })
  outcome!: string;
  @ApiProperty({ example: 2000 })
  shippedKg!: number;
  @ApiProperty({ example: 1980 })
  receivedKg!: number;
  @ApiProperty({ example: 1800 })
  acceptedKg!: number;
  @ApiProperty({ example: 180 })
  rejectedKg!: number;
  @ApiProperty({ example: 20 })
  lostKg!: number;
  @ApiProperty({ example: false, description: '|shipped − received| beyond the tolerance (5 %)' })
  discrepancy!: boolean;
  @ApiPropertyOptional({
    example: EXAMPLE_CHILD,
    description: 'The child batch holding the rejected mass, back with the shipper',
  })
  returnedTraceCode?: string;
}

export class ReceiveManifestResponseDto extends ManifestAnswerDto {
  @ApiProperty({ example: 'received' })
  status!: string;
  @ApiProperty({ type: [ReceiptResultLineDto] })
  lines!: ReceiptResultLineDto[];
  @HandlerPersonIdAnswer()
  handlerPersonId?: string;
}
