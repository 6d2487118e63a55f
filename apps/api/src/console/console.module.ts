import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';
import { ConsoleController } from './console.controller';

/** A year: the assets under /assets/ are named by their content hash, so a name never changes meaning. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * The console (DESIGN §7) served by the api: /assets/* from the build with long, immutable caching, and
 * index.html for every client route (ConsoleController). Global so the public trace route can answer a
 * browser with the console's page.
 */
@Global()
@Module({
  controllers: [ConsoleController],
  providers: [ConsoleAssets],
  exports: [ConsoleAssets],
})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly assets: ConsoleAssets,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const directory = this.assets.directory;
    if (!directory) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
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
}
