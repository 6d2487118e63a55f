import { TEXT_BOUNDS } from '@wasteflow/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { ManifestAnswerDto } from '../common/write-answers.dto';
import { IsIsoInstant, IsFreeText } from '../common/validation';

export class CancelManifestDto {
  @ApiProperty({ example: '运输车辆故障，改期转移', maxLength: 500 })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-03-02T18:00:00+08:00', description: 'Defaults to now' })
  @IsOptional()
  @IsIsoInstant()
  occurredAt?: string;
}

export class CancelManifestResponseDto extends ManifestAnswerDto {
  @ApiProperty({ example: 'cancelled' })
  status!: string;
  @ApiProperty({ example: [EXAMPLE.consolidatedTraceCode], type: [String], description: 'Batches released' })
  released!: string[];
}
