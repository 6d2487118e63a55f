/**
 * Who is calling, as established by the bearer token. What a principal may do is decided by the
 * domain (custodian, named carrier, named receiver) and by the scoping rules of the read side.
 */
export type Principal =
  | { readonly kind: 'admin'; readonly tokenId: string }
  | { readonly kind: 'party'; readonly tokenId: string; readonly partyUscc: string }
  | {
      readonly kind: 'regulator';
      readonly tokenId: string;
      /** Region codes: 2 (province), 4 (city) or 6 (district) digits. */
      readonly districts: readonly string[];
      readonly categories: readonly string[];
    }
  | { readonly kind: 'auditor'; readonly tokenId: string };

export type PrincipalKind = Principal['kind'];

/** The actor recorded in event metadata. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'party'
    ? `party:${principal.partyUscc}`
    : `${principal.kind}:${principal.tokenId}`;
}
