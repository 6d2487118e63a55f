import type { Principal } from '../access/principal';

/** The principals the ledger's int specs act as: the admin, a regulator of Hangzhou's hazardous waste, a party. */
export const admin: Principal = { kind: 'admin', tokenId: 'test-admin' };
export const regulator: Principal = {
  kind: 'regulator',
  tokenId: 'test-regulator',
  districts: ['3301'],
  categories: ['hazardous'],
};
/** The party `uscc` (its token named after the USCC's last characters). */
export const party = (uscc: string): Principal => ({
  kind: 'party',
  tokenId: `t-${uscc.slice(-4)}`,
  partyUscc: uscc,
});
