import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty } from '@nestjs/swagger';
import { CorrectionDecisionAnswerDto } from '../common/write-answers.dto';
import { IsFreeText } from '../common/validation';

/** The rejection: who rejects is the token, never the body (ADR 0018). */
export class RejectMassCorrectionDto {
  @ApiProperty({ example: '未提供复磅凭证', maxLength: 500 })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;
}

export class RejectMassCorrectionResponseDto extends CorrectionDecisionAnswerDto {
  @ApiProperty({ example: 'rejected', enum: ['rejected'] })
  status!: string;
}
