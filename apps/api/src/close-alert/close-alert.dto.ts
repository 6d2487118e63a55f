import { ApiProperty } from '@nestjs/swagger';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { AlertAnswerDto } from '../common/write-answers.dto';
import { IsFreeText } from '../common/validation';

export class CloseAlertDto {
  @ApiProperty({
    example: '经核实系车辆故障所致，已责令承运单位整改，不予处罚',
    maxLength: TEXT_BOUNDS.text,
    description: 'What the regulator found and decided',
  })
  @IsFreeText(TEXT_BOUNDS.text)
  finding!: string;
}

export class CloseAlertResponseDto extends AlertAnswerDto {
  @ApiProperty({ enum: ['closed'] })
  state!: string;
  @ApiProperty({ enum: ['open', 'acknowledged'], description: 'The state it was closed from' })
  closedFrom!: string;
  @ApiProperty({ example: '2026-03-12T07:00:00.000Z' })
  closedAt!: string;
}
