import { PermitCapacityExceeded } from '../errors';
import { domainEvent } from '../events/event-catalogue';
import { requireRegistered } from '../batch/batch.rules';
import type { ManifestReceived } from '../manifest/manifest.events';
import type { ManifestState } from '../manifest/manifest.state';
import { cstDate, cstParts, cstStartOfDay, parseInstant } from '../values/time';
import type { PartyState, PermitState } from './party.state';
import type { PermitCapacityDrawn } from './party.events';
import { permitWindow, requireCoveringPermit } from './permit';

/**
 * Annual capacity of a hazardous waste permit (危险废物经营许可证管理办法 Art. 5 and the permit's 年经营规模):
 * the mass a receiver accepts in a permit year under one permit may not exceed `annualCapacityGrams`.
 * A permit year runs from an anniversary of the permit's `validFrom` (a CST day; 29 February → 1 March) for
 * twelve months. At 90 % of it the alerts warn the receiver and its regulator.
 */
export const CAPACITY_WARNING_FRACTION = 0.9;

function anniversaryMs(year: number, month: number, day: number, years: number): number {
  // Date.UTC rolls 29 February of a common year over to 1 March, as wanted
  const d = new Date(Date.UTC(year + years, month - 1, day));
  return cstStartOfDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The first day (`YYYY-MM-DD`, CST) of the permit year that contains `atMs` (the permit's first year before it starts). */
export function permitYearStart(permit: Pick<PermitState, 'validFrom' | 'validTo'>, atMs: number): string {
  const { year, month, day } = cstParts(permitWindow(permit).fromMs);
  let years = Math.max(0, cstParts(atMs).year - year);
  while (years > 0 && anniversaryMs(year, month, day, years) > atMs) years -= 1;
  return cstDate(anniversaryMs(year, month, day, years));
}

export function usedInPermitYear(permit: PermitState, yearStart: string): number {
  return permit.usedGrams?.[yearStart] ?? 0;
}

/** Whether a draw took the permit year's use to the warning level (90 %) from below it. */
export function crossesCapacityWarning(
  usedGramsAfter: number,
  grams: number,
  capacityGrams: number,
): boolean {
  const threshold = capacityGrams * CAPACITY_WARNING_FRACTION;
  return usedGramsAfter >= threshold && usedGramsAfter - grams < threshold;
}

/**
 * The receiver's side of a receipt: the accepted hazardous mass of each line drawn on the permit it is
 * received under (the same permit `decideReceiveManifest` checked), summed per permit. Refused with
 * `PermitCapacityExceeded` when a permit year would go beyond the capacity; otherwise one
 * `PermitCapacityDrawn` per permit, for the receiver's stream (its revision serialises receipts).
 */
export function decidePermitCapacity(
  received: ManifestReceived,
  state: { readonly manifest: ManifestState; readonly receiver: PartyState },
): PermitCapacityDrawn[] {
  const d = received.data;
  if (state.manifest.status === 'none') return [];
  const receiver = requireRegistered(state.receiver, d.receiverUscc, 'actorUscc');
  const atMs = parseInstant(d.occurredAt, 'occurredAt');
  const shipped = new Map(state.manifest.lines.map((l) => [l.traceCode, l]));
  const drawn = new Map<string, { permit: PermitState; grams: number }>();
  for (const line of d.lines) {
    const issued = shipped.get(line.traceCode);
    if (line.acceptedGrams === 0 || issued?.category !== 'hazardous' || issued.wasteCode === undefined)
      continue;
    const permit = requireCoveringPermit(receiver, issued.wasteCode, atMs, 'receive');
    const sum = drawn.get(permit.permitNo) ?? { permit, grams: 0 };
    drawn.set(permit.permitNo, { permit, grams: sum.grams + line.acceptedGrams });
  }
  return [...drawn.values()].map(({ permit, grams }) => {
    const yearStart = permitYearStart(permit, atMs);
    const used = usedInPermitYear(permit, yearStart);
    if (used + grams > permit.annualCapacityGrams)
      throw new PermitCapacityExceeded(
        receiver.uscc,
        permit.permitNo,
        yearStart,
        permit.annualCapacityGrams,
        used,
        grams,
      );
    return domainEvent('PermitCapacityDrawn', {
      uscc: receiver.uscc,
      permitNo: permit.permitNo,
      yearStart,
      grams,
      usedGramsAfter: used + grams,
      capacityGrams: permit.annualCapacityGrams,
      manifestNo: d.manifestNo,
      occurredAt: d.occurredAt,
      late: d.late,
    });
  });
}
