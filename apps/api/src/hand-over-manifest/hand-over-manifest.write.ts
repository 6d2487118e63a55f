import { defineWrite } from '../writes/write-definition';
import { HandOverManifestDto, HandOverManifestResponseDto } from './hand-over-manifest.dto';

export const handOverManifestWrite = defineWrite({
  type: 'hand-over-manifest',
  route: 'POST /v1/manifests/{no}/handover',
  tag: 'manifests',
  body: HandOverManifestDto,
  bulk: true,
  response: HandOverManifestResponseDto,
  summary: 'Hand a manifest in transit over to the next carrier (多式联运; the carrier holding it now)',
  description:
    'ManifestHandedOver and, in the same commit, BatchHandedOver on every batch: the next carrier holds the ' +
    'waste in transit (legal custody stays with the shipper), and the receiver receives from the last carrier. ' +
    'Only the carrier holding the manifest (403 not-current-carrier), after pickup and before receipt (409), ' +
    'to another registered carrier (404 party-not-found, 422 carrier-role-required, 422 handover-to-self), ' +
    'not dated before the current leg began (422 occurred-out-of-order).',
});
