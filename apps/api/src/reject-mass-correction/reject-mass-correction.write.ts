import { defineWrite } from '../writes/write-definition';
import { RejectMassCorrectionDto, RejectMassCorrectionResponseDto } from './reject-mass-correction.dto';

export const rejectMassCorrectionWrite = defineWrite({
  type: 'reject-mass-correction',
  route: 'POST /v1/batches/{code}/correction-requests/{requestId}/reject',
  tag: 'batches',
  body: RejectMassCorrectionDto,
  bulk: true,
  response: RejectMassCorrectionResponseDto,
  summary: 'Reject a correction request (who may approve it)',
  description:
    'MassCorrectionRejected: the mass stays as it was; who rejects is the token. Never the requester (403 correction-self-approval); without standing, one answer whether the batch or the request exists or not (403 no-standing-for-correction); decided once (409 correction-already-decided).',
});
