import { reactive } from 'vue';
import { api, setBearer } from './api/client';
import type { WhoAmI } from './api/types';

/**
 * The signed-in token and who it is (ADR 6): kept in this tab (memory, and sessionStorage so a reload
 * stays signed in), sent as a bearer header, dropped on sign-out or on the first 401.
 */
const TOKEN_KEY = 'wasteflow.token';

export const session = reactive<{ token: string | undefined; who: WhoAmI | undefined }>({
  token: undefined,
  who: undefined,
});

export async function signIn(token: string): Promise<WhoAmI> {
  const who = await api.get<WhoAmI>('/v1/whoami', token);
  session.token = token;
  session.who = who;
  setBearer(token);
  sessionStorage.setItem(TOKEN_KEY, token);
  return who;
}

export function signOut(): void {
  session.token = undefined;
  session.who = undefined;
  setBearer(undefined);
  sessionStorage.removeItem(TOKEN_KEY);
}

/** At start: the token this tab signed in with, checked again (a revoked token signs out). */
export async function restore(): Promise<void> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return;
  try {
    await signIn(token);
  } catch {
    signOut();
  }
}

export function partyUscc(): string | undefined {
  return session.who?.kind === 'party' ? session.who.party?.uscc : undefined;
}

export function hasRole(role: string): boolean {
  return session.who?.kind === 'party' && (session.who.party?.roles.includes(role) ?? false);
}

/** Where a token lands after sign-in. */
export function homeOf(who: WhoAmI | undefined): string {
  switch (who?.kind) {
    case 'admin':
      return '/admin';
    case 'regulator':
      return '/regulator';
    case 'auditor':
      return '/audit';
    case 'party': {
      const roles = who.party?.roles ?? [];
      if (roles.includes('generator') || roles.includes('collector')) return '/batches';
      if (roles.includes('carrier')) return '/pickups';
      if (roles.includes('receiver')) return '/arrivals';
      return '/batches';
    }
    default:
      return '/sign-in';
  }
}
