import { defineWrite } from '../writes/write-definition';
import { IssueManifestDto, IssueManifestResponseDto } from './issue-manifest.dto';

export const issueManifestWrite = defineWrite({
  type: 'issue-manifest',
  route: 'POST /v1/manifests',
  tag: 'manifests',
  body: IssueManifestDto,
  bulk: true,
  response: IssueManifestResponseDto,
  summary: 'Issue a manifest → manifest number (shipper = custodian)',
  description:
    'Allocates the number (serial per year and city, in the same commit), ManifestIssued in `manifest-<no>` and BatchConsigned on every batch: a batch on an open manifest cannot be shipped twice.',
});
