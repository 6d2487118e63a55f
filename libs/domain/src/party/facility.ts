import type { TreatmentOperation } from '../values/operation';
import type { FacilityState, PartyState } from './party.state';
import { permitWindow } from './permit';

/** Valid at that instant: inside its window (`validFrom` … `validTo`, dates as CST days, like a permit's). */
export function facilityValidAt(facility: FacilityState, atMs: number): boolean {
  const { fromMs, toMs } = permitWindow(facility);
  return atMs >= fromMs && atMs < toMs;
}

/** The party's own facilities valid at `atMs` and covering `operation`, by code. */
export function coveringFacilities(
  party: PartyState,
  operation: TreatmentOperation,
  atMs: number,
): readonly FacilityState[] {
  if (party.status !== 'registered') return [];
  return (party.facilities ?? []).filter((f) => f.operations.includes(operation) && facilityValidAt(f, atMs));
}
