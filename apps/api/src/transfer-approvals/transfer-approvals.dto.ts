import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { ValidFromField, ValidToField, OccurredAtField } from '../common/validity-fields';
import { IsMassKg, IsTransferApprovalNo, IsUscc, IsWasteCode, IsList } from '../common/validation';

const APPROVAL_NO_EXAMPLE = '浙环危转〔2026〕12号';
const JIANGSU_RECEIVER_EXAMPLE = '91320583MA2REC0090';

/** 危险废物跨省转移审批 (DESIGN §4 body: approvalNo, shipperUscc, receiverUscc, wasteCodes, approvedKg, validFrom, validTo). */
export class GrantTransferApprovalDto {
  @ApiProperty({
    example: APPROVAL_NO_EXAMPLE,
    maxLength: 64,
    description: 'Letters, digits, CJK characters and - _ . ( ) 〔 〕 （ ） [ ] 【 】 (it is a path segment)',
  })
  @IsTransferApprovalNo()
  approvalNo!: string;

  @ApiProperty({
    example: EXAMPLE.generatorUscc,
    description: 'The shipper, in the granting regulator’s province',
  })
  @IsUscc()
  shipperUscc!: string;

  @ApiProperty({ example: JIANGSU_RECEIVER_EXAMPLE, description: 'The receiver, in another province' })
  @IsUscc()
  receiverUscc!: string;

  @ApiProperty({ example: ['900-249-08'], type: [String], description: 'Waste codes NNN-NNN-NN approved' })
  @IsList({ min: 1, max: 500 }, IsWasteCode({ each: true }))
  wasteCodes!: string[];

  @ApiProperty({ example: 50000, description: 'Approved mass in kg (at most 3 decimals)' })
  @IsMassKg()
  approvedKg!: number;

  @ValidFromField('2026-03-01')
  validFrom!: string;

  @ValidToField('2027-02-28', 'at most 12 months after validFrom')
  validTo!: string;

  @OccurredAtField()
  occurredAt?: string;
}

export class GrantTransferApprovalResponseDto extends WriteResponseDto {
  @ApiProperty({ example: APPROVAL_NO_EXAMPLE }) approvalNo!: string;
  @ApiProperty({ example: EXAMPLE.generatorUscc }) shipperUscc!: string;
  @ApiProperty({ example: JIANGSU_RECEIVER_EXAMPLE }) receiverUscc!: string;
  @ApiProperty({ example: ['900-249-08'] }) wasteCodes!: string[];
  @ApiProperty({ example: 50000 }) approvedKg!: number;
  @ApiProperty({ example: '2026-03-01' }) validFrom!: string;
  @ApiProperty({ example: '2027-02-28' }) validTo!: string;
}

export class TransferApprovalDrawDto {
  @ApiProperty({ example: EXAMPLE.manifestNo }) manifestNo!: string;
  @ApiProperty({ example: 900, description: 'Accepted at the receipt, in kg' }) kg!: number;
  @ApiProperty({ example: '2026-03-05T10:00:00+08:00' }) occurredAt!: string;
  @ApiProperty({ example: '1042' }) position!: string;
}

export class TransferApprovalSummaryDto {
  @ApiProperty({ example: APPROVAL_NO_EXAMPLE }) approvalNo!: string;
  @ApiProperty({ example: EXAMPLE.generatorUscc }) shipperUscc!: string;
  @ApiProperty({ example: '330106' }) shipperDistrictCode!: string;
  @ApiProperty({ example: JIANGSU_RECEIVER_EXAMPLE }) receiverUscc!: string;
  @ApiProperty({ example: '320583' }) receiverDistrictCode!: string;
  @ApiProperty({ example: ['900-249-08'] }) wasteCodes!: string[];
  @ApiProperty({ example: 50000 }) approvedKg!: number;
  @ApiProperty({ example: 900, description: 'Accepted by receipts of manifests under it' }) drawnKg!: number;
  @ApiProperty({ example: 49100, description: 'approvedKg − drawnKg' }) remainingKg!: number;
  @ApiProperty({ example: '2026-03-01' }) validFrom!: string;
  @ApiProperty({ example: '2027-02-28' }) validTo!: string;
  @ApiProperty({ example: '2026-03-01T10:00:00+08:00' }) grantedAt!: string;
}

export class TransferApprovalViewDto extends TransferApprovalSummaryDto {
  @ApiProperty({ type: [TransferApprovalDrawDto] }) draws!: TransferApprovalDrawDto[];
}

export class TransferApprovalPageDto {
  @ApiProperty({ type: [TransferApprovalSummaryDto] }) approvals!: TransferApprovalSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ example: '1042', description: 'The read model’s checkpoint' }) position!: string;
}
