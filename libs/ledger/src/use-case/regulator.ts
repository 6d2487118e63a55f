import type { Regulator, RegulatorScope } from '@wasteflow/domain';
import type { Principal } from '../access/principal';

/** The jurisdiction of a regulator token, handed to the domain's permit decisions. */
export function regulatorScopeOf(principal: Principal): RegulatorScope | undefined {
  return principal.kind === 'regulator'
    ? { districts: principal.districts, categories: principal.categories }
    : undefined;
}

/** The acting regulator as the domain records it: its jurisdiction and its token (a regulator use case). */
export function regulatorOf(principal: Principal): Regulator {
  if (principal.kind !== 'regulator')
    throw new Error(`a ${principal.kind} token reached a regulator use case`);
  return { tokenId: principal.tokenId, districts: principal.districts, categories: principal.categories };
}
