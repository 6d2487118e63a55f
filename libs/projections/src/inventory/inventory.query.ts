import type { DataSource } from 'typeorm';
import { formatPosition } from '@wasteflow/event-store';
import { INVENTORY_PROJECTION } from './inventory.projection';
import { ReadModelReader, type SqlRow } from '../query/read-model-reader';
import { Conditions, type Paging, type ReadScope } from '../query/read-scope';
import { bigintOf, gramsToKg, textOf } from '../query/values';

export interface InventoryRequest {
  readonly scope: ReadScope;
  /** A holder's USCC (a party scope may only name itself). */
  readonly party?: string;
  /** Holder's district within this region (2, 4 or 6 digits). */
  readonly region?: string;
  readonly category?: string;
  readonly subtype?: string;
  readonly wasteCode?: string;
  readonly paging: Paging;
  /** The query's clock: storage ages are counted up to it. */
  readonly now: Date;
}

export interface InventoryTotal {
  readonly partyUscc: string;
  readonly partyName: string | null;
  readonly districtCode: string | null;
  readonly category: string;
  readonly subtype: string | null;
  readonly wasteCode: string | null;
  /** In the holder's storage (not on a manifest). */
  readonly heldKg: number;
  /** On an open manifest (consigned or picked up), still in the shipper's legal custody. */
  readonly inTransitKg: number;
  readonly batches: number;
}

export interface InventoryBatch {
  readonly traceCode: string;
  readonly holderUscc: string;
  readonly holderName: string | null;
  readonly districtCode: string | null;
  readonly category: string;
  readonly subtype: string | null;
  readonly wasteCode: string | null;
  readonly massKg: number;
  readonly heldKg: number;
  readonly inTransitKg: number;
  /** held | consigned | in_transit */
  readonly status: string;
  readonly manifest: {
    readonly manifestNo: string;
    readonly carrierUscc: string | null;
    readonly receiverUscc: string | null;
  } | null;
  readonly heldSince: string;
  readonly storageSince: string | null;
  /**
   * Whole days, up to `asOf`, since the oldest waste in the batch came to be stored where it is: its receipt
   * by the current receiver (storageSince), or for waste not yet received anywhere its generation (a split,
   * a consolidation or a return does not make waste younger).
   */
  readonly storageAgeDays: number;
}

export interface InventoryAnswer {
  readonly asOf: string;
  readonly summary: { readonly heldKg: number; readonly inTransitKg: number; readonly batches: number };
  readonly totals: readonly InventoryTotal[];
  /** False when there were more than MAX_TOTALS rows of totals (the summary still covers all). */
  readonly totalsComplete: boolean;
  readonly batches: readonly InventoryBatch[];
  readonly page: number;
  readonly pageSize: number;
  /** Batches matching, over all pages. */
  readonly total: number;
  readonly position: string;
}

export const MAX_INVENTORY_TOTALS = 1000;
const DAY_MS = 86_400_000n;

/** Reads the inventory: totals per holder × kind, and the batches page, in one snapshot. */
export class InventoryQuery {
  private readonly reader: ReadModelReader;

