import { defineWrite } from '../writes/write-definition';
import { ReceiveManifestDto, ReceiveManifestResponseDto } from './receive-manifest.dto';

export const receiveManifestWrite = defineWrite({
  type: 'receive-manifest',
  route: 'POST /v1/manifests/{no}/receipt',
  tag: 'manifests',
  body: ReceiveManifestDto,
  bulk: true,
  response: ReceiveManifestResponseDto,
  summary: 'Receive a manifest (the receiver it is addressed to)',
  description:
    'ManifestReceived (per line: accepted / partial / rejected, lost, discrepancy) and, in the same commit, the batch side: BatchLostInTransit, BatchRejectionSplitOff + BatchReturnedFromRejection (a child back with the shipper), BatchReceived or BatchReturnedToShipper.',
});
