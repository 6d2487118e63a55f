import type { FastifyInstance, FastifyRequest } from 'fastify';
import { textProblem } from '@wasteflow/domain';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { MethodNotAllowed, UrlTooLong } from './edge.errors';

/**
 * Headers the api reads as one value. Node.js joins repeated unknown headers with ", " (two
 * Idempotency-Keys became the key "a1, a2") and silently drops a repeated Authorization or
 * Content-Type: each is ambiguous, so a request repeating one is refused.
 */
const SINGLE_HEADERS: Readonly<Record<string, string>> = {
  authorization: 'Authorization',
  'idempotency-key': 'Idempotency-Key',
  'content-type': 'Content-Type',
  host: 'Host',
  'x-forwarded-host': 'X-Forwarded-Host',
  'x-forwarded-proto': 'X-Forwarded-Proto',
};

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The first `onRequest` checks, before authentication: the request target's length (414, not echoed),
 * headers given twice (400 `duplicate-header`), and a known path asked with a method it does not
 * take (405 with `Allow`, where Fastify would say 404).
 */
export function installRequestChecks(
  fastify: FastifyInstance,
  options: { readonly maxUrlLength: number },
): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.url.length > options.maxUrlLength) throw new UrlTooLong(options.maxUrlLength);
    const repeated = repeatedSingleHeader(request.raw.rawHeaders);
    if (repeated) {
      throw new InvalidRequest(
        [{ field: repeated, rule: 'duplicate-header', message: `${repeated} must be given once` }],
        'duplicate-header',
      );
    }
    const notText = urlTextProblem(request.url);
    if (notText)
      throw InvalidRequest.field(notText.field, 'invalid-text', `${notText.field}: ${notText.reason}`);
    if (request.is404) {
      const path = request.url.split('?')[0];
      const allow = METHODS.filter((method) => fastify.findRoute({ method, url: path }) !== null);
      if (allow.length > 0) throw new MethodNotAllowed(request.method, allow);
    }
    return undefined;
  });
}

/**
 * The request target holds text too: a path parameter or a query value that decodes to NUL, a control
 * character or an unpaired surrogate (or is no UTF-8 at all) is refused here for every route, as a body's
 * free text is — PostgreSQL cannot take U+0000 in a query parameter, and no identifier contains one.
 */
function urlTextProblem(url: string): { field: string; reason: string } | undefined {
  // raw control bytes never reach here (Node's parser refuses them): only escapes can carry them
  if (!url.includes('%')) return undefined;
  const [path, query = ''] = url.split('?', 2);
  const check = (field: string, raw: string) => {
    let text: string;
    try {
      text = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return { field, reason: 'not UTF-8 after percent-decoding' };
    }
    // lengths are the URL limit's business; only the text classes matter here
    const reason = textProblem(text, Number.MAX_SAFE_INTEGER);
    return reason ? { field, reason } : undefined;
  };
  for (const segment of path.split('/')) {
    const problem = check('path', segment);
    if (problem) return problem;
  }
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const [name, value = ''] = pair.split('=', 2);
    const problem = check('query', name) ?? check(`query ${name.slice(0, 40)}`, value);
    if (problem) return problem;
  }
  return undefined;
}

function repeatedSingleHeader(rawHeaders: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const canonical = SINGLE_HEADERS[name];
    if (canonical === undefined) continue;
    if (seen.has(name)) return canonical;
    seen.add(name);
  }
  return undefined;
}
