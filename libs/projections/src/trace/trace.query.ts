import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BatchNotFound, cstDate, parseInstant, type OriginShare } from '@wasteflow/domain';
import { formatPosition, type JsonValue } from '@wasteflow/event-store';
import { DataSource } from 'typeorm';
import { ReadModelReader } from '../query/read-model-reader';
import { gramsToKg } from '../query/values';
import { TRACE_PROJECTION, type ManifestLinkJson } from './trace.projection';
import {
  traceBatches,
  traceDiscrepancies,
  traceSteps,
  type TraceBatchRow,
  type TraceStepRow,
} from './trace.tables';

export interface TraceOriginShare {
  readonly districtCode: string;
  readonly category: string;
  readonly subtype?: string;
  readonly wasteCode?: string;
  readonly generatedMonth: string;
  readonly kg: number;
}

export interface TraceStep {
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actorUscc: string | null;
  readonly massKg: number;
  readonly manifestNo?: string;
  readonly vehiclePlate?: string;
  readonly operation?: string;
  readonly mode?: string;
  readonly counterpartyUscc?: string;
  readonly reason?: string;
  /** Trace codes this step created or consumed (split children, consolidation inputs or target …). */
  readonly relatedTraceCodes?: readonly string[];
  readonly carrierUscc?: string;
  /** A hand-over (多式联运, BatchHandedOver): where it happened and the leg it starts (2, 3 …). */
  readonly place?: string;
  readonly leg?: number;
  readonly permitNo?: string;
  /** A treatment: the registered facility that treated it (WasteUtilised / WasteDisposed v3). */
  readonly facilityCode?: string;
  /** A correction step (requested, approved, rejected, MassCorrected v2): its request. */
  readonly requestId?: string;
  /** Who approved or rejected a correction request: a party's USCC or a regulator's token id. */
  readonly decidedBy?: CorrectionDeciderJson;
  /** A correction recorded before two-party corrections (MassCorrected v1): the requester's own words. */
  readonly legacyApprovals?: readonly { approverId: string; role: string; approvedAt: string }[];
  readonly late: boolean;
  readonly position: string;
}

export interface CorrectionDeciderJson {
  readonly kind: 'party' | 'regulator';
  readonly uscc?: string;
  readonly tokenId?: string;
}

/**
 * A correction request of a batch (ADR 0018), from its steps: `pending` until approved or rejected;
 * `lapsed` when the batch changed hands (received, or returned to its shipper) while it was pending.
 */
export interface TraceCorrectionRequest {
  readonly requestId: string;
  readonly status: 'pending' | 'approved' | 'rejected' | 'lapsed';
  readonly requestedBy: string;
  readonly deltaKg: number;
  readonly reason: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly decidedAt?: string;
  readonly decidedBy?: CorrectionDeciderJson;
  /** The approver's note or the rejection's reason. */
  readonly decisionReason?: string;
}

export interface TraceDiscrepancy {
  readonly manifestNo: string;
  readonly shippedKg: number;
  readonly receivedKg: number;
  readonly lostKg: number;
  /** Beyond the tolerance (default 5 %): a discrepancy in the regulatory sense. */
  readonly toleranceExceeded: boolean;
}

/** GET /v1/batches/{code} (DESIGN.md §4). */
export interface TraceView {
  readonly traceCode: string;
  readonly category: string;
  readonly subtype: string | null;
  readonly wasteCode: string | null;
  readonly origin: {
    /** The generator; for a consolidated batch, the consolidator (its own creation); children inherit. */
    readonly generatorUscc: string;
    readonly districtCode: string;
    readonly generatedAt: string;
    /** generated | split | consolidated | returned: how this code came to be. */
    readonly creation: string;
    /** Origins of the mass the batch was created with (one for a plain batch, the mix for a consolidation). */
    readonly composition: readonly TraceOriginShare[];
  };
  readonly generatedKg: number;
  readonly heldKg: number;
  readonly custodianUscc: string;
  readonly status: string;
  /** The manifest it is on now (consigned or in transit), or null. */
  readonly openManifest: ManifestLinkJson | null;
  readonly parents: readonly string[];
  readonly children: readonly string[];
  readonly steps: readonly TraceStep[];
  /** Its correction requests, in the order made (two-party corrections, ADR 0018). */
  readonly corrections: readonly TraceCorrectionRequest[];
  readonly discrepancies: readonly TraceDiscrepancy[];
  /** The trace projection's checkpoint when this was read: every event up to it is in the answer. */
  readonly position: string;
}

/** What the access checks need about a batch (see apps/api read-side/scope.ts). */
export interface TraceAccess {
  readonly parties: readonly string[];
  /** The origin district and every district in its composition. */
  readonly districts: readonly string[];
  readonly categories: readonly string[];
}

/** The public page behind the QR code: nothing a public label would not show. */
export interface PublicTraceView {
  readonly traceCode: string;
  readonly category: string;
  readonly subtype: string | null;
  readonly wasteCode: string | null;
  readonly origin: { readonly districtCode: string; readonly generatedOn: string };
  readonly status: string;
  readonly steps: readonly { readonly type: string; readonly date: string }[];
  readonly position: string;
}

