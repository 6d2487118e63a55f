import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AcknowledgeAlertCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { AlertIdPipe } from '../common/path-params';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { AcknowledgeAlertDto, AcknowledgeAlertResponseDto } from './acknowledge-alert.dto';

export const ACKNOWLEDGE_ALERT_ROUTE = 'POST /v1/alerts/{alertId}/acknowledge';

@ApiTags('alerts')
@Controller('v1/alerts/:alertId/acknowledge')
export class AcknowledgeAlertController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({
    name: 'alertId',
    example: 'overdue_manifest:20263301000001',
    description: 'As GET /v1/alerts gives it',
  })
  @ApiWrite({
    summary: 'Acknowledge an alert (a party it names, with a note)',
    description:
      'AlertAcknowledged in `alert-<alertId>`: the alert goes from open to acknowledged, with the party, its role on ' +
      'the alert and the note. Only a party the alert names (403 alert-not-concerning-party, also for an alert that ' +
      'does not exist or is not raised yet), only while open (409 alert-already-acknowledged / alert-already-closed).',
    response: AcknowledgeAlertResponseDto,
  })
  async acknowledge(
    @WriteRequest() write: WriteRequestInfo,
    @Param('alertId', AlertIdPipe) alertId: string,
    @Body() body: AcknowledgeAlertDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, ACKNOWLEDGE_ALERT_ROUTE, { alertId });
    return respond(
      reply,
      await this.commands.execute(new AcknowledgeAlertCommand(envelope, { ...body, alertId })),
    );
  }
}
