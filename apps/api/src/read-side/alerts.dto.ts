import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { WASTE_CATEGORIES } from '@wasteflow/domain';
import { ALERT_KINDS } from '@wasteflow/projections';
import { IsRegion, IsUscc } from '../common/validation';
import { PagedReadQueryDto } from './inventory.dto';

/** GET /v1/alerts */
export class AlertsQueryDto extends PagedReadQueryDto {
  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved'], description: 'As of the time of the request' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: string;

  @ApiPropertyOptional({ description: 'Alerts naming this party (a party token: only itself)' })
  @IsOptional()
  @IsUscc()
  party?: string;

  @ApiPropertyOptional({
    example: '3301',
    description: 'Alerts with a party in this region (2, 4 or 6 digits)',
  })
  @IsOptional()
  @IsRegion()
  region?: string;

  @ApiPropertyOptional({ enum: WASTE_CATEGORIES })
  @IsOptional()
  @IsIn(WASTE_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({
    example: '2026-03',
    description: 'raisedAt from: a CST month (YYYY-MM), day (YYYY-MM-DD) or an ISO 8601 time',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-31',
    description: 'raisedAt to the end of: a CST month, day, or an ISO 8601 time (inclusive)',
  })
  @IsOptional()
  @IsString()
  to?: string;
}

export class AlertPartyDto {
  @ApiProperty() uscc!: string;
  @ApiProperty({
    example: 'shipper',
    enum: ['shipper', 'carrier', 'receiver', 'holder', 'generator', 'custodian'],
  })
  role!: string;
  @ApiProperty({ example: '330106' }) districtCode!: string;
}

export class AlertSubjectDto {
  @ApiPropertyOptional({ example: '20263301000001' }) manifestNo?: string;
  @ApiPropertyOptional() traceCode?: string;
}

export class AlertDto {
  @ApiProperty({ example: 'overdue_manifest:20263301000001' }) id!: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiProperty({ type: AlertSubjectDto }) subject!: AlertSubjectDto;
  @ApiProperty({ type: [AlertPartyDto], description: 'The party the alert is first about comes first' })
  parties!: AlertPartyDto[];
  @ApiProperty({ example: '330106', description: 'District of the first party' }) district!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a manifest of several categories' })
  category!: string | null;
  @ApiProperty({ type: [String] }) categories!: string[];
  @ApiProperty({ description: 'The deadline (overdue kinds) or the time of the event' }) raisedAt!: string;
  @ApiProperty({ nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ type: Object, description: 'Kind-specific: masses, deadlines, times, delays' })
  details!: Record<string, unknown>;
}

export class AlertsResponseDto {
  @ApiProperty({ description: 'The clock deadlines were evaluated against' }) asOf!: string;
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) alerts!: AlertDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ example: '1042' }) position!: string;
}
