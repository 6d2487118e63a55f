import { EventNotApplicable } from '../errors';
import type { PermitOperation } from '../values/operation';
import type { PartyRole } from '../values/role';
import { assertNever, compact } from '../util';
import type { PartyEvent } from './party.events';

export interface PermitState {
  readonly permitNo: string;
  readonly wasteCodes: readonly string[];
  readonly hwCategories: readonly string[];
  readonly operations: readonly PermitOperation[];
  readonly annualCapacityGrams: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly grantedAt: string;
  /** occurredAt of the revocation: the permit is not valid from that instant on. */
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

export interface RegisteredParty {
  readonly status: 'registered';
  readonly uscc: string;
  readonly name: string;
  readonly roles: readonly PartyRole[];
  readonly districtCode: string;
  readonly registeredAt: string;
  /** Sorted by permitNo. */
  readonly permits: readonly PermitState[];
}

export type PartyState = { readonly status: 'unregistered' } | RegisteredParty;

export const initialPartyState: PartyState = { status: 'unregistered' };

export function hasRole(party: PartyState, role: PartyRole): boolean {
  return party.status === 'registered' && party.roles.includes(role);
}

export function evolveParty(state: PartyState, event: PartyEvent): PartyState {
  switch (event.type) {
    case 'PartyRegistered': {
      if (state.status === 'registered') throw new EventNotApplicable(event.type, 'party already registered');
      const d = event.data;
      return {
        status: 'registered',
        uscc: d.uscc,
        name: d.name,
        roles: d.roles,
        districtCode: d.districtCode,
        registeredAt: d.occurredAt,
        permits: [],
      };
    }
    case 'PermitGranted': {
      if (state.status !== 'registered') throw new EventNotApplicable(event.type, 'party not registered');
      const d = event.data;
      const permit: PermitState = {
        permitNo: d.permitNo,
        wasteCodes: d.wasteCodes,
        hwCategories: d.hwCategories,
        operations: d.operations,
        annualCapacityGrams: d.annualCapacityGrams,
        validFrom: d.validFrom,
        validTo: d.validTo,
        grantedAt: d.occurredAt,
      };
      const permits = [...state.permits.filter((p) => p.permitNo !== d.permitNo), permit].sort((a, b) =>
        a.permitNo < b.permitNo ? -1 : a.permitNo > b.permitNo ? 1 : 0,
      );
      return { ...state, permits };
    }
    case 'PermitRevoked': {
      if (state.status !== 'registered') throw new EventNotApplicable(event.type, 'party not registered');
      const d = event.data;
      if (!state.permits.some((p) => p.permitNo === d.permitNo))
        throw new EventNotApplicable(event.type, `no permit ${d.permitNo}`);
      return {
        ...state,
        permits: state.permits.map((p) =>
          p.permitNo === d.permitNo
            ? compact({ ...p, revokedAt: d.occurredAt, revocationReason: d.reason })
            : p,
        ),
      };
    }
    default:
      return assertNever(event, 'party event');
  }
}
