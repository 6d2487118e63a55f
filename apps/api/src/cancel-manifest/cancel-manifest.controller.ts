import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CancelManifestCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { ManifestNumberPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { CancelManifestDto, CancelManifestResponseDto } from './cancel-manifest.dto';

@ApiTags('manifests')
@Controller('v1/manifests/:no/cancel')
export class CancelManifestController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'no', example: EXAMPLE.manifestNo })
  @ApiWrite({
    summary: 'Cancel a manifest before pickup (the shipper)',
    description: 'ManifestCancelled and BatchConsignmentReleased on every batch (the lock is lifted).',
    response: CancelManifestResponseDto,
  })
  async cancel(
    @WriteRequest() write: WriteRequestInfo,
    @Param('no', ManifestNumberPipe) no: string,
    @Body() body: CancelManifestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['cancel-manifest'].route, { no });
    return respond(
      reply,
      await this.commands.execute(new CancelManifestCommand(envelope, { ...body, manifestNo: no })),
    );
  }
}
