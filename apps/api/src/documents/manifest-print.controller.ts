import { Controller, Param, Query, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@wasteflow/ledger';
import { CurrentPrincipal } from '../access/access.decorators';
import { ManifestNumberPipe } from '../common/path-params';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { DocumentRoute, sendPdf } from './document-route';
import { renderPdf } from './drawing';
import { ManifestPrintReader } from './manifest-print';
import { manifestPages } from './manifest-print.layout';

/** The 危险废物转移联单 print: what the driver carries, filled from the manifest's events. */
@ApiTags('documents')
@Controller()
export class ManifestPrintController {
  constructor(
    private readonly prints: ManifestPrintReader,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @DocumentRoute('v1/manifests/:no.pdf', 'application/pdf', {
    summary: 'The 转移联单 of a manifest (A4 PDF): part 1 shipper and lines, part 2 carrier, part 3 receiver',
    description:
      'Same access as GET /v1/manifests/{no}. Filled from the events as far as they go (pickup, receipt, the ' +
      'discrepancy verdict); what the ledger does not hold prints as blank lines to fill in by hand.',
  })
  @ApiParam({ name: 'no', description: 'Manifest number (14 digits)' })
  async print(
    @CurrentPrincipal() principal: Principal,
    @Param('no', ManifestNumberPipe) manifestNo: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('minPosition') minPosition?: string,
  ): Promise<Buffer> {
    await this.readYourWrites.reach(minPosition);
    const print = await this.prints.print(principal, manifestNo);
    const pdf = await renderPdf(manifestPages(print), { title: `危险废物转移联单 ${manifestNo}` });
    return sendPdf(reply, pdf, `manifest-${manifestNo}.pdf`);
  }
}
