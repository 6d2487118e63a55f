import type { SecurityHeadersOptions } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every answer (`app.useSecurityHeaders`, NestJS's own helmet-compatible hook,
 * which runs first on every request, refusals included). The Content-Security-Policy is written for the
 * pages this api serves (the public trace page, Swagger UI at /docs, the console's Vite build): scripts,
 * styles, fonts, images and API calls from this origin only, no inline scripts, no plugins, never framed.
 * Inline styles stay allowed: Swagger UI ships a <style> block and ECharts writes style attributes into
 * its tooltips; a script cannot be injected through them. `upgrade-insecure-requests` is left out so a
 * plain-HTTP deployment on a private network still loads its own assets.
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
};

/**
 * `Cache-Control: no-store` on every answer to a request that carried a token (an authenticated read
 * must not sit in a shared or browser cache), and on every answer whose route set no caching of its own
 * (refusals, health); a public route keeps what it chose (the public trace page: a minute; static files).
 */
export function installCacheControl(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const authenticated = (request as { principal?: unknown }).principal !== undefined;
    if (authenticated || request.headers.authorization !== undefined || !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
