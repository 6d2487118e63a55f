import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ConsolidateBatchesCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { ConsolidateBatchesDto, ConsolidateBatchesResponseDto } from './consolidate-batches.dto';

@ApiTags('batches')
@Controller('v1/consolidations')
export class ConsolidateBatchesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiWrite({
    summary: 'Consolidate batches → new trace code (custodian of every input)',
    description:
      'BatchesConsolidated creating the new batch (origins carried forward) and BatchConsolidatedInto on each input: same category, same HW code.',
    response: ConsolidateBatchesResponseDto,
  })
  async consolidate(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: ConsolidateBatchesDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['consolidate-batches'].route);
    return respond(reply, await this.commands.execute(new ConsolidateBatchesCommand(envelope, body)));
  }
}
