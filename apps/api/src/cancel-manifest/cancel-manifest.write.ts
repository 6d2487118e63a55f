import { defineWrite } from '../writes/write-definition';
import { CancelManifestDto, CancelManifestResponseDto } from './cancel-manifest.dto';

export const cancelManifestWrite = defineWrite({
  type: 'cancel-manifest',
  route: 'POST /v1/manifests/{no}/cancel',
  tag: 'manifests',
  body: CancelManifestDto,
  bulk: true,
  response: CancelManifestResponseDto,
  summary: 'Cancel a manifest before pickup (the shipper)',
  description: 'ManifestCancelled and BatchConsignmentReleased on every batch (the lock is lifted).',
});
