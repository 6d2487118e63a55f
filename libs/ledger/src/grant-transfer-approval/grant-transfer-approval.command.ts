import {
  decideGrantTransferApproval,
  kgToGrams,
  parseTransferApprovalNo,
  parseUscc,
  partyStream,
  transferApprovalStream,
} from '@wasteflow/domain';
import { partyModel, transferApprovalModel } from '../streams/stream-models';
import { kg, writeOf } from '../use-case/plan-helpers';
import { optional, type UseCase } from '../use-case/use-case';

export interface GrantTransferApprovalInput {
  readonly approvalNo: string;
  readonly shipperUscc: string;
  readonly receiverUscc: string;
  readonly wasteCodes: readonly string[];
  readonly approvedKg: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly occurredAt?: string | null;
}

export type GrantTransferApprovalResult = {
  approvalNo: string;
  shipperUscc: string;
  receiverUscc: string;
  wasteCodes: string[];
  approvedKg: number;
  validFrom: string;
  validTo: string;
};

/**
 * POST /v1/transfer-approvals (the regulator of the shipper's province, 跨省转移审批): TransferApprovalGranted
 * opening `transfer-approval-<no>`. The parties' streams are read, not written: an approval changes nothing
 * of the parties, and a party registered later than it was read is no concern of the grant.
 */
export const grantTransferApproval: UseCase<GrantTransferApprovalInput, GrantTransferApprovalResult> = {
  type: 'grant-transfer-approval',
  action: 'grant cross-province transfer approvals',
  allowed: ['regulator'],
  async plan(input, context, unitOfWork) {
    const principal = context.principal;
    if (principal.kind !== 'regulator') throw new Error('a regulator grants transfer approvals');
    const approvalNo = parseTransferApprovalNo(input.approvalNo);
    const shipperUscc = parseUscc(input.shipperUscc, 'shipperUscc');
    const receiverUscc = parseUscc(input.receiverUscc, 'receiverUscc');
    const stream = transferApprovalStream(approvalNo);
    const approval = await unitOfWork.load(stream, transferApprovalModel);
    const shipper = await unitOfWork.load(partyStream(shipperUscc), partyModel);
    const receiver = await unitOfWork.load(partyStream(receiverUscc), partyModel);
    const events = decideGrantTransferApproval(
      {
        approvalNo,
        shipperUscc,
        receiverUscc,
        wasteCodes: input.wasteCodes,
        approvedGrams: kgToGrams(input.approvedKg, 'approvedKg'),
        validFrom: input.validFrom,
        validTo: input.validTo,
        regulator: {
          tokenId: principal.tokenId,
          districts: principal.districts,
          categories: principal.categories,
        },
        occurredAt: optional(input.occurredAt) ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      { approval: approval.state, shipper: shipper.state, receiver: receiver.state },
      context.options,
    );
    const [granted] = events;
    if (granted.type !== 'TransferApprovalGranted') throw new Error('unexpected decision');
    const d = granted.data;
    return {
      writes: [writeOf(stream, events)],
      result: {
        approvalNo,
        shipperUscc: d.shipperUscc,
        receiverUscc: d.receiverUscc,
        wasteCodes: [...d.wasteCodes],
        approvedKg: kg(d.approvedGrams),
        validFrom: d.validFrom,
        validTo: d.validTo,
      },
    };
  },
};
