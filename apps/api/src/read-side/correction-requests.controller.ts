import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@wasteflow/ledger';
import { TraceQuery, type TraceCorrectionRequest } from '@wasteflow/projections';
import { PartyRegistry, readBatch } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiProblems } from '../common/openapi';
import { ReadYourWrites } from './read-your-writes';
import { DecodedTraceCodePipe } from './trace.controller';

class CorrectionDeciderDto {
  @ApiProperty({ enum: ['party', 'regulator'], example: 'regulator' })
  kind!: string;
  @ApiPropertyOptional({ example: EXAMPLE.generatorUscc, description: 'A party: its USCC' })
  uscc?: string;
  @ApiPropertyOptional({ example: 'tok_3CQ8K2M9', description: 'A regulator: its token id' })
  tokenId?: string;
}

class CorrectionRequestDto {
  @ApiProperty({ example: 'cr-1' })
  requestId!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'lapsed'], example: 'pending' })
  status!: string;
  @ApiProperty({ example: EXAMPLE.generatorUscc })
  requestedBy!: string;
  @ApiProperty({ example: -12.5 })
  deltaKg!: number;
  @ApiProperty({ example: '地磅复核：原登记含包装桶皮重' })
  reason!: string;
  @ApiProperty({ example: '2026-03-02T15:30:00+08:00' })
  occurredAt!: string;
  @ApiProperty({ example: '2026-03-02T07:31:02.000Z' })
  recordedAt!: string;
  @ApiPropertyOptional({ example: '2026-03-03T01:10:00.000Z' })
  decidedAt?: string;
  @ApiPropertyOptional({ type: CorrectionDeciderDto })
  decidedBy?: CorrectionDeciderDto;
  @ApiPropertyOptional({
    example: '已核对地磅单',
    description: "The approver's note or the rejection's reason",
  })
  decisionReason?: string;
}

class CorrectionRequestsResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  traceCode!: string;
  @ApiProperty({ type: [CorrectionRequestDto] })
  requests!: CorrectionRequestDto[];
  @ApiProperty({ example: '1042', description: 'The trace projection position this was read at' })
  position!: string;
}

/** GET /v1/batches/{code}/correction-requests: who may read the trace reads its correction requests (ADR 0018). */
@ApiTags('batches')
@Controller()
export class CorrectionRequestsController {
  constructor(
    private readonly trace: TraceQuery,
    private readonly readYourWrites: ReadYourWrites,
    private readonly parties: PartyRegistry,
  ) {}

  @Get('v1/batches/:code/correction-requests')
  @Allow('party', 'regulator', 'auditor')
  @ApiOperation({
    summary: 'The correction requests of a batch: pending, approved, rejected, lapsed',
    description:
      'Read as the trace view is (parties on its chain, regulators in scope, auditors; anyone else gets the same 403 for an existing and an unknown code). A pending request lapses when the batch changes hands.',
  })
  @ApiParam({ name: 'code', example: EXAMPLE.traceCode })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait (bounded) until the read models reached it',
  })
  @ApiOkResponse({ type: CorrectionRequestsResponseDto })
  @ApiProblems(400, 401, 403, 404, 503)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('code', DecodedTraceCodePipe) code: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<{ traceCode: string; requests: readonly TraceCorrectionRequest[]; position: string }> {
    await this.readYourWrites.reach(minPosition, 'trace');
    const { view } = await readBatch(principal, code, this.trace, this.parties);
    return { traceCode: view.traceCode, requests: view.corrections, position: view.position };
  }
}
