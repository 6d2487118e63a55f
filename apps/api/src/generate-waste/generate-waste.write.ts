import { EXAMPLE } from '../common/examples';
import { defineWrite } from '../writes/write-definition';
import { GenerateWasteDto, GenerateWasteResponseDto } from './generate-waste.dto';

export const generateWasteWrite = defineWrite({
  type: 'generate-waste',
  route: 'POST /v1/batches',
  tag: 'batches',
  body: GenerateWasteDto,
  bulk: true,
  response: GenerateWasteResponseDto,
  summary: 'Record generated waste → trace code (generator)',
  description:
    'WasteGenerated in a new `batch-<traceCode>`. The code embeds the generator district, the category and the CST date of occurredAt; its random part is derived from the Idempotency-Key.',
  examples: {
    hazardous: {
      summary: 'Waste mineral oil (HW08)',
      value: {
        category: 'hazardous',
        wasteCode: EXAMPLE.wasteCode,
        description: '废矿物油（数控机床切削液更换）',
        massKg: 1250.5,
        occurredAt: EXAMPLE.occurredAt,
      },
    },
    household: {
      summary: 'Perishable household waste (易腐垃圾)',
      value: { category: 'household', subtype: 'perishable', massKg: 3200, occurredAt: EXAMPLE.occurredAt },
    },
    agricultural: {
      summary: 'Straw (秸秆)',
      value: { category: 'agricultural', subtype: 'straw', massKg: 18000, occurredAt: EXAMPLE.occurredAt },
    },
  },
});
