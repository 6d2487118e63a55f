/**
 * Read scopes, regions, WHERE conditions and paging, shared by the query services (see
 * `read-model-reader.ts` for the reader itself).
 */

/**
 * The range of 6-digit division codes a region (2, 4 or 6 digits) covers, as text bounds `[lo, hi)`:
 * `3301` → `['330100', '330200')`. Division codes are 6 ASCII digits, so a range scan on the primary key
 * is the prefix match (`regionMatches`) and uses the index in both databases.
 */
export function regionRange(region: string): { lo: string; hi: string } {
  if (!/^(\d{2}|\d{4}|\d{6})$/.test(region)) throw new Error(`Not a region: ${region}`);
  const lo = region.padEnd(6, '0');
  const next = (BigInt(region) + 1n).toString().padStart(region.length, '0');
  return { lo, hi: next.padEnd(6, '0') };
}

/** True when `inner` (a region) lies within `outer` (a region): `330106` within `3301` and within `33`. */
export function regionWithin(inner: string, outer: string): boolean {
  return inner.startsWith(outer);
}

/**
 * Who may see which rows, as the query services understand it (the api maps its principals onto this):
 * everything (auditor), one party's own rows, or a regulator's regions and categories.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'party'; readonly uscc: string }
  | {
      readonly kind: 'regulator';
      readonly regions: readonly string[];
      readonly categories: readonly string[];
    };

/** The read scope of a principal (structurally: the ledger's Principal, which this lib cannot import). */
export function readScopeOf(principal: {
  readonly kind: string;
  readonly partyUscc?: string;
  readonly districts?: readonly string[];
  readonly categories?: readonly string[];
}): ReadScope {
  switch (principal.kind) {
    case 'auditor':
      return { kind: 'all' };
    case 'party':
      if (!principal.partyUscc) throw new Error('a party principal without a party');
      return { kind: 'party', uscc: principal.partyUscc };
    case 'regulator':
      return {
        kind: 'regulator',
        regions: principal.districts ?? [],
        categories: principal.categories ?? [],
      };
    default:
      throw new Error(`a ${principal.kind} principal has no read scope`);
  }
}

/** Collects `WHERE` conditions and their named parameters. */
export class Conditions {
  private readonly parts: string[] = [];
  readonly params: Record<string, string | number | bigint | null> = {};
  private n = 0;

  /** A fresh parameter name bound to `value`. */
  param(value: string | number | bigint | null): string {
    const name = `p${this.n++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  add(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  /** `column` (6-digit division codes) within any of the regions. */
  inRegions(column: string, regions: readonly string[]): this {
    if (regions.length === 0) return this.add('1 = 0');
    return this.add(
      `(${regions
        .map((region) => {
          const { lo, hi } = regionRange(region);
          return `(${column} >= ${this.param(lo)} AND ${column} < ${this.param(hi)})`;
        })
        .join(' OR ')})`,
    );
  }

  /** `column` equal to one of the values. */
  oneOf(column: string, values: readonly string[]): this {
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`${column} IN (${values.map((v) => this.param(v)).join(', ')})`);
  }

  /** A delimited list column (`,a,b,`) containing one of the values. */
  listHasOneOf(column: string, values: readonly string[]): this {
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`(${values.map((v) => `${column} LIKE ${this.param(`%,${v},%`)}`).join(' OR ')})`);
  }

  /** A delimited list column (`,330106,330114,`) with an entry within one of the regions (prefix). */
  listHasRegion(column: string, regions: readonly string[]): this {
    if (regions.length === 0) return this.add('1 = 0');
    return this.add(`(${regions.map((r) => `${column} LIKE ${this.param(`%,${r}%`)}`).join(' OR ')})`);
  }

  get sql(): string {
    return this.parts.length === 0 ? '' : `WHERE ${this.parts.join(' AND ')}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// paging

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pagingOf(page: number | undefined, pageSize: number | undefined): Paging {
  return { page: page ?? 1, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
}

/** A delimited list value for LIKE matching: `[a, b]` → `,a,b,`. */
export function delimited(values: readonly string[]): string {
  return values.length === 0 ? ',' : `,${values.join(',')},`;
}

export function undelimited(value: string | null): string[] {
  return value ? value.split(',').filter((v) => v !== '') : [];
}
