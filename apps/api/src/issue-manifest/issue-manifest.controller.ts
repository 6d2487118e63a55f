import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IssueManifestCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { IssueManifestDto, IssueManifestResponseDto } from './issue-manifest.dto';

@ApiTags('manifests')
@Controller('v1/manifests')
export class IssueManifestController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiWrite({
    summary: 'Issue a manifest → manifest number (shipper = custodian)',
    description:
      'Allocates the number (serial per year and city, in the same commit), ManifestIssued in `manifest-<no>` and BatchConsigned on every batch: a batch on an open manifest cannot be shipped twice.',
    response: IssueManifestResponseDto,
  })
  async issue(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: IssueManifestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['issue-manifest'].route);
    return respond(reply, await this.commands.execute(new IssueManifestCommand(envelope, body)));
  }
}
