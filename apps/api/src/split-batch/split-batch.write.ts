import { defineWrite } from '../writes/write-definition';
import { SplitBatchDto, SplitBatchResponseDto } from './split-batch.dto';

export const splitBatchWrite = defineWrite({
  type: 'split-batch',
  route: 'POST /v1/batches/{code}/split',
  tag: 'batches',
  body: SplitBatchDto,
  bulk: true,
  response: SplitBatchResponseDto,
  summary: 'Split a batch → child codes (custodian)',
  description:
    'BatchSplit on the parent and BatchSplitOff creating each child; the remainder stays in the parent.',
  paramDocs: { code: { description: 'Trace code (case-insensitive, hyphens allowed)' } },
});
