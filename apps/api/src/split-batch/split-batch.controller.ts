import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SplitBatchCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { TraceCodePipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { SplitBatchDto, SplitBatchResponseDto } from './split-batch.dto';

@ApiTags('batches')
@Controller('v1/batches/:code/split')
export class SplitBatchController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({
    name: 'code',
    example: EXAMPLE.traceCode,
    description: 'Trace code (case-insensitive, hyphens allowed)',
  })
  @ApiWrite({
    summary: 'Split a batch → child codes (custodian)',
    description:
      'BatchSplit on the parent and BatchSplitOff creating each child; the remainder stays in the parent.',
    response: SplitBatchResponseDto,
  })
  async split(
    @WriteRequest() write: WriteRequestInfo,
    @Param('code', TraceCodePipe) code: string,
    @Body() body: SplitBatchDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['split-batch'].route, { code });
    return respond(
      reply,
      await this.commands.execute(new SplitBatchCommand(envelope, { ...body, traceCode: code })),
    );
  }
}
