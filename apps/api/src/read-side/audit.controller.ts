import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { normaliseTraceCode } from '@wasteflow/domain';
import { parseAsOf, StreamHistoryQuery, type StreamHistory } from '@wasteflow/projections';
import { Allow } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { percentDecoded } from './trace.controller';

/** The auditor's history of a stream, read from the event store itself. */
@ApiTags('audit')
@Controller('v1/audit/streams')
export class AuditController {
  constructor(private readonly history: StreamHistoryQuery) {}

  @Get(':stream')
  @Allow('auditor')
  @ApiOperation({
    summary: 'Every event of a stream with the aggregate state after it, and its hash chain verified',
    description:
      'party-<USCC>, batch-<trace code>, manifest-<no> (state after each event by the domain’s evolve), token-<id> and ' +
      'others (no state; secret hashes redacted). asOf cuts the history at a time (events recorded at or before it) or ' +
      'at a global position; the integrity chain is verified over exactly what is returned. Reads the log, not a ' +
      'projection: minPosition is accepted and has nothing to wait for.',
  })
  @ApiParam({ name: 'stream', example: 'batch-330106W2603027K2M9QXAQ' })
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'ISO 8601 time with an offset, or a decimal position',
  })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiProblems(400, 401, 403, 404)
  async stream(
    @Param('stream') rawStream: string,
    @Query('asOf') asOf?: string,
    @Query('minPosition') _minPosition?: string,
  ): Promise<StreamHistory> {
    const stream = percentDecoded(rawStream) as string;
    if (typeof stream !== 'string' || stream.trim() === '' || stream.length > 300) {
      throw InvalidRequest.field('stream', 'isStreamName', 'a stream name of 1–300 characters is required');
    }
    return this.history.history(canonicalStream(stream), parseAsOf(asOf));
  }
}

/** `batch-<code>` with the code in any accepted spelling → its canonical stream name; others unchanged. */
function canonicalStream(stream: string): string {
  if (!stream.startsWith('batch-')) return stream;
  try {
    return `batch-${normaliseTraceCode(stream.slice('batch-'.length))}`;
  } catch {
    return stream;
  }
}
