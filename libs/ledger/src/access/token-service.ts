import { StreamNotFound, type EventStore } from '@wasteflow/event-store';
import type { Principal } from './principal';
import { digestEquals, parseToken, secretMatches, tokenDigest, tokenStream } from './token';
import { expiryOf, TOKEN_ISSUED, TOKEN_REVOKED, type TokenIssuedData, type TokenScope } from './token-events';

interface CachedToken {
  readonly secretHash: string;
  readonly principal: Principal | undefined;
  /** When the token itself expires (ms): it authenticates nobody from then on. */
  readonly tokenExpiresAt: number;
  /** Until when this cache entry is trusted without reading the stream again. */
  readonly expiresAt: number;
}

export interface TokenServiceOptions {
  /** Accepted as an admin token (deployments and tests bootstrap with it). */
  readonly bootstrapAdminToken?: string;
  /** How long a looked-up token is trusted before its stream is read again (revocation delay). */
  readonly cacheMillis?: number;
  readonly now?: () => number;
}

export const BOOTSTRAP_ADMIN_TOKEN_ID = 'bootstrap-admin';

/** Token ids known not to exist, remembered at most this many at a time (oldest forgotten first). */
const MAX_UNKNOWN_IDS = 10_000;

/**
 * Turns a bearer token into a principal by reading the token's own stream, so every instance sees a
 * token as soon as it is issued and a revocation within `cacheMillis`.
 */
export class TokenService {
  private readonly cache = new Map<string, CachedToken>();
  /**
   * Well-formed token ids whose stream does not exist, until when: a stranger repeating a made-up token
   * costs one store read per `cacheMillis`, not one per request. Bounded (MAX_UNKNOWN_IDS); ids are
   * random, so one not issued yet is never asked for before it is.
   */
  private readonly unknown = new Map<string, number>();
  private readonly cacheMillis: number;
  private readonly now: () => number;
  /** The bootstrap admin token's digest, computed once rather than on every request. */
  private readonly bootstrapDigest: Buffer | undefined;

  constructor(
    private readonly store: EventStore,
    options: TokenServiceOptions = {},
  ) {
    this.cacheMillis = options.cacheMillis ?? 30_000;
    this.now = options.now ?? Date.now;
    this.bootstrapDigest = options.bootstrapAdminToken ? tokenDigest(options.bootstrapAdminToken) : undefined;
  }

  async authenticate(bearer: string | undefined): Promise<Principal | undefined> {
    if (!bearer) return undefined;
    const bootstrap = this.bootstrapDigest;
    if (bootstrap && digestEquals(tokenDigest(bearer), bootstrap)) {
      return { kind: 'admin', tokenId: BOOTSTRAP_ADMIN_TOKEN_ID };
    }
    const parsed = parseToken(bearer);
    if (!parsed) return undefined;
    const entry = await this.lookup(parsed.tokenId);
    if (!entry || !secretMatches(parsed.secret, entry.secretHash)) return undefined;
    if (this.now() >= entry.tokenExpiresAt) return undefined;
    return entry.principal;
  }

  /** Forgets a cached token at once (this instance revoked or issued it). */
  forget(tokenId: string): void {
    this.cache.delete(tokenId);
    this.unknown.delete(tokenId);
  }

  private async lookup(tokenId: string): Promise<CachedToken | undefined> {
    const cached = this.cache.get(tokenId);
    if (cached && cached.expiresAt > this.now()) return cached;
    const unknownUntil = this.unknown.get(tokenId);
    if (unknownUntil !== undefined) {
      if (unknownUntil > this.now()) return undefined;
      this.unknown.delete(tokenId);
    }
    let events;
    try {
      events = await this.store.readStream(tokenStream(tokenId));
    } catch (error) {
      if (error instanceof StreamNotFound) {
        this.rememberUnknown(tokenId);
        return undefined;
      }
      throw error;
    }
    let entry: CachedToken | undefined;
    for (const event of events) {
      if (event.type === TOKEN_ISSUED) {
        const data = event.data as TokenIssuedData;
        entry = {
          secretHash: data.secretHash,
          principal: principalOf(tokenId, data.scope as unknown as TokenScope),
          tokenExpiresAt: expiryOf(data, event.recordedAt.toISOString()),
          expiresAt: this.now() + this.cacheMillis,
        };
      } else if (event.type === TOKEN_REVOKED && entry) {
        entry = { ...entry, principal: undefined };
      }
    }
    if (entry) this.cache.set(tokenId, entry);
    return entry;
  }

  private rememberUnknown(tokenId: string): void {
    if (this.unknown.size >= MAX_UNKNOWN_IDS) {
      const oldest = this.unknown.keys().next().value;
      if (oldest !== undefined) this.unknown.delete(oldest);
    }
    this.unknown.set(tokenId, this.now() + this.cacheMillis);
  }
}

export function principalOf(tokenId: string, scope: TokenScope): Principal {
  switch (scope.kind) {
    case 'admin':
      return { kind: 'admin', tokenId };
    case 'auditor':
      return { kind: 'auditor', tokenId };
    case 'party':
      return { kind: 'party', tokenId, partyUscc: scope.partyUscc };
    case 'regulator':
      return { kind: 'regulator', tokenId, districts: scope.districts, categories: scope.categories };
    default: {
      const unknownScope: never = scope;
      throw new Error(`unknown token scope ${JSON.stringify(unknownScope)}`);
    }
  }
}
