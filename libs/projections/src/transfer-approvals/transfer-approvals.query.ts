import type { DataSource } from 'typeorm';
import { formatPosition } from '@wasteflow/event-store';
import { ReadModelReader } from '../query/read-model-reader';
import { regionRange, type ReadScope } from '../query/read-scope';
import { gramsToKg } from '../query/values';
import {
  TRANSFER_APPROVALS_PROJECTION,
  transferApprovalDraws,
  transferApprovals,
  type TransferApprovalRow,
} from './transfer-approvals.projection';

/** One approval as GET /v1/transfer-approvals/{approvalNo} shows it. */
export interface TransferApprovalView {
  readonly approvalNo: string;
  readonly shipperUscc: string;
  readonly shipperDistrictCode: string;
  readonly receiverUscc: string;
  readonly receiverDistrictCode: string;
  readonly wasteCodes: readonly string[];
  readonly approvedKg: number;
  readonly drawnKg: number;
  readonly remainingKg: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly grantedAt: string;
  readonly draws: readonly { manifestNo: string; kg: number; occurredAt: string; position: string }[];
  /** Who may read it (the read side's ScopedResource): its parties, their districts, hazardous waste. */
  readonly access: { parties: string[]; districts: string[]; categories: string[] };
}

export interface TransferApprovalPage {
  readonly approvals: readonly Omit<TransferApprovalView, 'draws' | 'access'>[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly position: string;
}

function summaryOf(row: TransferApprovalRow): Omit<TransferApprovalView, 'draws' | 'access'> {
  return {
    approvalNo: row.approvalNo,
    shipperUscc: row.shipperUscc,
    shipperDistrictCode: row.shipperDistrictCode,
    receiverUscc: row.receiverUscc,
    receiverDistrictCode: row.receiverDistrictCode,
    wasteCodes: row.wasteCodes as string[],
    approvedKg: gramsToKg(row.approvedGrams),
    drawnKg: gramsToKg(row.drawnGrams),
    remainingKg: gramsToKg(row.approvedGrams > row.drawnGrams ? row.approvedGrams - row.drawnGrams : 0n),
    validFrom: row.validFrom,
    validTo: row.validTo,
    grantedAt: row.grantedAt,
  };
}

/** Reads the transfer approvals read model; scoping of one approval is the api's (`readScoped`). */
export class TransferApprovalsQuery {
  private readonly reader: ReadModelReader;

  constructor(dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  async approval(approvalNo: string): Promise<TransferApprovalView | undefined> {
    const [row] = await this.reader.select(transferApprovals, 'WHERE approval_no = ?', [approvalNo]);
    if (!row) return undefined;
    const draws = await this.reader.select(
      transferApprovalDraws,
      'WHERE approval_no = ? ORDER BY position',
      [approvalNo],
    );
    return {
      ...summaryOf(row),
      draws: draws.map((d) => ({
        manifestNo: d.manifestNo,
        kg: gramsToKg(d.grams),
        occurredAt: d.occurredAt,
        position: formatPosition(d.position),
      })),
      access: {
        parties: [row.shipperUscc, row.receiverUscc],
        districts: [row.shipperDistrictCode, row.receiverDistrictCode],
        categories: ['hazardous'],
      },
    };
  }

  /**
   * The approvals a scope reads, newest grant first: a party those naming it (shipper or receiver); a
   * regulator for hazardous waste those with either party's district in one of its regions; all for `all`.
   */
  async list(scope: ReadScope, paging: { page: number; pageSize: number }): Promise<TransferApprovalPage> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (scope.kind === 'party') {
      conditions.push('(shipper_uscc = ? OR receiver_uscc = ?)');
      params.push(scope.uscc, scope.uscc);
    } else if (scope.kind === 'regulator') {
      if (!scope.categories.includes('hazardous') || scope.regions.length === 0) conditions.push('1 = 0');
      else {
        const ranges = scope.regions.map(regionRange);
        const inRanges = (column: string) =>
          ranges.map((r) => {
            params.push(r.lo, r.hi);
            return `(${column} >= ? AND ${column} < ?)`;
          });
        conditions.push(
          `(${[...inRanges('shipper_district_code'), ...inRanges('receiver_district_code')].join(' OR ')})`,
        );
      }
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const position = await this.reader.checkpoint(TRANSFER_APPROVALS_PROJECTION);
    const [count] = await this.reader.query(
      `SELECT COUNT(*) AS n FROM ${this.reader.table(transferApprovals)} ${where}`,
      params,
    );
    const offset = (paging.page - 1) * paging.pageSize;
    const rows = await this.reader.select(
      transferApprovals,
      `${where} ORDER BY granted_by DESC LIMIT ${paging.pageSize} OFFSET ${offset}`,
      params,
    );
    return {
      approvals: rows.map(summaryOf),
      page: paging.page,
      pageSize: paging.pageSize,
      total: Number(count?.n ?? 0),
      position: formatPosition(position),
    };
  }
}
