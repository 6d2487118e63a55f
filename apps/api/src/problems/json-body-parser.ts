import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { InvalidRequest } from './invalid-request.exception';
import { checkJsonLimits, type JsonLimits } from './json-limits';

/** Where a route's own JSON limits travel (set from its body policy when the route is registered). */
export const ROUTE_JSON_LIMITS = 'wasteflowJsonLimits';

/**
 * Replaces Fastify's body parsers: JSON only (anything else is 415). Fastify stops reading at the route's
 * byte limit (413); the text is then checked against the route's JSON limits in one linear pass (depth,
 * keys per object, elements per array, values, duplicate keys, a leading BOM) BEFORE it is parsed, and
 * only a text within them is parsed. Refusals are 400 problems naming `body` or the path and the rule;
 * `__proto__` / `constructor.prototype` keys are refused too (prototype poisoning).
 */
export function installJsonBodyParser(fastify: FastifyInstance, defaults: JsonLimits): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, routeLimits(request) ?? defaults));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export function parseJsonBody(text: string, limits: JsonLimits): unknown {
  if (text.trim() === '') {
    throw malformed('the body is empty; send a JSON document');
  }
  const violation = checkJsonLimits(text, limits);
  if (violation) throw new InvalidRequest([violation], violation.rule);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw malformed(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

function routeLimits(request: FastifyRequest): JsonLimits | undefined {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  return config?.[ROUTE_JSON_LIMITS] as JsonLimits | undefined;
}

function malformed(message: string): InvalidRequest {
  return InvalidRequest.field('body', 'malformed-json', message);
}
