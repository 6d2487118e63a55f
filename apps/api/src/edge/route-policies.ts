import type { FastifyInstance, RouteOptions } from 'fastify';
import type { BodyPolicy } from '../config/api-config';
import { ROUTE_JSON_LIMITS } from '../problems/json-body-parser';

/**
 * Gives each route its body policy as it is registered: the byte limit Fastify enforces while reading
 * (413) and the JSON limits the parser checks, from `byRoute` (keyed `METHOD /path`, e.g.
 * `POST /v1/commands`) or the default. Must be installed before the routes are (Nest registers its
 * controllers in `app.init()`).
 */
export function installRoutePolicies(
  fastify: FastifyInstance,
  bodies: { readonly default: BodyPolicy; readonly byRoute: Readonly<Record<string, BodyPolicy>> },
): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const policy = methods.map((method) => bodies.byRoute[`${method} ${route.url}`]).find(Boolean);
    if (!policy) return;
    route.bodyLimit = policy.maxBytes;
    route.config = {
      ...(route.config as object | undefined),
      [ROUTE_JSON_LIMITS]: policy.json,
    } as RouteOptions['config'];
  });
}
