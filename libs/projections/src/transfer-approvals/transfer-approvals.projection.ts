import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { RecordedEvent } from '@wasteflow/event-store';
import { upcast, type DomainEvent } from '@wasteflow/domain';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import { defineProjection } from '../runner/projection';
import type { KeyCollector, RowAccess } from '../runner/row-access';
import { defineTable, type RowOf } from '../runner/table';

/**
 * Cross-province transfer approvals (跨省转移审批, issue 16 item 4) as the read side shows them: one row per
 * approval with its parties, their districts (the scope: the shipper, the receiver, regulators of either
 * side), codes, validity and the approved, drawn and remaining mass; one row per draw (a receipt of a
 * manifest that named it).
 */
export const transferApprovals = defineTable({
  name: 'transfer_approval',
  key: ['approvalNo'],
  columns: {
    approvalNo: 'text',
    shipperUscc: 'text',
    shipperDistrictCode: 'text',
    receiverUscc: 'text',
    receiverDistrictCode: 'text',
    wasteCodes: 'json',
    approvedGrams: 'bigint',
    drawnGrams: 'bigint',
    validFrom: 'text',
    validTo: 'text',
    grantedAt: 'text',
    /** Position of the grant: the list's order. */
    grantedBy: 'bigint',
  },
});

export const transferApprovalDraws = defineTable({
  name: 'transfer_approval_draw',
  key: ['approvalNo', 'position'],
  columns: {
    approvalNo: 'text',
    position: 'bigint',
    manifestNo: 'text',
    grams: 'bigint',
    occurredAt: 'text',
  },
});

export type TransferApprovalRow = RowOf<typeof transferApprovals>;

export const TRANSFER_APPROVALS_PROJECTION = 'transfer-approvals';

export class TransferApprovalTables1765000000600 implements MigrationInterface {
  readonly name = 'TransferApprovalTables1765000000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = isPostgres(queryRunner) ? 'jsonb' : 'TEXT';
    const approval = readModelTable(queryRunner, 'transfer_approval');
    const draw = readModelTable(queryRunner, 'transfer_approval_draw');
    await queryRunner.query(
      `CREATE TABLE ${approval} (
         approval_no text PRIMARY KEY,
         shipper_uscc text NOT NULL,
         shipper_district_code text NOT NULL,
         receiver_uscc text NOT NULL,
         receiver_district_code text NOT NULL,
         waste_codes ${json} NOT NULL,
         approved_grams bigint NOT NULL,
         drawn_grams bigint NOT NULL,
         valid_from text NOT NULL,
         valid_to text NOT NULL,
         granted_at text NOT NULL,
         granted_by bigint NOT NULL
       )`,
    );
    await queryRunner.query(`CREATE INDEX transfer_approval_granted ON ${approval} (granted_by)`);
    await queryRunner.query(
      `CREATE TABLE ${draw} (
         approval_no text NOT NULL,
         position bigint NOT NULL,
         manifest_no text NOT NULL,
         grams bigint NOT NULL,
         occurred_at text NOT NULL,
         PRIMARY KEY (approval_no, position)
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['transfer_approval_draw', 'transfer_approval'])
      await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, name)}`);
  }
}

export async function evolveTransferApprovals(rows: RowAccess, recorded: RecordedEvent): Promise<void> {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  switch (event.type) {
    case 'TransferApprovalGranted': {
      const d = event.data;
      rows.put(transferApprovals, {
        approvalNo: d.approvalNo,
        shipperUscc: d.shipperUscc,
        shipperDistrictCode: d.shipperDistrictCode,
        receiverUscc: d.receiverUscc,
        receiverDistrictCode: d.receiverDistrictCode,
        wasteCodes: [...d.wasteCodes],
        approvedGrams: BigInt(d.approvedGrams),
        drawnGrams: 0n,
        validFrom: d.validFrom,
        validTo: d.validTo,
        grantedAt: d.occurredAt,
        grantedBy: recorded.position,
      });
      return;
    }
    case 'TransferApprovalDrawn': {
      const d = event.data;
      const approval = await rows.get(transferApprovals, { approvalNo: d.approvalNo });
      if (approval) rows.put(transferApprovals, { ...approval, drawnGrams: BigInt(d.drawnGramsAfter) });
      rows.put(transferApprovalDraws, {
        approvalNo: d.approvalNo,
        position: recorded.position,
        manifestNo: d.manifestNo,
        grams: BigInt(d.grams),
        occurredAt: d.occurredAt,
      });
      return;
    }
    default:
      return;
  }
}

export const transferApprovalsProjection = defineProjection({
  name: TRANSFER_APPROVALS_PROJECTION,
  eventTypes: ['TransferApprovalGranted', 'TransferApprovalDrawn'],
  tables: [transferApprovals, transferApprovalDraws],
  migrations: [TransferApprovalTables1765000000600],
  prefetch(event: RecordedEvent, keys: KeyCollector) {
    const approvalNo = event.data.approvalNo;
    if (event.type === 'TransferApprovalDrawn' && typeof approvalNo === 'string')
      keys.want(transferApprovals, { approvalNo });
  },
  evolve: evolveTransferApprovals,
});
