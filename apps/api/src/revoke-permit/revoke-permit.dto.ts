import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PermitAnswerDto } from '../common/write-answers.dto';
import { IsIsoInstant, IsFreeText } from '../common/validation';

export class RevokePermitDto {
  @ApiProperty({ example: '超出许可范围经营，责令整改', maxLength: 500 })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;

  @ApiPropertyOptional({
    example: '2026-03-05T09:00:00+08:00',
    description: 'When the revocation takes effect (the permit is not valid from then on); defaults to now',
  })
  @IsOptional()
  @IsIsoInstant()
  occurredAt?: string;
}

export class RevokePermitResponseDto extends PermitAnswerDto {
  @ApiProperty({ example: '2026-03-05T09:00:00+08:00' })
  revokedAt!: string;
}