  constructor(dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  private conditions(request: InventoryRequest, alias: 't' | 'b'): Conditions {
    const c = new Conditions();
    const scope = request.scope;
    if (scope.kind === 'party') c.add(`${alias}.holder_uscc = ${c.param(scope.uscc)}`);
    if (scope.kind === 'regulator') {
      c.inRegions('p.district_code', scope.regions);
      c.oneOf(`${alias}.category`, scope.categories);
    }
    if (request.party !== undefined) c.add(`${alias}.holder_uscc = ${c.param(request.party)}`);
    if (request.region !== undefined) c.inRegions('p.district_code', [request.region]);
    if (request.category !== undefined) c.add(`${alias}.category = ${c.param(request.category)}`);
    // totals keep '' for none; batches keep null
    if (request.subtype !== undefined) c.add(`${alias}.subtype = ${c.param(request.subtype)}`);
    if (request.wasteCode !== undefined) c.add(`${alias}.waste_code = ${c.param(request.wasteCode)}`);
    return c;
  }

  async inventory(request: InventoryRequest): Promise<InventoryAnswer> {
    const party = this.reader.table('inventory_party');
    const totalsWhere = this.conditions(request, 't').add('t.batches > 0');
    const batchesWhere = this.conditions(request, 'b');
    const { page, pageSize } = request.paging;
    if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1)
      throw new Error('page and pageSize must be positive integers');
    const totalsFrom = `FROM ${this.reader.table('inventory_total')} t LEFT JOIN ${party} p ON p.uscc = t.holder_uscc ${totalsWhere.sql}`;
    const batchesFrom = `FROM ${this.reader.table('inventory_batch')} b LEFT JOIN ${party} p ON p.uscc = b.holder_uscc ${batchesWhere.sql}`;
    const [[checkpoint], summaryRows, totalsRows, countRows, batchRows] = await this.reader.snapshot([
      this.reader.checkpointStatement(INVENTORY_PROJECTION),
      {
        sql: `SELECT CAST(COALESCE(SUM(t.held_grams), 0) AS TEXT) AS held, CAST(COALESCE(SUM(t.in_transit_grams), 0) AS TEXT) AS in_transit,
                     CAST(COALESCE(SUM(t.batches), 0) AS TEXT) AS batches ${totalsFrom}`,
        params: totalsWhere.params,
      },
      {
        sql: `SELECT t.holder_uscc, p.name, p.district_code, t.category, t.subtype, t.waste_code,
                     CAST(t.held_grams AS TEXT) AS held, CAST(t.in_transit_grams AS TEXT) AS in_transit, t.batches
              ${totalsFrom}
              ORDER BY t.holder_uscc, t.category, t.subtype, t.waste_code
              LIMIT ${MAX_INVENTORY_TOTALS + 1}`,
        params: totalsWhere.params,
      },
      { sql: `SELECT COUNT(*) AS n ${batchesFrom}`, params: batchesWhere.params },
      {
        sql: `SELECT b.trace_code, b.holder_uscc, p.name, p.district_code, b.category, b.subtype, b.waste_code,
                     CAST(b.held_grams AS TEXT) AS held, b.status, b.manifest_no, b.carrier_uscc, b.receiver_uscc,
                     b.held_since, b.storage_since, CAST(b.age_from_ms AS TEXT) AS age_from_ms
              ${batchesFrom}
              ORDER BY b.age_from_ms ASC, b.trace_code ASC
              LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params: batchesWhere.params,
      },
    ]);
    const now = BigInt(request.now.getTime());
    const [summary] = summaryRows;
    return {
      asOf: request.now.toISOString(),
      summary: {
        heldKg: gramsToKg(bigintOf(summary.held)),
        inTransitKg: gramsToKg(bigintOf(summary.in_transit)),
        batches: Number(bigintOf(summary.batches)),
      },
      totals: totalsRows.slice(0, MAX_INVENTORY_TOTALS).map(totalOf),
      totalsComplete: totalsRows.length <= MAX_INVENTORY_TOTALS,
      batches: batchRows.map((row) => batchOf(row, now)),
      page,
      pageSize,
      total: Number(bigintOf(countRows[0].n)),
      position: formatPosition(bigintOf(checkpoint.position)),
    };
  }
}

function orNull(value: unknown): string | null {
  const text = textOf(value);
  return text === '' ? null : text;
}

/** What the waste of a row is: its category, subtype and code (the totals' grouping, each batch's). */
function wasteKindOf(row: SqlRow): Pick<InventoryTotal, 'category' | 'subtype' | 'wasteCode'> {
  return {
    category: textOf(row.category) as string,
    subtype: orNull(row.subtype),
    wasteCode: orNull(row.waste_code),
  };
}

function totalOf(row: SqlRow): InventoryTotal {
  return {
    partyUscc: textOf(row.holder_uscc) as string,
    partyName: textOf(row.name),
    districtCode: textOf(row.district_code),
    ...wasteKindOf(row),
    heldKg: gramsToKg(bigintOf(row.held)),
    inTransitKg: gramsToKg(bigintOf(row.in_transit)),
    batches: Number(bigintOf(row.batches)),
  };
}

function batchOf(row: SqlRow, now: bigint): InventoryBatch {
  const grams = bigintOf(row.held);
  const status = textOf(row.status) as string;
  const onManifest = status !== 'held';
  const manifestNo = textOf(row.manifest_no);
  const ageMs = now - bigintOf(row.age_from_ms);
  return {
    traceCode: textOf(row.trace_code) as string,
    holderUscc: textOf(row.holder_uscc) as string,
    holderName: textOf(row.name),
    districtCode: textOf(row.district_code),
    ...wasteKindOf(row),
    massKg: gramsToKg(grams),
    heldKg: onManifest ? 0 : gramsToKg(grams),
    inTransitKg: onManifest ? gramsToKg(grams) : 0,
    status,
    manifest: manifestNo
      ? { manifestNo, carrierUscc: textOf(row.carrier_uscc), receiverUscc: textOf(row.receiver_uscc) }
      : null,
    heldSince: textOf(row.held_since) as string,
    storageSince: textOf(row.storage_since),
    storageAgeDays: ageMs > 0n ? Number(ageMs / DAY_MS) : 0,
  };
}
