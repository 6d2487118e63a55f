import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import {
  IsIsoInstant,
  IsMassKg,
  IsTraceCode,
  IsTransferApprovalNo,
  IsUscc,
  IsListOf,
} from '../common/validation';

export class ManifestLineDto {
  @ApiProperty({ example: EXAMPLE.consolidatedTraceCode })
  @IsTraceCode()
  traceCode!: string;

  @ApiPropertyOptional({
    example: 2000,
    description:
      'When given, must equal the held mass: a line ships the whole batch (split first to ship part of it)',
  })
  @IsOptional()
  @IsMassKg()
  massKg?: number;
}

/** 转移联单: the shipper (the token's party) holds every batch on it. */
export class IssueManifestDto {
  @ApiProperty({
    type: [ManifestLineDto],
    example: [{ traceCode: EXAMPLE.consolidatedTraceCode, massKg: 2000 }],
  })
  @IsListOf(ManifestLineDto, { min: 1, max: 200 })
  lines!: ManifestLineDto[];

  @ApiProperty({ example: EXAMPLE.carrierUscc, description: 'A party with the carrier role' })
  @IsUscc()
  carrierUscc!: string;

  @ApiProperty({
    example: EXAMPLE.receiverUscc,
    description:
      'A party with the receiver or collector role; for hazardous waste with a valid permit covering it',
  })
  @IsUscc()
  receiverUscc!: string;

  @ApiProperty({ example: EXAMPLE.plannedAt, description: 'Planned pickup' })
  @IsIsoInstant()
  plannedAt!: string;

  @ApiPropertyOptional({
    example: '2026-03-02T17:00:00+08:00',
    description: 'When it was issued; defaults to now',
  })
  @IsOptional()
  @IsIsoInstant()
  occurredAt?: string;

  @ApiPropertyOptional({
    example: true,
    description:
      'Run on paper during an outage and back-filled now (纸质联单补录): give the real times (this occurredAt, ' +
      'and the pickup and receipt as they happened); a pickup entered more than 10 working days after it ' +
      'happened raises a late_entry alert',
  })
  @IsOptional()
  @IsBoolean()
  paper?: boolean;

  @ApiPropertyOptional({
    example: '浙环危转〔2026〕12号',
    description:
      'The cross-province transfer approval (跨省转移审批, POST /v1/transfer-approvals): required for hazardous ' +
      'waste to a receiver in another province (422 transfer-approval-required), refused on any other manifest ' +
      '(transfer-approval-not-applicable); it must be granted to this shipper (else transfer-approval-unknown), ' +
      'for this receiver and every code (transfer-approval-not-covering), valid at occurredAt ' +
      '(transfer-approval-not-valid), with the manifest’s mass left (transfer-approval-exceeded). The receipt draws ' +
      'the accepted mass on it.',
  })
  @IsOptional()
  @IsTransferApprovalNo()
  transferApprovalNo?: string;
}

export class IssueManifestResponseDto extends WriteResponseDto {
  @ApiProperty({
    example: EXAMPLE.manifestNo,
    description: '14 digits: year (CST) + province + city of the shipper + serial within the city',
  })
  manifestNo!: string;
  @ApiProperty({ example: EXAMPLE.generatorUscc })
  shipperUscc!: string;
  @ApiProperty({ example: EXAMPLE.carrierUscc })
  carrierUscc!: string;
  @ApiProperty({ example: EXAMPLE.receiverUscc })
  receiverUscc!: string;
  @ApiProperty({ example: EXAMPLE.plannedAt })
  plannedAt!: string;
  @ApiProperty({ example: [{ traceCode: EXAMPLE.consolidatedTraceCode, massKg: 2000 }] })
  lines!: ManifestLineDto[];
  @ApiProperty({ example: 2000 })
  totalKg!: number;
  @ApiPropertyOptional({
    example: '浙环危转〔2026〕12号',
    description: 'The transfer approval it moves under',
  })
  transferApprovalNo?: string;
}
