import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Principal, PrincipalKind } from '@wasteflow/ledger';
import { ApiProblems } from '../common/openapi';

export const ALLOWED_KINDS = 'wasteflow:allowed-kinds';
export const PUBLIC_ROUTE = 'wasteflow:public';
export const SCRAPE_ALLOWED = 'wasteflow:scrape-allowed';

/** The key of a route's Fastify config that says who may call it (read before the body is read). */
export const ROUTE_ACCESS = 'wasteflowAccess';

/** Who may call a route, as its Fastify route config carries it to the authentication hook. */
export interface RouteAccess {
  readonly public?: true;
  readonly allow?: readonly PrincipalKind[];
  /** The metrics scrape token (WASTEFLOW_METRICS_TOKEN) opens this route too. */
  readonly scrape?: true;
}

/**
 * Which kinds of token may call this route at all; finer rules (custodian, scope) come after. It also
 * writes the route's `security` and its 401 / 403 / 429 into the OpenAPI document, so the document says
 * what the edge does for every route (issue 10 row 17) without each controller repeating it.
 */
export const Allow = (...kinds: PrincipalKind[]) =>
  applyDecorators(
    SetMetadata(ALLOWED_KINDS, kinds),
    routeAccess({ allow: kinds }),
    ApiBearerAuth(),
    ApiProblems(401, 403, 429),
  );

/** No token needed (health, the public trace page). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), routeAccess({ public: true }));

/** Besides the tokens `Allow` names, the metrics scrape token (WASTEFLOW_METRICS_TOKEN) may call it. */
export const AllowMetricsScrape = () =>
  applyDecorators(SetMetadata(SCRAPE_ALLOWED, true), routeAccess({ scrape: true }));

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    if (!request.principal) throw new Error('route reached without an authenticated principal');
    return request.principal;
  },
);

/**
 * Writes the access rule into the route's Fastify config (the adapter hands a handler's
 * FASTIFY_ROUTE_CONFIG_METADATA to `fastify.route`), so the `onRequest` hook knows it before any byte
 * of the body is read. On a class it applies to every method, a method's own rule winning.
 */
function routeAccess(access: RouteAccess): ClassDecorator & MethodDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      mergeAccess(descriptor.value as object, access, true);
      return descriptor;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof method === 'function') mergeAccess(method, access, false);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}

function mergeAccess(handler: object, access: RouteAccess, overrides: boolean): void {
  const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<
    string,
    unknown
  >;
  const existing = (config[ROUTE_ACCESS] ?? {}) as RouteAccess;
  const merged = overrides ? { ...existing, ...access } : { ...access, ...existing };
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [ROUTE_ACCESS]: merged }, handler);
}
