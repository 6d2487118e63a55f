import { crossesCapacityWarning, type EventOfType } from '@wasteflow/domain';
import type { AlertWriter } from './alert-writer';

/**
 * `permit_capacity_warning`: a receipt took a permit's accepted mass in its permit year to 90 % of its
 * annual capacity (危险废物经营许可证 年经营规模); beyond 100 % the receipt is refused, so no later alert.
 */
export async function raiseCapacityWarning(
  w: AlertWriter,
  d: EventOfType<'PermitCapacityDrawn'>['data'],
): Promise<void> {
  if (!crossesCapacityWarning(d.usedGramsAfter, d.grams, d.capacityGrams)) return;
  await w.raise({
    id: `permit_capacity_warning:${d.uscc}:${d.permitNo}:${d.yearStart}`,
    kind: 'permit_capacity_warning',
    manifestNo: d.manifestNo,
    parties: [{ uscc: d.uscc, role: 'receiver' }],
    categories: ['hazardous'],
    raisedAt: d.occurredAt,
    details: {
      permitNo: d.permitNo,
      yearStart: d.yearStart,
      capacityKg: d.capacityGrams / 1000,
      usedKg: d.usedGramsAfter / 1000,
      remainingKg: (d.capacityGrams - d.usedGramsAfter) / 1000,
      usedFraction: d.usedGramsAfter / d.capacityGrams,
    },
  });
}
