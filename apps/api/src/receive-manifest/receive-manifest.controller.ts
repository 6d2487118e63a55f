import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReceiveManifestCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { ManifestNumberPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { ReceiveManifestDto, ReceiveManifestResponseDto } from './receive-manifest.dto';

@ApiTags('manifests')
@Controller('v1/manifests/:no/receipt')
export class ReceiveManifestController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'no', example: EXAMPLE.manifestNo })
  @ApiWrite({
    summary: 'Receive a manifest (the receiver it is addressed to)',
    description:
      'ManifestReceived (per line: accepted / partial / rejected, lost, discrepancy) and, in the same commit, the batch side: BatchLostInTransit, BatchRejectionSplitOff + BatchReturnedFromRejection (a child back with the shipper), BatchReceived or BatchReturnedToShipper.',
    response: ReceiveManifestResponseDto,
  })
  async receive(
    @WriteRequest() write: WriteRequestInfo,
    @Param('no', ManifestNumberPipe) no: string,
    @Body() body: ReceiveManifestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['receive-manifest'].route, { no });
    return respond(
      reply,
      await this.commands.execute(new ReceiveManifestCommand(envelope, { ...body, manifestNo: no })),
    );
  }
}
