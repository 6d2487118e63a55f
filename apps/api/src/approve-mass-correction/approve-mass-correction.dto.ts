import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CorrectionDecisionAnswerDto } from '../common/write-answers.dto';
import { IsOptionalFreeText } from '../common/validation';

/** The approval: who approves is the token, never the body (ADR 0018). */
export class ApproveMassCorrectionDto {
  @ApiPropertyOptional({ example: '已核对地磅单', maxLength: 500 })
  @IsOptionalFreeText(TEXT_BOUNDS.text)
  note?: string;
}

export class ApproveMassCorrectionResponseDto extends CorrectionDecisionAnswerDto {
  @ApiProperty({ example: 'approved', enum: ['approved'] })
  status!: string;
  @ApiProperty({ example: -12.5 })
  deltaKg!: number;
  @ApiProperty({ example: 1238 })
  massKgAfter!: number;
}
