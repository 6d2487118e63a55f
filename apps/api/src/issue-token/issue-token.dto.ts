import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { WASTE_CATEGORIES, TEXT_BOUNDS } from '@wasteflow/domain';
import { TOKEN_KINDS } from '@wasteflow/ledger';
import { EXAMPLE } from '../common/examples';
import { WriteResponseDto } from '../common/openapi';
import { IsIsoInstant, IsRegion, IsUscc, IsOptionalFreeText, IsList } from '../common/validation';

/**
 * `{ kind: "party", partyUscc }` | `{ kind: "regulator", districts, categories }` | `{ kind: "auditor" }` |
 * `{ kind: "admin" }`, each with an optional `label`.
 */
export class IssueTokenDto {
  @ApiProperty({ example: 'party', enum: TOKEN_KINDS })
  @IsIn(TOKEN_KINDS)
  kind!: string;

  @ApiPropertyOptional({ example: EXAMPLE.generatorUscc, description: 'kind party: the (registered) party' })
  @ValidateIf((o: IssueTokenDto) => o.kind === 'party' || o.partyUscc !== undefined)
  @IsUscc()
  partyUscc?: string;

  @ApiPropertyOptional({
    example: ['330106', '330108'],
    type: [String],
    description: 'kind regulator: region codes of 2, 4 or 6 digits (province, city, district)',
  })
  @ValidateIf((o: IssueTokenDto) => o.kind === 'regulator' || o.districts !== undefined)
  @IsList({ min: 1, max: 100 }, IsRegion({ each: true }))
  districts?: string[];

  @ApiPropertyOptional({
    example: ['hazardous', 'industrial'],
    enum: WASTE_CATEGORIES,
    isArray: true,
    description: 'kind regulator: the categories it oversees',
  })
  @ValidateIf((o: IssueTokenDto) => o.kind === 'regulator' || o.categories !== undefined)
  @IsList({ min: 1, max: 5 }, IsIn(WASTE_CATEGORIES, { each: true }))
  categories?: string[];

  @ApiPropertyOptional({ example: '西湖精细化工 ERP 接口', maxLength: 100 })
  @IsOptionalFreeText(TEXT_BOUNDS.label)
  label?: string;

  @ApiPropertyOptional({
    example: '2026-12-31T23:59:59+08:00',
    description:
      'When the token stops authenticating: in the future, at most (and by default) one year after issue',
  })
  @IsOptional()
  @IsIsoInstant()
  expiresAt?: string;
}

export class IssueTokenResponseDto extends WriteResponseDto {
  @ApiPropertyOptional({
    example: 'wf_k3q9x2m7v4p8t6r1w5n0_Qm9wZ3Rva2VuLXNlY3JldC1leGFtcGxlLW9ubHktMDEyMzQ1Njc',
    description:
      'The bearer token, shown in the first answer only: the ledger keeps only the SHA-256 of its secret, so a replay of the request answers without it',
  })
  token?: string;
  @ApiProperty({ example: 'k3q9x2m7v4p8t6r1w5n0', description: 'Names the stream token-<tokenId>' })
  tokenId!: string;
  @ApiProperty({ example: 'party', enum: TOKEN_KINDS })
  kind!: string;
  @ApiPropertyOptional({ example: EXAMPLE.generatorUscc })
  partyUscc?: string;
  @ApiPropertyOptional({ example: ['330106', '330108'] })
  districts?: string[];
  @ApiPropertyOptional({ example: ['hazardous', 'industrial'] })
  categories?: string[];
  @ApiProperty({ example: '西湖精细化工 ERP 接口', nullable: true })
  label!: string | null;
  @ApiProperty({ example: '2027-03-02T02:00:00.000Z', description: 'When the token stops authenticating' })
  expiresAt!: string;
}
