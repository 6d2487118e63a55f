import { Controller, Param, Query, Res } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseTraceCode, isDomainError } from '@wasteflow/domain';
import type { Principal } from '@wasteflow/ledger';
import { CurrentPrincipal } from '../access/access.decorators';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { DecodedTraceCodePipe, percentDecoded } from '../read-side/trace.controller';
import { DocumentRoute, sendPdf, sendSvg } from './document-route';
import { renderPdf, renderSvg } from './drawing';
import { LabelFactsReader } from './label-facts';
import { labelPage, labelSheet, LABEL_SIZES_MM, type LabelSize } from './label.layout';

/** The most labels one sheet request prints (80 codes keep the URL under the edge's 2,048 characters). */
export const MAX_SHEET_LABELS = 80;

function sizeOf(value: string | undefined): LabelSize | undefined {
  if (value === undefined || value === '') return undefined;
  const size = Number(value);
  if (!(LABEL_SIZES_MM as readonly number[]).includes(size) || !/^\d+$/.test(value)) {
    throw InvalidRequest.field('size', 'isIn', `size must be one of ${LABEL_SIZES_MM.join(', ')} (mm)`);
  }
  return size as LabelSize;
}

function codesOf(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') {
    throw InvalidRequest.field('codes', 'isNotEmpty', 'codes: one or more trace codes, separated by commas');
  }
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length > MAX_SHEET_LABELS) {
    throw InvalidRequest.field(
      'codes',
      'arrayMaxSize',
      `codes: at most ${MAX_SHEET_LABELS} trace codes per sheet`,
    );
  }
  return parts.map((part, i) => {
    try {
      return parseTraceCode(percentDecoded(part.slice(0, 200)), `codes[${i}]`).code;
    } catch (error) {
      if (isDomainError(error)) throw InvalidRequest.field(`codes[${i}]`, error.rule, error.message);
      throw error;
    }
  });
}

/**
 * HJ 1276-2022 container labels (危险废物标签): one label as PDF or SVG, and a sheet of labels (A4) for a
 * list of trace codes. Same access as the trace view; the QR code carries WASTEFLOW_PUBLIC_URL + the
 * public trace path, never the request's host.
 */
@ApiTags('documents')
@Controller()
export class LabelsController {
  constructor(
    private readonly labels: LabelFactsReader,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @DocumentRoute('v1/batches/:code/label.pdf', 'application/pdf', {
    summary: 'The HJ 1276-2022 label of a batch (PDF, 100, 150 or 200 mm square)',
    description:
      'Size by the container volume recorded at generation (≤ 50 L: 100 mm, ≤ 450 L: 150 mm, more: 200 mm), or `size`. ' +
      'Fields the ledger does not hold print as blank lines to fill in by hand.',
  })
  @ApiParam({ name: 'code', description: 'Trace code' })
  @ApiQuery({ name: 'size', required: false, enum: [...LABEL_SIZES_MM] })
  async labelPdf(
    @CurrentPrincipal() principal: Principal,
    @Param('code', DecodedTraceCodePipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('size') size?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<Buffer> {
    const requested = sizeOf(size);
    await this.readYourWrites.reach(minPosition);
    const facts = await this.labels.label(principal, code, requested);
    const pdf = await renderPdf([labelPage(facts)], {
      title: `危险废物标签 ${code}`,
      subject: 'HJ 1276-2022',
    });
    return sendPdf(reply, pdf, `label-${code}.pdf`);
  }

  @DocumentRoute('v1/batches/:code/label.svg', 'image/svg+xml', {
    summary: 'The HJ 1276-2022 label of a batch (SVG, sized in mm)',
  })
  @ApiParam({ name: 'code', description: 'Trace code' })
  @ApiQuery({ name: 'size', required: false, enum: [...LABEL_SIZES_MM] })
  async labelSvg(
    @CurrentPrincipal() principal: Principal,
    @Param('code', DecodedTraceCodePipe) code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('size') size?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<string> {
    const requested = sizeOf(size);
    await this.readYourWrites.reach(minPosition);
    const facts = await this.labels.label(principal, code, requested);
    return sendSvg(reply, renderSvg(labelPage(facts), `危险废物标签 ${code}`));
  }

  @DocumentRoute('v1/labels.pdf', 'application/pdf', {
    summary: 'A sheet of HJ 1276-2022 labels (A4 PDF) for a list of trace codes',
    description: `codes: up to ${MAX_SHEET_LABELS} trace codes, comma-separated, each readable by the caller (else 403 naming none of the others).`,
  })
  @ApiQuery({ name: 'codes', required: true })
  @ApiQuery({ name: 'size', required: false, enum: [...LABEL_SIZES_MM] })
  async sheet(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('codes') codes?: string,
    @Query('size') size?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<Buffer> {
    const list = codesOf(codes);
    const requested = sizeOf(size);
    await this.readYourWrites.reach(minPosition);
    const labels = [];
    for (const code of list) labels.push(await this.labels.label(principal, code, requested));
    const pdf = await renderPdf(labelSheet(labels), {
      title: `危险废物标签 ${list.length}`,
      subject: 'HJ 1276-2022',
    });
    return sendPdf(reply, pdf, 'labels.pdf');
  }
}
