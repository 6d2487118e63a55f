import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { WASTE_CATEGORIES } from '@wasteflow/domain';
import { MAX_READ_MODEL_PAGE_SIZE } from '@wasteflow/projections';
import { IsRegion, IsUscc, IsWasteCode } from '../common/validation';
import { ReadQueryDto } from './indicators.dto';

/** Paging of the read lists: page from 1, pageSize 1–500 (default 50). */
export class PagedReadQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: 1, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: MAX_READ_MODEL_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_READ_MODEL_PAGE_SIZE)
  pageSize?: number;
}

/** The page a list query asks for, with the defaults (page 1 of 50). */
export function pagingOf(query: PagedReadQueryDto): { readonly page: number; readonly pageSize: number } {
  return { page: query.page ?? 1, pageSize: query.pageSize ?? 50 };
}

/** GET /v1/inventory */
export class InventoryQueryDto extends PagedReadQueryDto {
  @ApiPropertyOptional({
    example: '91330106MA27Y5XK0X',
    description: 'The holder (a party token: only itself)',
  })
  @IsOptional()
  @IsUscc()
  party?: string;

  @ApiPropertyOptional({
    example: '3301',
    description: "Holder's district within this region (2, 4 or 6 digits)",
  })
  @IsOptional()
  @IsRegion()
  region?: string;

  @ApiPropertyOptional({ enum: WASTE_CATEGORIES, example: 'hazardous' })
  @IsOptional()
  @IsIn(WASTE_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ example: 'slag' })
  @IsOptional()
  @IsString()
  subtype?: string;

  @ApiPropertyOptional({ example: '900-249-08' })
  @IsOptional()
  @IsWasteCode()
  wasteCode?: string;
}

export class InventoryTotalDto {
  @ApiProperty() partyUscc!: string;
  @ApiProperty({ nullable: true, type: String }) partyName!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '330106' }) districtCode!: string | null;
  @ApiProperty({ example: 'hazardous' }) category!: string;
  @ApiProperty({ nullable: true, type: String }) subtype!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '900-249-08' }) wasteCode!: string | null;
  @ApiProperty({ example: 1200.5, description: 'In its storage (not on a manifest)' }) heldKg!: number;
  @ApiProperty({
    example: 300,
    description: 'On an open manifest (consigned or picked up), still in its legal custody',
  })
  inTransitKg!: number;
  @ApiProperty({ example: 3 }) batches!: number;
}

export class InventoryManifestDto {
  @ApiProperty({ example: '20263301000001' }) manifestNo!: string;
  @ApiProperty({ nullable: true, type: String }) carrierUscc!: string | null;
  @ApiProperty({ nullable: true, type: String }) receiverUscc!: string | null;
}

export class InventoryBatchDto {
  @ApiProperty() traceCode!: string;
  @ApiProperty() holderUscc!: string;
  @ApiProperty({ nullable: true, type: String }) holderName!: string | null;
  @ApiProperty({ nullable: true, type: String }) districtCode!: string | null;
  @ApiProperty() category!: string;
  @ApiProperty({ nullable: true, type: String }) subtype!: string | null;
  @ApiProperty({ nullable: true, type: String }) wasteCode!: string | null;
  @ApiProperty({ example: 300 }) massKg!: number;
  @ApiProperty({ example: 0 }) heldKg!: number;
  @ApiProperty({ example: 300 }) inTransitKg!: number;
  @ApiProperty({ enum: ['held', 'consigned', 'in_transit'] }) status!: string;
  @ApiProperty({ type: InventoryManifestDto, nullable: true }) manifest!: InventoryManifestDto | null;
  @ApiProperty({ example: '2026-03-02T09:00:00+08:00' }) heldSince!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Receipt by the current receiver (storage start)',
  })
  storageSince!: string | null;
  @ApiProperty({
    example: 12,
    description: 'Whole days up to asOf since the oldest waste in it was stored where it is',
  })
  storageAgeDays!: number;
}

export class InventorySummaryDto {
  @ApiProperty() heldKg!: number;
  @ApiProperty() inTransitKg!: number;
  @ApiProperty() batches!: number;
}

export class InventoryResponseDto {
  @ApiProperty({ example: '2026-03-14T02:00:00.000Z', description: 'The clock storage ages were counted to' })
  asOf!: string;
  @ApiProperty({ type: InventorySummaryDto }) summary!: InventorySummaryDto;
  @ApiProperty({
    type: [InventoryTotalDto],
    description: 'By holder × category × subtype × waste code (at most 1000 rows)',
  })
  totals!: InventoryTotalDto[];
  @ApiProperty() totalsComplete!: boolean;
  @ApiProperty({ type: [InventoryBatchDto], description: 'Oldest first' }) batches!: InventoryBatchDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Batches matching, over all pages' }) total!: number;
  @ApiProperty({ example: '1042' }) position!: string;
}
