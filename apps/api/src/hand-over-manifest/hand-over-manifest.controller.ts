import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HandOverManifestCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { ManifestNumberPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { HandOverManifestDto, HandOverManifestResponseDto } from './hand-over-manifest.dto';

@ApiTags('manifests')
@Controller('v1/manifests/:no/handover')
export class HandOverManifestController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'no', example: EXAMPLE.manifestNo })
  @ApiWrite({
    summary: 'Hand a manifest in transit over to the next carrier (多式联运; the carrier holding it now)',
    description:
      'ManifestHandedOver and, in the same commit, BatchHandedOver on every batch: the next carrier holds the ' +
      'waste in transit (legal custody stays with the shipper), and the receiver receives from the last carrier. ' +
      'Only the carrier holding the manifest (403 not-current-carrier), after pickup and before receipt (409), ' +
      'to another registered carrier (404 party-not-found, 422 carrier-role-required, 422 handover-to-self), ' +
      'not dated before the current leg began (422 occurred-out-of-order).',
    response: HandOverManifestResponseDto,
  })
  async handOver(
    @WriteRequest() write: WriteRequestInfo,
    @Param('no', ManifestNumberPipe) no: string,
    @Body() body: HandOverManifestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['hand-over-manifest'].route, { no });
    return respond(
      reply,
      await this.commands.execute(new HandOverManifestCommand(envelope, { ...body, manifestNo: no })),
    );
  }
}
