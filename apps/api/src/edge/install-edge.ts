import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TokenService } from '@wasteflow/ledger';
import { installRequestAuthentication } from '../access/request-authentication';
import type { HttpSettings } from '../config/api-config';
import { installJsonBodyParser } from '../problems/json-body-parser';
import { installConnectionCaps, type EdgeFastifyAdapter } from './http-server';
import { installRequestChecks } from './request-checks';
import { installRoutePolicies } from './route-policies';
import { installCacheControl, SECURITY_HEADERS } from './security-headers';

/**
 * Everything between the socket and a controller (README "Security"), in the order a request meets
 * it: connection caps; Node.js's header/request timeouts and header size (see serverOptions); security
 * headers; the request target's length, repeated headers, 405; authentication and rate limits, before
 * the body is read; the body's byte and JSON limits while it is read and before it is parsed;
 * Cache-Control on the way out. Call after NestFactory.create and before app.init().
 */
export async function installEdge(
  app: NestFastifyApplication,
  adapter: EdgeFastifyAdapter,
  edge: HttpSettings,
): Promise<void> {
  const fastify = adapter.getInstance();
  installConnectionCaps(app.getHttpServer(), adapter, edge);
  app.useSecurityHeaders(SECURITY_HEADERS);
  installRoutePolicies(fastify, edge.bodies);
  installJsonBodyParser(fastify, edge.bodies.default.json);
  installRequestChecks(fastify, edge);
  await installRequestAuthentication(fastify, {
    tokens: app.get(TokenService),
    rateLimit: edge.rateLimit,
    metricsToken: edge.metricsToken,
  });
  installCacheControl(fastify);
  // A request refused before its body was read (401, 403, 413, 429 …) is answered at once; Node.js then
  // reads the rest of the body and throws it away (a client still sending would otherwise see its
  // connection reset instead of the answer), within the request timeout. Its socket must not get a
  // second answer (408) if that runs out.
  fastify.addHook('onResponse', async (request) => {
    if (request.raw.complete) return;
    const socket = request.raw.socket;
    adapter.markAnswered(socket, true);
    request.raw.once('end', () => adapter.markAnswered(socket, false));
  });
}
