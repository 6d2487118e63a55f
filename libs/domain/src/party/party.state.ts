import { evolveBy, fits, type Folded, misfit } from '../fold';
import type { TreatmentOperation } from '../values/operation';
import type { PartyRole } from '../values/role';
import { assertNever, compact, pick } from '../util';
import type { PartyEvent, PartyFacts, PermitGrantedData } from './party.events';

/** A permit: what its grant says of it, then what happened to it since. */
export interface PermitState extends Pick<
  PermitGrantedData,
  'permitNo' | 'wasteCodes' | 'hwCategories' | 'operations' | 'annualCapacityGrams' | 'validFrom' | 'validTo'
> {
  readonly grantedAt: string;
  /** occurredAt of the revocation: the permit is not valid from that instant on. */
  readonly revokedAt?: string;
  readonly revocationReason?: string;
  /** Accepted grams drawn per permit year (`yearStart` → grams); absent until a first draw. */
  readonly usedGrams?: Readonly<Record<string, number>>;
}

/** An own treatment facility (自行利用/处置设施) registered by a regulator. */
export interface FacilityState {
  readonly facilityCode: string;
  readonly operations: readonly TreatmentOperation[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly registeredAt: string;
  readonly regulatorTokenId: string;
}

/** A registered party: the facts of its registration (the contact person a reference only, ADR 14), and since. */
export interface RegisteredParty extends PartyFacts {
  readonly status: 'registered';
  readonly registeredAt: string;
  /** Sorted by permitNo. */
  readonly permits: readonly PermitState[];
  /** Own treatment facilities, sorted by facilityCode (absent on a party that has none). */
  readonly facilities?: readonly FacilityState[];
}

export type PartyState = { readonly status: 'unregistered' } | RegisteredParty;

export const initialPartyState: PartyState = { status: 'unregistered' };

export function hasRole(party: PartyState, role: PartyRole): boolean {
  return party.status === 'registered' && party.roles.includes(role);
}

/**
 * `evolve` is total (fold.ts): an event that does not fit the party's state (registered twice, a permit
 * of an unregistered party, the revocation of a permit it does not hold) changes nothing; `stepParty`
 * says why and `checkStream` reports it.
 */
export const evolveParty = evolveBy(stepParty);

/** One event folded into the party's state, and why it does not fit (see evolveParty). */
export function stepParty(state: PartyState, event: PartyEvent): Folded<PartyState> {
  switch (event.type) {
    case 'PartyRegistered': {
      if (state.status === 'registered') return misfit(state, 'party already registered');
      const d = event.data;
      return fits({
        status: 'registered',
        ...pick(d, 'uscc', 'name', 'roles', 'districtCode', 'address', 'emergencyPhone', 'contactPersonId'),
        registeredAt: d.occurredAt,
        permits: [],
      });
    }
    case 'PermitGranted': {
      if (state.status !== 'registered') return misfit(state, 'party not registered');
      const d = event.data;
      const permit: PermitState = {
        ...pick(
          d,
          'permitNo',
          'wasteCodes',
          'hwCategories',
          'operations',
          'annualCapacityGrams',
          'validFrom',
          'validTo',
        ),
        grantedAt: d.occurredAt,
      };
      const permits = [...state.permits.filter((p) => p.permitNo !== d.permitNo), permit].sort((a, b) =>
        a.permitNo < b.permitNo ? -1 : a.permitNo > b.permitNo ? 1 : 0,
      );
      return fits({ ...state, permits });
    }
    case 'PermitRevoked': {
      const d = event.data;
      return withPermit(state, d.permitNo, (p) =>
        compact({ ...p, revokedAt: d.occurredAt, revocationReason: d.reason }),
      );
    }
    case 'PermitCapacityDrawn': {
      const d = event.data;
      return withPermit(state, d.permitNo, (p) => ({
        ...p,
        usedGrams: { ...p.usedGrams, [d.yearStart]: d.usedGramsAfter },
      }));
    }
    case 'FacilityRegistered': {
      if (state.status !== 'registered') return misfit(state, 'party not registered');
      const d = event.data;
      if ((state.facilities ?? []).some((f) => f.facilityCode === d.facilityCode))
        return misfit(state, `facility ${d.facilityCode} already registered`);
      const facility: FacilityState = {
        ...pick(d, 'facilityCode', 'operations', 'validFrom', 'validTo', 'regulatorTokenId'),
        registeredAt: d.occurredAt,
      };
      const facilities = [...(state.facilities ?? []), facility].sort((a, b) =>
        a.facilityCode < b.facilityCode ? -1 : a.facilityCode > b.facilityCode ? 1 : 0,
      );
      return fits({ ...state, facilities });
    }
    default:
      return assertNever(event, 'party event');
  }
}

/** A registered party's permit `permitNo` changed by `change`; a misfit when there is no such party or permit. */
function withPermit(
  state: PartyState,
  permitNo: string,
  change: (permit: PermitState) => PermitState,
): Folded<PartyState> {
  if (state.status !== 'registered') return misfit(state, 'party not registered');
  if (!state.permits.some((p) => p.permitNo === permitNo)) return misfit(state, `no permit ${permitNo}`);
  return fits({ ...state, permits: state.permits.map((p) => (p.permitNo === permitNo ? change(p) : p)) });
}
