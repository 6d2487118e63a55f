import { applyDecorators, Get } from '@nestjs/common';
import { ApiOperation, ApiProduces, type ApiOperationOptions } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';

/**
 * A GET route answering a document (a label, the 联单, a QR code) of `type`: parties, regulators and auditors
 * may ask, the scope rule of the batch or manifest decides, and it is refused as a read is (400 a malformed
 * parameter, 403 out of scope, 404 unknown to an auditor, 503 the read model not there yet). Listed in the
 * order the stacked decorators were applied (the lowest first).
 */
export function DocumentRoute(path: string, type: string, operation: ApiOperationOptions): MethodDecorator {
  return applyDecorators(
    ApiProblems(400, 401, 403, 404, 503),
    ApiProduces(type),
    ApiOperation(operation),
    Allow('party', 'regulator', 'auditor'),
    Get(path),
  );
}

/** A PDF, shown in the browser (inline) and saved under `filename`. */
export function sendPdf(reply: FastifyReply, pdf: Buffer, filename: string): Buffer {
  void reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${filename}"`);
  return pdf;
}

/** An SVG image, as text. */
export function sendSvg(reply: FastifyReply, svg: string): string {
  void reply.header('content-type', 'image/svg+xml; charset=utf-8');
  return svg;
}
