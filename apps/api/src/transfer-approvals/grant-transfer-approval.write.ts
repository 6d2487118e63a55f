import { defineWrite } from '../writes/write-definition';
import { GrantTransferApprovalDto, GrantTransferApprovalResponseDto } from './transfer-approvals.dto';

/** POST /v1/transfer-approvals (跨省转移审批, the regulator of the sending province); reads beside it. */
export const grantTransferApprovalWrite = defineWrite({
  type: 'grant-transfer-approval',
  route: 'POST /v1/transfer-approvals',
  tag: 'transfer approvals',
  body: GrantTransferApprovalDto,
  bulk: false,
  response: GrantTransferApprovalResponseDto,
  summary: 'Grant a cross-province transfer approval (the regulator of the shipper’s province)',
  description:
    'TransferApprovalGranted in `transfer-approval-<approvalNo>`. The regulator’s token holds the shipper’s ' +
    'province as a 2-digit region and hazardous waste (403 transfer-approval-outside-province); the receiver ' +
    'is in another province (422 transfer-approval-same-province); the validity is at most 12 months ' +
    '(422 transfer-approval-validity-exceeded); the number is new (409 transfer-approval-already-granted). ' +
    'A hazardous manifest to that receiver names it (transferApprovalNo) and its receipt draws the accepted mass.',
});
