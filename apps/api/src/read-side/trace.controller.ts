import {
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  Optional,
  Param,
  Query,
  Req,
  Res,
  type PipeTransform,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as QRCode from 'qrcode';
import {
  CATEGORY_NAMES,
  divisionName,
  InvalidTraceCode,
  parseTraceCode,
  type WasteCategory,
} from '@wasteflow/domain';
import type { Principal } from '@wasteflow/ledger';
import { TraceQuery, type PublicTraceView, type TraceView } from '@wasteflow/projections';
import { PartyRegistry, readBatch } from '@wasteflow/integration';
import { Allow, CurrentPrincipal, Public } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { DocumentRoute, sendSvg } from '../documents/document-route';
import { ConsoleAssets } from '../console/console-assets';
import { CONSOLE_CSP } from '../console/console-page';
import type { ApiConfig } from '../config/api-config';
import { API_CONFIG } from '../storage/storage.module';
import { ReadYourWrites } from './read-your-writes';

/** The public trace page's path (the 浙固码 QR code points here): `GET /v1/trace/{code}`, no token. */
export const PUBLIC_TRACE_PATH = 'v1/trace';

/**
 * Decodes `%XX` escapes in a path parameter (a check character `$` or `=` arrives as `%24` / `%3D` from
 * clients that escape it), then parses it. Fastify decodes most escapes already; decoding again what is
 * left is safe because a trace code never contains `%`.
 */
export function percentDecoded(value: unknown): unknown {
  if (typeof value !== 'string' || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * `{code}`: a trace code, percent-decoded, case-insensitive, hyphens and spaces ignored, canonical form out;
 * a mistyped one (bad check character, bad length …) is 400 `invalid-trace-code`, never 404.
 */
@Injectable()
export class DecodedTraceCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const decoded = percentDecoded(value);
    if (typeof decoded === 'string' && decoded.length > 200)
      throw new InvalidTraceCode('code', decoded.slice(0, 40), 'too long');
    return parseTraceCode(decoded, 'code').code;
  }
}

export function publicTraceUrl(base: string, traceCode: string): string {
  return `${base}/${PUBLIC_TRACE_PATH}/${encodeURIComponent(traceCode)}`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STATUS_NAMES: Record<string, string> = {
  held: '贮存/持有 held',
  consigned: '待转移 consigned',
  in_transit: '运输中 in transit',
  depleted: '已处置完毕 depleted',
};

function publicHtml(view: PublicTraceView): string {
  const category = CATEGORY_NAMES[view.category as WasteCategory] ?? view.category;
  const district = divisionName(view.origin.districtCode);
  const rows = view.steps
    .map((s) => `<tr><td>${escapeHtml(s.date)}</td><td>${escapeHtml(s.type)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>浙固码 ${escapeHtml(view.traceCode)}</title></head>
<body><h1>浙固码 ${escapeHtml(view.traceCode)}</h1>
<dl><dt>类别 category</dt><dd>${escapeHtml(category)}${view.wasteCode ? ` ${escapeHtml(view.wasteCode)}` : ''}${view.subtype ? ` (${escapeHtml(view.subtype)})` : ''}</dd>
<dt>产生地 origin</dt><dd>${escapeHtml(view.origin.districtCode)}${district ? ` ${escapeHtml(district)}` : ''}, ${escapeHtml(view.origin.generatedOn)}</dd>
<dt>状态 status</dt><dd>${escapeHtml(STATUS_NAMES[view.status] ?? view.status)}</dd></dl>
<table><thead><tr><th>日期 date</th><th>环节 step</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`;
}

/**
 * The trace view (浙固码): the full view for the parties on the batch's chain, regulators and auditors; a
 * QR code of the public page; and the public page itself (no token, nothing a public label would not show).
 */
@ApiTags('batches')
@Controller()
export class TraceController {
  constructor(
    private readonly trace: TraceQuery,
    private readonly readYourWrites: ReadYourWrites,
    private readonly parties: PartyRegistry,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Optional() private readonly console?: ConsoleAssets,
  ) {}

  @Get('v1/batches/:code')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: 'The trace view of a batch: lineage, custody chain, steps, masses, discrepancies',
    description:
      'Parties on its chain (custodians past and present, the shippers, carriers and receivers of the manifests it ' +
      'travelled on, and those of its ancestors); regulators of its category whose regions hold its origin, a custodian’s ' +
      'or a receiver’s district; auditors. To anyone else an existing and an unknown code get the same 403. ' +
      'A treatment step (WasteUtilised / WasteDisposed) names its `operation`, `mode`, the `permitNo` it was done ' +
      'under (hazardous waste) and the registered facility that treated it (`facilityCode`, when recorded).',
  })
  @ApiParam({
    name: 'code',
    description: 'Trace code (case-insensitive; hyphens allowed; percent-encoding decoded)',
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait (bounded) until the read models reached it',
  })
  @ApiProblems(400, 401, 403, 404, 503)
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Param('code', DecodedTraceCodePipe) code: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<TraceView> {
    await this.readYourWrites.reach(minPosition, 'trace');
    const { view } = await readBatch(principal, code, this.trace, this.parties);
    return view;
  }

  @DocumentRoute('v1/batches/:code/qr.svg', 'image/svg+xml', {
    summary: 'The 浙固码 QR code of a batch (SVG): the URL of its public trace page',
    description:
      'Same access as the trace view. The URL is WASTEFLOW_PUBLIC_URL + /v1/trace/{code}, never taken from the request.',
  })
  @Header('cache-control', 'private, max-age=3600')
  async qr(
    @CurrentPrincipal() principal: Principal,
    @Param('code', DecodedTraceCodePipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('minPosition') minPosition?: string,
  ): Promise<string> {
    await this.readYourWrites.reach(minPosition, 'trace');
    await readBatch(principal, code, this.trace, this.parties);
    const svg = await QRCode.toString(publicTraceUrl(this.config.publicUrl, code), {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return sendSvg(reply, svg);
  }

  @Get(`${PUBLIC_TRACE_PATH}/:code`)
  @Public()
  @ApiOperation({
    summary: 'Public trace page of a batch (the QR code target; no token)',
    description:
      'Category, origin district and day, current status, the steps’ types and days; no party, mass or manifest. ' +
      'JSON, or an HTML page when the client accepts text/html (a phone scanning the code).',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ description: 'The public summary' })
  @ApiProblems(400, 404)
  async publicTrace(
    @Param('code', DecodedTraceCodePipe) code: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicTraceView | string> {
    const accept = String(request.headers.accept ?? '');
    const html = /text\/html/i.test(accept) && !/application\/json/i.test(accept.split(/text\/html/i)[0]);
    // A browser gets the console's public trace page, which reads this same route as JSON.
    const page = html ? this.console?.indexHtml() : undefined;
    if (page !== undefined) {
      void reply
        .header('cache-control', 'no-store')
        .header('vary', 'accept')
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CONSOLE_CSP);
      return page;
    }
    const view = await this.trace.findPublic(code);
    void reply.header('cache-control', 'public, max-age=60').header('vary', 'accept');
    if (html) {
      void reply.header('content-type', 'text/html; charset=utf-8');
      return publicHtml(view);
    }
    return view;
  }
}
