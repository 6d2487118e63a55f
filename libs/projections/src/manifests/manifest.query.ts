import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isManifestOverdue, ManifestNotFound } from '@wasteflow/domain';
import { formatPosition } from '@wasteflow/event-store';
import { DataSource } from 'typeorm';
import { ReadModelReader } from '../query/read-model-reader';
import { gramsToKg } from '../query/values';
import {
  MANIFESTS_PROJECTION,
  legsOf,
  type ManifestLineJson,
  type ManifestPartiesJson,
} from './manifest.projection';
import { manifestViews, type ManifestViewRow } from './manifest.tables';
import type { ReadScope } from '../query/read-scope';

export const MANIFEST_STATUSES = ['issued', 'picked_up', 'received', 'cancelled'] as const;
export type ManifestStatusFilter = (typeof MANIFEST_STATUSES)[number];

export interface ManifestLineView {
  readonly traceCode: string;
  readonly category: string;
  readonly subtype?: string;
  readonly wasteCode?: string;
  readonly shippedKg: number;
  /** As weighed at pickup, when the carrier weighed this line. */
  readonly pickupWeighedKg?: number;
  /** That weighing differed from the shipped mass beyond the tolerance. */
  readonly pickupDiscrepancy?: boolean;
  /** From the receipt (absent before it). */
  readonly receivedKg?: number;
  readonly acceptedKg?: number;
  readonly rejectedKg?: number;
  readonly lostKg?: number;
  /** accepted | partial | rejected | lost (nothing received) */
  readonly outcome?: string;
  readonly reason?: string;
  /** |shipped − received| beyond the tolerance. */
  readonly discrepancy?: boolean;
}

/** One leg of the journey (多式联运): leg 1 from pickup, each hand-over starts the next. */
export interface ManifestLegView {
  readonly leg: number;
  readonly carrier: { readonly uscc: string; readonly name: string | null };
  readonly vehiclePlate: string;
  /** When the leg started: the pickup, or the hand-over. */
  readonly startedAt: string;
  /** Where the hand-over that started it happened (absent for leg 1). */
  readonly place?: string;
}

/** GET /v1/manifests/{no}. */
export interface ManifestView {
  readonly manifestNo: string;
  readonly status: string;
  readonly shipper: ManifestPartiesJson['shipper'];
  readonly carrier: ManifestPartiesJson['carrier'];
  readonly receiver: ManifestPartiesJson['receiver'];
  /** Every leg since pickup, in order; the last one's carrier holds the manifest (empty before pickup). */
  readonly legs: readonly ManifestLegView[];
  /** The carrier holding it now (the last leg's; the named carrier before pickup). */
  readonly currentCarrierUscc: string;
  readonly hazardous: boolean;
  readonly categories: readonly string[];
  readonly plannedAt: string;
  readonly issuedAt: string;
  readonly pickedUpAt: string | null;
  readonly vehiclePlate: string | null;
  readonly weighedKg: number | null;
  readonly receivedAt: string | null;
  readonly cancelledAt: string | null;
  readonly cancelReason: string | null;
  readonly totalKg: number;
  readonly lines: readonly ManifestLineView[];
  /** A weighing at pickup (the load or a line) or a line's receipt differed from what was shipped beyond the tolerance. */
  readonly discrepancy: boolean;
  /** Receipt due (危险废物转移管理办法 Art. 18: 5 working days after pickup); null before pickup. */
  readonly dueAt: string | null;
  /** Not received by dueAt (still open past it, or received after it), as of the query time. */
  readonly overdue: boolean;
  readonly late: boolean;
  readonly position: string;
}

export type ManifestSummary = Omit<ManifestView, 'lines' | 'position'> & { readonly lineCount: number };

export interface ManifestAccess {
  readonly parties: readonly string[];
  /** The shipper's and the receiver's districts. */
  readonly districts: readonly string[];
  readonly categories: readonly string[];
}

/** Who the list runs for: a ReadScope whose party is named as the api's ListScope names it (`partyUscc`). */
export type ManifestListScope =
  Exclude<ReadScope, { readonly kind: 'party' }> | { readonly kind: 'party'; readonly partyUscc: string };