export interface TraceResult {
  readonly view: TraceView;
  readonly access: TraceAccess;
}

@Injectable()
export class TraceQuery {
  private readonly reader: ReadModelReader;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  /**
   * What the access checks need about each of `traceCodes` (the feed checks every event it serves), with
   * the checkpoint read first: every batch created up to it is in the map.
   */
  async accessMany(
    traceCodes: readonly string[],
  ): Promise<{ checkpoint: bigint; access: Map<string, TraceAccess> }> {
    return this.reader.accessByKey(TRACE_PROJECTION, traceBatches, 'trace_code', traceCodes, (row) => [
      row.traceCode,
      accessOf(row),
    ]);
  }

  /** The trace projection's checkpoint. */
  async checkpoint(): Promise<bigint> {
    return this.reader.checkpoint(TRACE_PROJECTION);
  }

  /** The trace view of a canonical trace code; BatchNotFound (404) when the read model has no such batch. */
  async find(traceCode: string): Promise<TraceResult> {
    // The checkpoint first: what follows reflects at least that position.
    const checkpoint = await this.reader.checkpoint(TRACE_PROJECTION);
    const [[batch], steps, discrepancies] = await Promise.all([
      this.reader.select(traceBatches, 'WHERE trace_code = ?', [traceCode]),
      this.reader.select(traceSteps, 'WHERE trace_code = ? ORDER BY revision', [traceCode]),
      this.reader.select(traceDiscrepancies, 'WHERE trace_code = ? ORDER BY position, manifest_no', [
        traceCode,
      ]),
    ]);
    if (!batch) throw new BatchNotFound(traceCode);
    const composition = (batch.composition as unknown as OriginShare[]).map(shareOf);
    const view: TraceView = {
      traceCode: batch.traceCode,
      category: batch.category,
      subtype: batch.subtype,
      wasteCode: batch.wasteCode,
      origin: {
        generatorUscc: batch.originUscc,
        districtCode: batch.originDistrict,
        generatedAt: batch.originAt,
        creation: batch.creation,
        composition,
      },
      generatedKg: gramsToKg(batch.generatedGrams),
      heldKg: gramsToKg(batch.heldGrams),
      custodianUscc: batch.custodianUscc,
      status: batch.status,
      openManifest: (batch.openManifest as unknown as ManifestLinkJson | null) ?? null,
      parents: batch.parents as string[],
      children: batch.children as string[],
      steps: steps.map(stepOf),
      corrections: correctionsOf(steps),
      discrepancies: discrepancies.map((d) => ({
        manifestNo: d.manifestNo,
        shippedKg: gramsToKg(d.shippedGrams),
        receivedKg: gramsToKg(d.receivedGrams),
        lostKg: gramsToKg(d.lostGrams),
        toleranceExceeded: d.toleranceExceeded,
      })),
      position: formatPosition(checkpoint),
    };
    return { view, access: accessOf(batch) };
  }

  /**
   * The 产生序号 of a generated batch (HJ 1276-2022's 数字识别码): 1 + the batches its generator generated
   * earlier in the ledger with the same waste code on the same CST day. Undefined for a batch that was not
   * generated (split, consolidated, returned) or has no waste code.
   */
  async generationSerial(traceCode: string): Promise<number | undefined> {
    const [batch] = await this.reader.select(traceBatches, 'WHERE trace_code = ?', [traceCode]);
    if (!batch || batch.creation !== 'generated' || batch.wasteCode === null) return undefined;
    const day = cstDay(batch.originAt);
    const rows = await this.reader.query(
      `SELECT origin_at FROM ${this.reader.table(traceBatches)}
        WHERE origin_uscc = ? AND waste_code = ? AND creation = 'generated' AND created_position < ?`,
      [batch.originUscc, batch.wasteCode, batch.createdPosition],
    );
    return 1 + rows.filter((row) => cstDay(String(row.origin_at)) === day).length;
  }

  /** The public summary (the QR page): category, origin district and day, status, steps' types and days. */
  async findPublic(traceCode: string): Promise<PublicTraceView> {
    const checkpoint = await this.reader.checkpoint(TRACE_PROJECTION);
    const [batch] = await this.reader.select(traceBatches, 'WHERE trace_code = ?', [traceCode]);
    if (!batch) throw new BatchNotFound(traceCode);
    const steps = await this.reader.query(
      `SELECT type, occurred_at FROM ${this.reader.table(traceSteps)} WHERE trace_code = ? ORDER BY revision`,
      [traceCode],
    );
    return {
      traceCode: batch.traceCode,
      category: batch.category,
      subtype: batch.subtype,
      wasteCode: batch.wasteCode,
      origin: { districtCode: batch.originDistrict, generatedOn: cstDay(batch.originAt) },
      status: batch.status,
      // a correction request and its decision are the parties' business; the public sees the correction itself
      steps: steps
        .filter((s) => !CORRECTION_REQUEST_STEPS.has(String(s.type)))
        .map((s) => ({ type: String(s.type), date: cstDay(String(s.occurred_at)) })),
      position: formatPosition(checkpoint),
    };
  }
}

