import { OutsideJurisdiction } from '../errors';
import { list, record, text } from '../events/shape';
import { regionMatches } from '../values/district';
import type { WasteCategory } from '../values/category';
import type { RegisteredParty } from './party.state';

/**
 * What a regulator's token covers (生态环境局, 城管局 …): regions (2, 4 or 6 digits: province, city,
 * district) and waste categories. Given to the permit decisions by the command side.
 */
export interface RegulatorScope {
  readonly districts: readonly string[];
  readonly categories: readonly string[];
}

/** A regulator acting: its token (a regulator has no USCC) and the scope it holds. */
export interface Regulator extends RegulatorScope {
  readonly tokenId: string;
}

/** A Regulator as events record it: the token and the scope it held then. */
export const regulatorShape = record<Regulator>({
  tokenId: text,
  districts: list(text),
  categories: list(text),
});

/**
 * A regulator acts on a party only when the party's district lies in one of its regions, and only for a
 * category it covers (permits are hazardous waste permits: `hazardous`).
 */
export function requireJurisdiction(
  scope: RegulatorScope,
  party: RegisteredParty,
  category: WasteCategory = 'hazardous',
): void {
  requireRegionalJurisdiction(scope, party);
  if (!scope.categories.includes(category))
    throw new OutsideJurisdiction(party.uscc, 'category', {
      category,
      categories: [...scope.categories],
    });
}

/**
 * The district half of the rule, for what concerns a party whatever its waste (an own treatment facility
 * serves every category the party treats there): the party's district lies in one of the regulator's regions.
 */
export function requireRegionalJurisdiction(scope: RegulatorScope, party: RegisteredParty): void {
  if (!scope.districts.some((region) => regionMatches(region, party.districtCode)))
    throw new OutsideJurisdiction(party.uscc, 'district', {
      districtCode: party.districtCode,
      districts: [...scope.districts],
    });
}

/**
 * Whether a regulator's scope covers something that lies in `districts` and carries `categories` (an alert,
 * a manifest): one of the districts in one of its regions, and one of the categories among its own — the
 * rule by which the read side lets it read the thing (apps/api read-side/scope.ts `canRead`).
 */
export function regulatorCovers(
  scope: RegulatorScope,
  thing: { readonly districts: readonly string[]; readonly categories: readonly string[] },
): boolean {
  return (
    thing.districts.some((district) => scope.districts.some((region) => regionMatches(region, district))) &&
    thing.categories.some((category) => scope.categories.includes(category))
  );
}
