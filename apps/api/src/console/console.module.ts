import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';
import { CONSOLE_CSP, ConsoleNotBuilt } from './console-page';

/** A year: the assets under /assets/ are named by their content hash, so a name never changes meaning. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/** Paths that belong to the API and the operators' endpoints: never answered with the console's page. */
const NOT_CONSOLE = /^\/(v1|health|metrics|docs|docs-json|assets)(\/|$|-)/;

/**
 * The console (DESIGN §7) served by the api: /assets/* from the build with long, immutable caching, and
 * index.html for every client route. Global so the public trace route can answer a browser with the
 * console's page.
 *
 * The client routes are answered from an `onRequest` hook for GET/HEAD requests no route matched,
 * rather than by a wildcard route: a wildcard would match every path the router could not, so the
 * edge's own answers for API paths (405 with `Allow` for a known path asked with another method, 414
 * for an over-long path segment) would never be reached. The hook is added while the modules
 * initialise, after the edge's hooks, so requests meet the edge's checks first.
 */
@Global()
@Module({
  providers: [ConsoleAssets],
  exports: [ConsoleAssets],
})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly assets: ConsoleAssets,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => this.clientRoute(request, reply, done));
    const directory = this.assets.directory;
    if (!directory) return;
    void fastify.register(fastifyStatic, {
      root: join(directory, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      wildcard: true,
      immutable: true,
      maxAge: ASSET_MAX_AGE_MS,
      preCompressed: false,
    });
  }

  private clientRoute(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const method = request.method;
    const path = request.url.split('?')[0];
    if (!request.is404 || (method !== 'GET' && method !== 'HEAD') || NOT_CONSOLE.test(path)) {
      done();
      return;
    }
    const html = this.assets.indexHtml();
    if (html === undefined) {
      done(new ConsoleNotBuilt());
      return;
    }
    void reply
      .code(200)
      .header('cache-control', 'no-store')
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CONSOLE_CSP)
      .send(html);
  }
}
