import { InvalidRole } from '../errors';

/** Roles a party may hold; one party may hold several (a collector is usually also a carrier). */
export type PartyRole = 'generator' | 'collector' | 'carrier' | 'receiver';
export const PARTY_ROLES: readonly PartyRole[] = ['generator', 'collector', 'carrier', 'receiver'];

export function isPartyRole(value: unknown): value is PartyRole {
  return typeof value === 'string' && (PARTY_ROLES as readonly string[]).includes(value);
}

/** A non-empty set of roles, returned in canonical order without duplicates. */
export function parseRoles(value: unknown, field = 'roles'): PartyRole[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidRole(field, null);
  for (const r of value) if (!isPartyRole(r)) throw new InvalidRole(field, typeof r === 'string' ? r : null);
  return PARTY_ROLES.filter((r) => value.includes(r));
}
