import { defineWrite } from '../writes/write-definition';
import { ApproveMassCorrectionDto, ApproveMassCorrectionResponseDto } from './approve-mass-correction.dto';

export const approveMassCorrectionWrite = defineWrite({
  type: 'approve-mass-correction',
  route: 'POST /v1/batches/{code}/correction-requests/{requestId}/approve',
  tag: 'batches',
  body: ApproveMassCorrectionDto,
  bulk: true,
  response: ApproveMassCorrectionResponseDto,
  summary: 'Approve a correction request (the counterparty of the last transfer, or a regulator in scope)',
  description:
    'MassCorrectionApproved with the MassCorrected that applies it; who approves is the token. Never the requester (403 correction-self-approval); without standing, one answer whether the batch or the request exists or not (403 no-standing-for-correction); decided once (409 correction-already-decided); the mass is judged again (422 mass-not-conserved).',
});
