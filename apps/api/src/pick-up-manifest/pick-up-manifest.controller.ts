import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PickUpManifestCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { ManifestNumberPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { PickUpManifestDto, PickUpManifestResponseDto } from './pick-up-manifest.dto';

@ApiTags('manifests')
@Controller('v1/manifests/:no/pickup')
export class PickUpManifestController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'no', example: EXAMPLE.manifestNo })
  @ApiWrite({
    summary: 'Pick up a manifest (the carrier named on it)',
    description:
      'ManifestPickedUp and, in the same commit, BatchShipped on every batch (the custody step of the process manager).',
    response: PickUpManifestResponseDto,
  })
  async pickUp(
    @WriteRequest() write: WriteRequestInfo,
    @Param('no', ManifestNumberPipe) no: string,
    @Body() body: PickUpManifestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['pick-up-manifest'].route, { no });
    return respond(
      reply,
      await this.commands.execute(new PickUpManifestCommand(envelope, { ...body, manifestNo: no })),
    );
  }
}
