import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ALERT_LIFECYCLE_STATES, WASTE_CATEGORIES } from '@wasteflow/domain';
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

  @ApiPropertyOptional({
    enum: ALERT_LIFECYCLE_STATES,
    description:
      'Where people are with it: open (nobody acted), acknowledged (by a party), closed (by a regulator)',
  })
  @IsOptional()
  @IsIn(ALERT_LIFECYCLE_STATES)
  state?: string;

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

export class AlertAcknowledgementDto {
  @ApiProperty({ description: 'USCC of the party that acknowledged it' }) by!: string;
  @ApiProperty({ example: 'carrier', description: 'Its role on the alert' }) role!: string;
  @ApiProperty() at!: string;
  @ApiProperty() note!: string;
}

export class ClosingRegulatorDto {
  @ApiProperty() tokenId!: string;
  @ApiProperty({ type: [String], example: ['3301'] }) districts!: string[];
  @ApiProperty({ type: [String], example: ['hazardous'] }) categories!: string[];
}

export class AlertClosureDto {
  @ApiProperty({ type: ClosingRegulatorDto, description: 'The regulator’s token and its scope then' })
  by!: ClosingRegulatorDto;
  @ApiProperty() at!: string;
  @ApiProperty() finding!: string;
  @ApiProperty({ enum: ['open', 'acknowledged'] }) closedFrom!: string;
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
  @ApiProperty({
    enum: ALERT_LIFECYCLE_STATES,
    description: 'Its life (apart from status): open → acknowledged (a party) → closed (a regulator)',
  })
  state!: string;
  @ApiProperty({ type: AlertAcknowledgementDto, nullable: true })
  acknowledged!: AlertAcknowledgementDto | null;
  @ApiProperty({ type: AlertClosureDto, nullable: true }) closed!: AlertClosureDto | null;
}

export class AlertHistoryStepDto {
  @ApiProperty({ enum: ['acknowledged', 'closed'] }) step!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ example: '1042', description: 'Ledger position of the step’s event' }) position!: string;
  @ApiPropertyOptional({
    description: 'acknowledged: the party’s USCC; closed: the regulator (token, scope)',
  })
  by?: unknown;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional() finding?: string;
  @ApiPropertyOptional({ enum: ['open', 'acknowledged'] }) closedFrom?: string;
}

export class AlertWithHistoryDto extends AlertDto {
  @ApiProperty({
    type: [AlertHistoryStepDto],
    description: 'Each step of its life in order (its events are in GET /v1/audit/streams/alert-<id>)',
  })
  history!: AlertHistoryStepDto[];
  @ApiProperty({ example: '1042' }) position!: string;
}

export class AlertsResponseDto {
  @ApiProperty({ description: 'The clock deadlines were evaluated against' }) asOf!: string;
  @ApiProperty({ type: [AlertDto], description: 'Newest first' }) alerts!: AlertDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ example: '1042' }) position!: string;
}
