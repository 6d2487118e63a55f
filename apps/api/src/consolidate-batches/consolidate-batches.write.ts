import { defineWrite } from '../writes/write-definition';
import { ConsolidateBatchesDto, ConsolidateBatchesResponseDto } from './consolidate-batches.dto';

export const consolidateBatchesWrite = defineWrite({
  type: 'consolidate-batches',
  route: 'POST /v1/consolidations',
  tag: 'batches',
  body: ConsolidateBatchesDto,
  bulk: true,
  response: ConsolidateBatchesResponseDto,
  summary: 'Consolidate batches → new trace code (custodian of every input)',
  description:
    'BatchesConsolidated creating the new batch (origins carried forward) and BatchConsolidatedInto on each input: same category, same HW code.',
});
