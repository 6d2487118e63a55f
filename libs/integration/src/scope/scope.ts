import { isDomainError, regionMatches } from '@wasteflow/domain';
import type { Principal } from '@wasteflow/ledger';
import { Forbidden } from './forbidden';

/**
 * Scoping of the read side (DESIGN.md §4, issue 5 item 7), shared by every read controller:
 *
 *  - an auditor sees everything;
 *  - a regulator sees what lies in one of its regions (a district code matching one of its 2-, 4- or
 *    6-digit region prefixes) AND in one of its categories;
 *  - a party sees what it is part of (the resource names it among its parties);
 *  - anyone else (an admin) sees nothing of the read side.
 *
 * "In its regions" is one rule for every read (DESIGN §10): a resource lies in the origin districts of
 * its waste, the districts of the parties that held it (custodians) and those it was sent to (receivers);
 * each read model states those districts in its `ScopedResource`, and a carrier's own district is not one.
 *
 * A refusal is 403 `forbidden` (a problem document) and reveals nothing about the resource: to anyone who
 * may not read everything, a resource that does not exist is refused exactly as one outside its scope
 * (`readScoped`), so 403 vs 404 tells a stranger nothing.
 */

/** What a scoped resource exposes to the checks: who is on it, where it lies, what it is. */
export interface ScopedResource {
  /** USCCs of the parties that are part of it (custodians, shippers, carriers, receivers …). */
  readonly parties: readonly string[];
  /** District codes (6 digits) it belongs to: its origin, a shipper's or a receiver's district … */
  readonly districts: readonly string[];
  /** Waste categories it carries. */
  readonly categories: readonly string[];
}

/** The region and category scope of a regulator. */
export interface RegulatorScope {
  readonly regions: readonly string[];
  readonly categories: readonly string[];
}

export function isAuditor(principal: Principal): boolean {
  return principal.kind === 'auditor';
}

/** True when one of `districts` lies in one of the regulator's regions. */
export function inRegions(regions: readonly string[], districts: readonly string[]): boolean {
  return districts.some((district) => regions.some((region) => regionMatches(region, district)));
}

/** True when one of `categories` is one of the regulator's categories. */
export function inCategories(allowed: readonly string[], categories: readonly string[]): boolean {
  return categories.some((category) => allowed.includes(category));
}

/** Whether `principal` may read `resource` (see the rules above). */
export function canRead(principal: Principal, resource: ScopedResource): boolean {
  switch (principal.kind) {
    case 'auditor':
      return true;
    case 'regulator':
      return (
        inRegions(principal.districts, resource.districts) &&
        inCategories(principal.categories, resource.categories)
      );
    case 'party':
      return resource.parties.includes(principal.partyUscc);
    default:
      return false;
  }
}

/** 403 unless `principal` may read `resource`; `what` names the resource in the message ("batch 3301…"). */
export function assertCanRead(principal: Principal, resource: ScopedResource, what: string): void {
  if (canRead(principal, resource)) return;
  throw refusalFor(principal, what);
}

/** The one refusal of `what` to `principal`: it depends on the caller only, never on the resource. */
function refusalFor(principal: Principal, what: string): Forbidden {
  switch (principal.kind) {
    case 'regulator':
      return new Forbidden(`${what} is not in this regulator's regions and categories, or does not exist`, {
        regions: principal.districts,
        categories: principal.categories,
      });
    case 'party':
      return new Forbidden(`${what} is not on a chain this party is part of, or does not exist`);
    default:
      return new Forbidden(`a ${principal.kind} token may not read ${what}`);
  }
}

/**
 * Finds a resource and checks the caller may read it, giving one answer for "not yours" and "no such
 * resource" to every caller that cannot read everything: `find` failing with a not-found refusal is
 * answered as `assertCanRead` refuses an unreadable one. Only an auditor (who may read any) learns 404.
 */