function cstDay(instant: string): string {
  try {
    return cstDate(parseInstant(instant, 'occurredAt'));
  } catch {
    return instant.slice(0, 10);
  }
}

function shareOf(share: OriginShare): TraceOriginShare {
  return {
    districtCode: share.districtCode,
    category: share.category,
    ...(share.subtype !== undefined ? { subtype: share.subtype } : {}),
    ...(share.wasteCode !== undefined ? { wasteCode: share.wasteCode } : {}),
    generatedMonth: share.generatedMonth,
    kg: gramsToKg(share.grams),
  };
}

export function accessOf(
  batch: Pick<TraceBatchRow, 'parties' | 'originDistrict' | 'composition' | 'category'>,
): TraceAccess {
  const districts = new Set<string>([batch.originDistrict]);
  for (const share of batch.composition as unknown as OriginShare[]) districts.add(share.districtCode);
  return { parties: batch.parties as string[], districts: [...districts], categories: [batch.category] };
}

function stepOf(row: TraceStepRow): TraceStep {
  const detail = (row.detail ?? {}) as { [key: string]: JsonValue };
  return {
    type: row.type,
    occurredAt: row.occurredAt,
    recordedAt: row.recordedAt,
    actorUscc: row.actorUscc,
    massKg: gramsToKg(row.massGrams),
    ...(row.manifestNo !== null ? { manifestNo: row.manifestNo } : {}),
    ...(row.vehiclePlate !== null ? { vehiclePlate: row.vehiclePlate } : {}),
    ...(row.operation !== null ? { operation: row.operation } : {}),
    ...(row.mode !== null ? { mode: row.mode } : {}),
    ...(row.counterpartyUscc !== null ? { counterpartyUscc: row.counterpartyUscc } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(Array.isArray(detail.relatedTraceCodes)
      ? { relatedTraceCodes: detail.relatedTraceCodes as string[] }
      : {}),
    ...(typeof detail.carrierUscc === 'string' ? { carrierUscc: detail.carrierUscc } : {}),
    ...(typeof detail.place === 'string' ? { place: detail.place } : {}),
    ...(typeof detail.leg === 'number' ? { leg: detail.leg } : {}),
    ...(typeof detail.permitNo === 'string' ? { permitNo: detail.permitNo } : {}),
    ...(typeof detail.facilityCode === 'string' ? { facilityCode: detail.facilityCode } : {}),
    ...(typeof detail.requestId === 'string' ? { requestId: detail.requestId } : {}),
    ...(isDecider(detail.decidedBy ?? detail.approvedBy)
      ? { decidedBy: (detail.decidedBy ?? detail.approvedBy) as unknown as CorrectionDeciderJson }
      : {}),
    ...(Array.isArray(detail.legacyApprovals)
      ? { legacyApprovals: detail.legacyApprovals as unknown as TraceStep['legacyApprovals'] }
      : {}),
    late: row.late,
    position: formatPosition(row.position),
  };
}

const CORRECTION_REQUEST_STEPS = new Set([
  'MassCorrectionRequested',
  'MassCorrectionApproved',
  'MassCorrectionRejected',
]);

function isDecider(value: JsonValue | undefined): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

/** The correction requests of a batch, folded from its steps (in stream order). */
export function correctionsOf(steps: readonly TraceStepRow[]): TraceCorrectionRequest[] {
  const requests: TraceCorrectionRequest[] = [];
  const at = new Map<string, number>();
  for (const row of steps) {
    const detail = (row.detail ?? {}) as { [key: string]: JsonValue };
    const requestId = typeof detail.requestId === 'string' ? detail.requestId : undefined;
    if (row.type === 'MassCorrectionRequested' && requestId !== undefined) {
      at.set(requestId, requests.length);
      requests.push({
        requestId,
        status: 'pending',
        requestedBy: row.actorUscc ?? '',
        deltaKg: gramsToKg(row.massGrams),
        reason: row.reason ?? '',
        occurredAt: row.occurredAt,
        recordedAt: row.recordedAt,
      });
    } else if (
      (row.type === 'MassCorrectionApproved' || row.type === 'MassCorrectionRejected') &&
      requestId !== undefined &&
      at.has(requestId)
    ) {
      const i = at.get(requestId) as number;
      requests[i] = {
        ...requests[i],
        status: row.type === 'MassCorrectionApproved' ? 'approved' : 'rejected',
        decidedAt: row.recordedAt,
        ...(isDecider(detail.decidedBy)
          ? { decidedBy: detail.decidedBy as unknown as CorrectionDeciderJson }
          : {}),
        ...(row.reason !== null ? { decisionReason: row.reason } : {}),
      };
    } else if (row.type === 'BatchReceived' || row.type === 'BatchReturnedToShipper') {
      // the domain's rule (batch.state.ts): a pending request lapses when the batch changes hands
      for (let i = 0; i < requests.length; i++)
        if (requests[i].status === 'pending') requests[i] = { ...requests[i], status: 'lapsed' };
    }
  }
  return requests;
}
