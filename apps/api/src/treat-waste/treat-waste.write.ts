import { EXAMPLE } from '../common/examples';
import { defineWrite } from '../writes/write-definition';
import { TreatWasteDto, TreatWasteItemDto, TreatWasteResponseDto } from './treat-waste.dto';

export const treatWasteWrite = defineWrite({
  type: 'treat-waste',
  route: 'POST /v1/batches/{code}/treatments',
  tag: 'batches',
  params: [{ name: 'code', field: 'traceCode', example: EXAMPLE.consolidatedTraceCode }],
  body: TreatWasteDto,
  bulk: TreatWasteItemDto,
  response: TreatWasteResponseDto,
  summary: 'Utilise or dispose of waste (custodian receiver)',
  description:
    'WasteUtilised or WasteDisposed, attributed to the origins it consumes. Hazardous waste needs a valid permit covering the code and the operation.',
});