export interface ManifestListFilters {
  /** Manifests this party is on (shipper, carrier or receiver). */
  readonly party?: string;
  readonly status?: ManifestStatusFilter;
  /** Issued at or after (epoch ms). */
  readonly fromMs?: number;
  /** Issued before (epoch ms, exclusive). */
  readonly toMs?: number;
  /** Shipper's or receiver's district within this region (2, 4 or 6 digits). */
  readonly region?: string;
  readonly category?: string;
  /** Only overdue (true) or only not overdue (false), as of `now`. */
  readonly overdue?: boolean;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface ManifestPage {
  readonly items: readonly ManifestSummary[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly position: string;
}

@Injectable()
export class ManifestQuery {
  private readonly reader: ReadModelReader;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  /** What the access checks need about each of `manifestNos` (see TraceQuery.accessMany). */
  async accessMany(
    manifestNos: readonly string[],
  ): Promise<{ checkpoint: bigint; access: Map<string, ManifestAccess> }> {
    return this.reader.accessByKey(MANIFESTS_PROJECTION, manifestViews, 'manifest_no', manifestNos, (row) => [
      row.manifestNo,
      accessOf(row),
    ]);
  }

  /** The manifests projection's checkpoint. */
  async checkpoint(): Promise<bigint> {
    return this.reader.checkpoint(MANIFESTS_PROJECTION);
  }

  /** ManifestNotFound (404) when the read model has no such manifest. `now` decides `overdue`. */
  async find(manifestNo: string, now: Date): Promise<{ view: ManifestView; access: ManifestAccess }> {
    const checkpoint = await this.reader.checkpoint(MANIFESTS_PROJECTION);
    const [row] = await this.reader.select(manifestViews, 'WHERE manifest_no = ?', [manifestNo]);
    if (!row) throw new ManifestNotFound(manifestNo);
    const { lineCount: _lineCount, ...summary } = summaryOf(row, now);
    const view: ManifestView = {
      ...summary,
      lines: (row.lines as unknown as ManifestLineJson[]).map(lineOf),
      position: formatPosition(checkpoint),
    };
    return { view, access: accessOf(row) };
  }

  async list(scope: ManifestListScope, filters: ManifestListFilters, now: Date): Promise<ManifestPage> {
    const checkpoint = await this.reader.checkpoint(MANIFESTS_PROJECTION);
    const where: string[] = [];
    const params: unknown[] = [];
    const onParty = (uscc: string) => {
      // every carrier of a leg (多式联运) has the manifest on its list
      where.push('(shipper_uscc = ? OR carrier_uscc = ? OR receiver_uscc = ? OR carriers LIKE ?)');
      params.push(uscc, uscc, uscc, `%,${uscc},%`);
    };
    const inRegions = (regions: readonly string[]) => {
      const alternatives = regions.flatMap((region) =>
        ['shipper_district LIKE ?', 'receiver_district LIKE ?'].map((c) => [c, `${region}%`]),
      );
      where.push(`(${alternatives.map(([c]) => c).join(' OR ')})`);
      params.push(...alternatives.map(([, p]) => p));
    };
    const inCategories = (categories: readonly string[]) => {
      where.push(`(${categories.map(() => 'categories LIKE ?').join(' OR ')})`);
      params.push(...categories.map((c) => `%,${c},%`));
    };
    if (scope.kind === 'party') onParty(scope.partyUscc);
    if (scope.kind === 'regulator') {
      if (scope.regions.length === 0 || scope.categories.length === 0) return emptyPage(filters, checkpoint);
      inRegions(scope.regions);
      inCategories(scope.categories);
    }
    if (filters.party !== undefined) onParty(filters.party);
    if (filters.status !== undefined) {
      where.push('status = ?');
      params.push(filters.status);
    }
    if (filters.fromMs !== undefined) {
      where.push('issued_at_ms >= ?');
      params.push(BigInt(filters.fromMs));
    }
    if (filters.toMs !== undefined) {
      where.push('issued_at_ms < ?');
      params.push(BigInt(filters.toMs));
    }
    if (filters.region !== undefined) inRegions([filters.region]);
    if (filters.category !== undefined) inCategories([filters.category]);
    if (filters.overdue !== undefined) {
      // isManifestOverdue: min(receivedAt, now) >= dueAt, i.e. due by now and not received before it
      const overdue =
        '(due_at_ms IS NOT NULL AND due_at_ms <= ? AND (received_at_ms IS NULL OR received_at_ms >= due_at_ms))';
      where.push(filters.overdue ? overdue : `NOT ${overdue}`);
      params.push(BigInt(now.getTime()));
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const offset = (filters.page - 1) * filters.pageSize;
    const [counted, rows] = await Promise.all([
      this.reader.query(`SELECT COUNT(*) AS n FROM ${this.reader.table(manifestViews)} ${clause}`, params),
      this.reader.select(
        manifestViews,
        `${clause} ORDER BY issued_at_ms DESC, manifest_no DESC LIMIT ? OFFSET ?`,
        [...params, filters.pageSize, offset],
      ),
    ]);
    return {
      items: rows.map((row) => summaryOf(row, now)),
      page: filters.page,
      pageSize: filters.pageSize,
      total: Number(counted[0].n),
      position: formatPosition(checkpoint),
    };
  }
}

function emptyPage(filters: ManifestListFilters, checkpoint: bigint): ManifestPage {
  return {
    items: [],
    page: filters.page,
    pageSize: filters.pageSize,
    total: 0,
    position: formatPosition(checkpoint),
  };
}

function overdueOf(row: ManifestViewRow, now: Date): boolean {
  if (row.pickedUpAt === null || row.status === 'cancelled') return false;
  if (row.dueAt === null) return false;
  return isManifestOverdue(row.dueAt, row.receivedAt ?? undefined, now.toISOString());
}

function summaryOf(row: ManifestViewRow, now: Date): ManifestSummary {
  const parties = row.parties as unknown as ManifestPartiesJson;
  const legs = legsOf(row).map((l): ManifestLegView => ({
    leg: l.leg,
    carrier: { uscc: l.carrierUscc, name: l.carrierName },
    vehiclePlate: l.vehiclePlate,
    startedAt: l.occurredAt,
    ...(l.place !== undefined ? { place: l.place } : {}),
  }));
  return {
    manifestNo: row.manifestNo,
    status: row.status,
    shipper: parties.shipper,
    carrier: parties.carrier,
    receiver: parties.receiver,
    legs,
    currentCarrierUscc: legs.length > 0 ? legs[legs.length - 1].carrier.uscc : row.carrierUscc,
    hazardous: row.hazardous,
    categories: row.categories.split(',').filter((c) => c !== ''),
    plannedAt: row.plannedAt,
    issuedAt: row.issuedAt,
    pickedUpAt: row.pickedUpAt,
    vehiclePlate: row.vehiclePlate,
    weighedKg: row.weighedGrams === null ? null : gramsToKg(row.weighedGrams),
    receivedAt: row.receivedAt,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    totalKg: gramsToKg(row.totalGrams),
    lineCount: (row.lines as unknown as ManifestLineJson[]).length,
    discrepancy: row.discrepancy,
    dueAt: row.dueAt,
    overdue: overdueOf(row, now),
    late: row.late,
  };
}

function lineOf(line: ManifestLineJson): ManifestLineView {
  return {
    traceCode: line.traceCode,
    category: line.category,
    ...(line.subtype !== undefined ? { subtype: line.subtype } : {}),
    ...(line.wasteCode !== undefined ? { wasteCode: line.wasteCode } : {}),
    shippedKg: gramsToKg(line.shippedGrams),
    ...(line.pickupWeighedGrams !== undefined
      ? {
          pickupWeighedKg: gramsToKg(line.pickupWeighedGrams),
          pickupDiscrepancy: line.pickupDiscrepancy ?? false,
        }
      : {}),
    ...(line.receivedGrams !== undefined
      ? {
          receivedKg: gramsToKg(line.receivedGrams),
          acceptedKg: gramsToKg(line.acceptedGrams ?? 0),
          rejectedKg: gramsToKg(line.rejectedGrams ?? 0),
          lostKg: gramsToKg(line.lostGrams ?? 0),
          outcome: line.outcome,
          ...(line.reason !== undefined ? { reason: line.reason } : {}),
          discrepancy: line.discrepancy ?? false,
        }
      : {}),
  };
}

function accessOf(row: ManifestViewRow): ManifestAccess {
  return {
    parties: [
      ...new Set([
        row.shipperUscc,
        row.carrierUscc,
        row.receiverUscc,
        ...legsOf(row).map((l) => l.carrierUscc),
      ]),
    ],
    districts: [row.shipperDistrict, row.receiverDistrict].filter((d): d is string => d !== null),
    categories: row.categories.split(',').filter((c) => c !== ''),
  };
}
