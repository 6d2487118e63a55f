import { Controller, Get, Header, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { ConsoleAssets } from './console-assets';
import { CONSOLE_CSP, ConsoleNotBuilt } from './console-page';

/** Paths that belong to the API and the operators' endpoints: never answered with the console's page. */
const NOT_CONSOLE = /^\/(v1|health|metrics|docs|docs-json|assets)(\/|$|\?|-)/;

/**
 * The console's client routes (the sign-in page, the dashboards …): every GET that no other route
 * answers gets `index.html`, no-store, so a new build is picked up at once and its hashed assets (long
 * cached) are the ones it names. An unknown path under /v1, /health, /metrics, /docs or /assets stays
 * the API's 404 problem document.
 */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get('*')
  @Public()
  @Header('cache-control', 'no-store')
  page(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const path = request.url;
    if (NOT_CONSOLE.test(path)) throw new NotFoundException(`Cannot GET ${path.split('?')[0]}`);
    const html = this.assets.indexHtml();
    if (html === undefined) throw new ConsoleNotBuilt();
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CONSOLE_CSP);
    return html;
  }
}
