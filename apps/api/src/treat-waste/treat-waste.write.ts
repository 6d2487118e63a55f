import { EXAMPLE } from '../common/examples';
import { defineWrite } from '../writes/write-definition';
import { TreatWasteDto, TreatWasteResponseDto } from './treat-waste.dto';

export const treatWasteWrite = defineWrite({
  type: 'treat-waste',
  route: 'POST /v1/batches/{code}/treatments',
  tag: 'batches',
  body: TreatWasteDto,
  bulk: true,
  response: TreatWasteResponseDto,
  summary: 'Utilise or dispose of waste (custodian receiver)',
  description:
    'WasteUtilised or WasteDisposed, attributed to the origins it consumes. Hazardous waste needs a valid permit covering the code and the operation.',
  paramDocs: { code: { example: EXAMPLE.consolidatedTraceCode } },
});
