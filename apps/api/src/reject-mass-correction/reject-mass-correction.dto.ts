import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsCorrectionRequestId, IsFreeText, IsTraceCode } from '../common/validation';

/** The rejection: who rejects is the token, never the body (ADR 0018). */
export class RejectMassCorrectionDto {
  @ApiProperty({ example: '未提供复磅凭证', maxLength: 500 })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;
}

/** A bulk item (`reject-mass-correction`): the body with the path's trace code and request id. */
export class RejectMassCorrectionItemDto extends RejectMassCorrectionDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  @IsTraceCode()
  traceCode!: string;

  @ApiProperty({ example: 'cr-1' })
  @IsCorrectionRequestId()
  requestId!: string;
}

export class RejectMassCorrectionResponseDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  traceCode!: string;
  @ApiProperty({ example: 'cr-1' })
  requestId!: string;
  @ApiProperty({ example: 'rejected', enum: ['rejected'] })
  status!: string;
}