export async function readScoped<T extends { readonly access: ScopedResource }>(
  principal: Principal,
  what: string,
  find: () => Promise<T>,
): Promise<T> {
  let found: T;
  try {
    found = await find();
  } catch (error) {
    if (principal.kind !== 'auditor' && isDomainError(error) && error.kind === 'not-found')
      throw refusalFor(principal, what);
    throw error;
  }
  assertCanRead(principal, found.access, what);
  return found;
}

/**
 * A regulator's list query narrowed by the filters it gave: the regions that are both asked for and its own
 * (the narrower of two nested prefixes), and likewise the categories. A filter wholly outside its scope is
 * 403 (asking for another city's data is refused, not answered with an empty page).
 */
export function narrowRegulatorScope(
  principal: Extract<Principal, { kind: 'regulator' }>,
  filters: { readonly region?: string; readonly category?: string },
): RegulatorScope {
  let regions: readonly string[] = principal.districts;
  if (filters.region !== undefined) {
    const region = filters.region;
    regions = principal.districts.flatMap((own) =>
      region.startsWith(own) ? [region] : own.startsWith(region) ? [own] : [],
    );
    if (regions.length === 0) {
      throw new Forbidden(`region ${region} lies outside this regulator's regions`, {
        regions: principal.districts,
      });
    }
  }
  let categories: readonly string[] = principal.categories;
  if (filters.category !== undefined) {
    if (!principal.categories.includes(filters.category)) {
      throw new Forbidden(`category ${filters.category} is not one of this regulator's categories`, {
        categories: principal.categories,
      });
    }
    categories = [filters.category];
  }
  return { regions: [...new Set(regions)], categories };
}

/**
 * The scope a list query runs under, for query services that push it into SQL: `all` (auditor), a party
 * (only rows naming it), or a regulator's regions and categories (already narrowed by the filters).
 */
export type ListScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'party'; readonly partyUscc: string }
  | ({ readonly kind: 'regulator' } & RegulatorScope);

export function listScopeOf(
  principal: Principal,
  filters: { readonly region?: string; readonly category?: string } = {},
): ListScope {
  switch (principal.kind) {
    case 'auditor':
      return { kind: 'all' };
    case 'party':
      return { kind: 'party', partyUscc: principal.partyUscc };
    case 'regulator':
      return { kind: 'regulator', ...narrowRegulatorScope(principal, filters) };
    default:
      throw new Forbidden(`a ${principal.kind} token may not read the read side`);
  }
}

/**
 * What of a manifest a principal reads, line by line (one scoping rule for every read, DESIGN §2 "One
 * manifest, one kind of waste"): a regulator reads only the lines of its categories, as it would read those
 * batches directly. A manifest issued now carries one category, so this keeps every line of one it may read;
 * it matters for manifests recorded before the rule, which may mix categories: an industrial-only regulator
 * must not read a hazardous line there that it is refused on the batch itself. The totals follow the lines
 * it reads. Parties on the manifest and auditors read every line.
 */
export function manifestLinesInScope<
  L extends {
    readonly category: string;
    readonly shippedKg: number;
    readonly discrepancy?: boolean;
    readonly pickupDiscrepancy?: boolean;
  },
  M extends {
    readonly lines: readonly L[];
    readonly categories: readonly string[];
    readonly totalKg: number;
    readonly hazardous: boolean;
    readonly discrepancy: boolean;
  },
>(principal: Principal, manifest: M): M {
  if (principal.kind !== 'regulator') return manifest;
  const lines = manifest.lines.filter((l) => principal.categories.includes(l.category));
  if (lines.length === manifest.lines.length) return manifest;
  const grams = lines.reduce((sum, l) => sum + Math.round(l.shippedKg * 1000), 0);
  return {
    ...manifest,
    lines,
    categories: manifest.categories.filter((c) => principal.categories.includes(c)),
    totalKg: grams / 1000,
    hazardous: lines.some((l) => l.category === 'hazardous'),
    discrepancy: lines.some((l) => l.discrepancy === true || l.pickupDiscrepancy === true),
  };
}
