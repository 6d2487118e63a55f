/**
 * Who is calling, as established by the bearer token. What a principal may do is decided by the
 * domain (custodian, named carrier, named receiver) and by the scoping rules of the read side.
 */
export type Principal =
  | { readonly kind: 'admin'; readonly tokenId: string }
  | {
      readonly kind: 'party';
      readonly tokenId: string;
      readonly partyUscc: string;
      /**
       * The party's commands recorded by an admin on its behalf (an import with `?party=`): the rules judge
       * the party as for its own token and its Idempotency-Keys are the party's, while the events' metadata
       * names the admin as the actor (`actor: admin:<token id>`, `onBehalfOf: party:<USCC>`). Never from a
       * bearer token: made only by the import for an admin principal.
       */
      readonly onBehalfOf?: { readonly kind: 'admin'; readonly tokenId: string };
    }
  | {
      readonly kind: 'regulator';
      readonly tokenId: string;
      /** Region codes: 2 (province), 4 (city) or 6 (district) digits. */
      readonly districts: readonly string[];
      readonly categories: readonly string[];
    }
  | { readonly kind: 'auditor'; readonly tokenId: string };

export type PrincipalKind = Principal['kind'];

/**
 * Whose Idempotency-Keys and event ids a command's are: the party (any of its tokens, or an admin on its
 * behalf), else the token.
 */
export function actorOf(principal: Principal): string {
  return principal.kind === 'party'
    ? `party:${principal.partyUscc}`
    : `${principal.kind}:${principal.tokenId}`;
}

/** Who recorded the command, for the event metadata: the admin acting on a party's behalf, else `actorOf`. */
export function recordedBy(principal: Principal): { actor: string; onBehalfOf?: string } {
  if (principal.kind === 'party' && principal.onBehalfOf)
    return { actor: `admin:${principal.onBehalfOf.tokenId}`, onBehalfOf: `party:${principal.partyUscc}` };
  return { actor: actorOf(principal) };
}
