import { defineWrite } from '../writes/write-definition';
import { RequestMassCorrectionDto, RequestMassCorrectionResponseDto } from './request-mass-correction.dto';

export const requestMassCorrectionWrite = defineWrite({
  type: 'request-mass-correction',
  route: 'POST /v1/batches/{code}/correction-requests',
  tag: 'batches',
  body: RequestMassCorrectionDto,
  bulk: true,
  response: RequestMassCorrectionResponseDto,
  summary: 'Request a correction of the held mass (the custodian)',
  description:
    "MassCorrectionRequested: nothing moves until a party with standing approves it (the counterparty of the batch's last transfer, or a regulator whose scope covers the batch; never the requester). The batch must be free (not on a manifest) and hold mass; the correction never takes it below zero; one pending request per batch. No approvals in the body (an unknown field is 400).",
});
