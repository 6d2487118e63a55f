import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CloseAlertCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { AlertIdPipe } from '../common/path-params';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { CloseAlertDto, CloseAlertResponseDto } from './close-alert.dto';

export const CLOSE_ALERT_ROUTE = 'POST /v1/alerts/{alertId}/close';

@ApiTags('alerts')
@Controller('v1/alerts/:alertId/close')
export class CloseAlertController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('regulator')
  @ApiParam({
    name: 'alertId',
    example: 'overdue_manifest:20263301000001',
    description: 'As GET /v1/alerts gives it',
  })
  @ApiWrite({
    summary: 'Close an alert (a regulator whose regions and categories cover it, with a finding)',
    description:
      'AlertClosed in `alert-<alertId>`, from open or acknowledged (a regulator need not wait for a party that never ' +
      'answers), with the regulator’s token and scope and the finding. Only a regulator that reads the alert: a ' +
      'party of it in its regions and a category of it in its categories (403 alert-outside-jurisdiction, also for ' +
      'an alert that does not exist or is not raised yet); closed is final (409 alert-already-closed).',
    response: CloseAlertResponseDto,
  })
  async close(
    @WriteRequest() write: WriteRequestInfo,
    @Param('alertId', AlertIdPipe) alertId: string,
    @Body() body: CloseAlertDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, CLOSE_ALERT_ROUTE, { alertId });
    return respond(reply, await this.commands.execute(new CloseAlertCommand(envelope, { ...body, alertId })));
  }
}
