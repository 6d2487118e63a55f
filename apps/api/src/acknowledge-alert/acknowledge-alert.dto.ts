import { ApiProperty } from '@nestjs/swagger';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { AlertAnswerDto } from '../common/write-answers.dto';
import { IsFreeText } from '../common/validation';

export class AcknowledgeAlertDto {
  @ApiProperty({
    example: '车辆途中故障，已于次日送达接受单位',
    maxLength: TEXT_BOUNDS.text,
    description: 'What the party did or will do about it',
  })
  @IsFreeText(TEXT_BOUNDS.text)
  note!: string;
}

export class AcknowledgeAlertResponseDto extends AlertAnswerDto {
  @ApiProperty({ enum: ['acknowledged'] })
  state!: string;
  @ApiProperty({ description: 'The USCC of the acknowledging party' })
  acknowledgedBy!: string;
  @ApiProperty({ example: 'carrier', description: 'Its role on the alert' })
  role!: string;
  @ApiProperty({ example: '2026-03-11T01:00:00.000Z' })
  acknowledgedAt!: string;
}
