import { childTraceCode, composeManifestNumber, composeTraceCode, composeUscc } from '@wasteflow/domain';

/**
 * Realistic Hangzhou data for the OpenAPI examples (valid check characters, computed with the domain's
 * own functions so an example always passes validation).
 */
export const EXAMPLE = {
  generatorUscc: composeUscc('91330106MA27Y5XK0'),
  generatorName: '杭州西湖精细化工有限公司',
  carrierUscc: composeUscc('91330109MA2H3KT71'),
  carrierName: '杭州萧山危险货物运输有限公司',
  nextCarrierUscc: composeUscc('91330206MA2D4NB83'),
  receiverUscc: composeUscc('91330114MA2CJ8RL5'),
  receiverName: '杭州钱塘固废处置有限公司',
  collectorUscc: composeUscc('91330110MA2B7QW32'),
  traceCode: composeTraceCode({
    districtCode: '330106',
    category: 'hazardous',
    date: '260302',
    randomPart: '7K2M9QXA',
  }),
  otherTraceCode: composeTraceCode({
    districtCode: '330106',
    category: 'hazardous',
    date: '260302',
    randomPart: '3B8VN1RT',
  }),
  consolidatedTraceCode: composeTraceCode({
    districtCode: '330106',
    category: 'hazardous',
    date: '260302',
    randomPart: 'H4Q2ZP6C',
  }),
  manifestNo: composeManifestNumber(2026, '330106', 1),
  permitNo: '3301000012',
  wasteCode: '900-249-08',
  occurredAt: '2026-03-02T09:30:00+08:00',
  plannedAt: '2026-03-03T09:00:00+08:00',
  pickedUpAt: '2026-03-03T09:20:00+08:00',
  handedOverAt: '2026-03-03T10:10:00+08:00',
  receivedAt: '2026-03-03T11:05:00+08:00',
  treatedAt: '2026-03-04T14:00:00+08:00',
  vehiclePlate: '浙A·D12345',
  position: '1042',
  eventId: '5b0e8c8a-1f4e-5d55-9b8e-7f3a2c1d4e6f',
} as const;

/** A child of the example (a split part): the parent's prefix, a random part of its own, 22 characters. */
export const EXAMPLE_CHILD = childTraceCode(EXAMPLE.traceCode, 'Q3V8HZ2D');
