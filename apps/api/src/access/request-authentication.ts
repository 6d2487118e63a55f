import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, TokenService } from '@wasteflow/ledger';
import { Forbidden } from '@wasteflow/integration';
import { ROUTE_ACCESS, type RouteAccess } from './access.decorators';
import { RateLimited, Unauthenticated } from './access.errors';

/** A request once the hook has looked at its token. */
export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  /** Authenticated with the metrics scrape token (opens only routes marked AllowMetricsScrape). */
  scraper?: true;
}

export interface RequestAuthenticationOptions {
  readonly tokens: TokenService;
  /** Requests per minute per token, and per client address without a valid token; 0: no limit. */
  readonly rateLimit: { readonly perTokenPerMinute: number; readonly anonymousPerMinute: number };
  readonly metricsToken?: string;
}

const MINUTE = 60_000;

/**
 * Authentication at the edge, in an `onRequest` hook: it runs when the route is known and before a
 * single byte of the body is read, so an unauthenticated 7 MB body costs nothing but its headers, and a
 * token of the wrong kind is refused (403) as early. The route says who may call it (its `RouteAccess`,
 * written by `@Allow` / `@Public`); a route that says nothing (Swagger UI, static files, unknown paths)
 * needs no token. Then the rate limits: per token for authenticated requests, per client address for
 * the rest (failed authentications included, so guessing tokens is limited too), each answering 429 with
 * `Retry-After`.
 */
export async function installRequestAuthentication(
  fastify: FastifyInstance,
  options: RequestAuthenticationOptions,
): Promise<void> {
  await fastify.register(rateLimit, { global: false });
  const perToken = limiter(fastify, 'token', options.rateLimit.perTokenPerMinute, (request) => {
    return `token:${(request as AuthenticatedRequest).principal?.tokenId ?? ''}`;
  });
  const anonymous = limiter(fastify, 'client', options.rateLimit.anonymousPerMinute, (request) => {
    return `client:${request.ip}`;
  });
  const scrapeDigest = options.metricsToken ? digest(options.metricsToken) : undefined;

  fastify.addHook('onRequest', async (raw: FastifyRequest) => {
    const request = raw as AuthenticatedRequest;
    const access = accessOf(request);
    if (!access || access.public) return anonymous(request);
    const bearer = bearerOf(request.headers.authorization);
    if (access.scrape && bearer && scrapeDigest && timingSafeEqual(digest(bearer), scrapeDigest)) {
      request.scraper = true;
      return undefined;
    }
    const principal = bearer ? await options.tokens.authenticate(bearer) : undefined;
    if (!principal) {
      await anonymous(request);
      throw new Unauthenticated();
    }
    request.principal = principal;
    await perToken(request);
    if (!access.allow?.includes(principal.kind)) {
      throw Forbidden.kindNotAllowed(principal.kind, access.allow ?? []);
    }
    return undefined;
  });
}

function limiter(
  fastify: FastifyInstance,
  who: 'token' | 'client',
  perMinute: number,
  keyOf: (request: FastifyRequest) => string,
): (request: FastifyRequest) => Promise<void> {
  if (perMinute <= 0) return async () => undefined;
  const check = fastify.createRateLimit({ max: perMinute, timeWindow: MINUTE, keyGenerator: keyOf });
  return async (request) => {
    const state = await check(request);
    if (!state.isAllowed && state.isExceeded)
      throw new RateLimited(who, perMinute, Math.max(1, state.ttlInSeconds));
  };
}

function accessOf(request: FastifyRequest): RouteAccess | undefined {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  return config?.[ROUTE_ACCESS] as RouteAccess | undefined;
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
