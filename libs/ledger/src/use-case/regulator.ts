import type { RegulatorScope } from '@wasteflow/domain';
import type { Principal } from '../access/principal';

/** The jurisdiction of a regulator token, handed to the domain's permit decisions. */
export function regulatorScopeOf(principal: Principal): RegulatorScope | undefined {
  return principal.kind === 'regulator'
    ? { districts: principal.districts, categories: principal.categories }
    : undefined;
}
