import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { InvalidRequest } from './invalid-request.exception';

/** No request body of ours nests deeper than a few levels; deeper input only costs stack and CPU. */
export const MAX_JSON_DEPTH = 32;

/**
 * Replaces Fastify's body parsers: JSON only (anything else is 415), refused with a 400 problem naming
 * `body` when it is empty, malformed, nested deeper than MAX_JSON_DEPTH or carries `__proto__` /
 * `constructor.prototype` keys. Validation deeper in the stack (class-transformer) recurses over the body,
 * so the depth bound is what keeps every input a 4xx.
 */
export function installJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw malformed('the body is empty; send a JSON document');
  }
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw InvalidRequest.field('body', 'json-too-deep', `the body nests ${depth} levels; at most ${MAX_JSON_DEPTH} are accepted`);
  }
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw malformed(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

function malformed(message: string): InvalidRequest {
  return InvalidRequest.field('body', 'malformed-json', message);
}

/** Deepest bracket nesting outside string literals, found without parsing. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return deepest;
}
