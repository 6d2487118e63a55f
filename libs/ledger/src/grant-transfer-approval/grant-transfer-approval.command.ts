import {
  decideGrantTransferApproval,
  kgToGrams,
  parseTransferApprovalNo,
  parseUscc,
  partyStream,
} from '@wasteflow/domain';
import { partyModel, transferApprovalAggregate } from '../streams/stream-models';
import { regulatorUseCase } from '../use-case/actor-use-cases';
import { decideOnStream } from '../use-case/decide-on-stream';
import { kg, timesOf } from '../use-case/plan-helpers';

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
export const grantTransferApproval = regulatorUseCase<
  GrantTransferApprovalInput,
  GrantTransferApprovalResult
>('grant cross-province transfer approvals', async (regulator, input, context, unitOfWork) => {
  const approvalNo = parseTransferApprovalNo(input.approvalNo);
  const shipperUscc = parseUscc(input.shipperUscc, 'shipperUscc');
  const receiverUscc = parseUscc(input.receiverUscc, 'receiverUscc');
  const readParty = async (uscc: string) => (await unitOfWork.load(partyStream(uscc), partyModel)).state;
  const granted = await decideOnStream(
    unitOfWork,
    transferApprovalAggregate(approvalNo),
    'TransferApprovalGranted',
    async (approval) => {
      const state = {
        approval,
        shipper: await readParty(shipperUscc),
        receiver: await readParty(receiverUscc),
      };
      return decideGrantTransferApproval(
        {
          approvalNo,
          shipperUscc,
          receiverUscc,
          wasteCodes: input.wasteCodes,
          approvedGrams: kgToGrams(input.approvedKg, 'approvedKg'),
          validFrom: input.validFrom,
          validTo: input.validTo,
          regulator,
          ...timesOf(context, input.occurredAt),
        },
        state,
        context.options,
      );
    },
  );
  const d = granted.event.data;
  return {
    writes: [granted.write],
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
});
