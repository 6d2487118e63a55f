import { defineWrite } from '../writes/write-definition';
import { PickUpManifestDto, PickUpManifestResponseDto } from './pick-up-manifest.dto';

export const pickUpManifestWrite = defineWrite({
  type: 'pick-up-manifest',
  route: 'POST /v1/manifests/{no}/pickup',
  tag: 'manifests',
  body: PickUpManifestDto,
  bulk: true,
  response: PickUpManifestResponseDto,
  summary: 'Pick up a manifest (the carrier named on it)',
  description:
    'ManifestPickedUp and, in the same commit, BatchShipped on every batch (the custody step of the process manager).',
});
