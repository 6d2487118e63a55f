import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TreatWasteCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { TraceCodePipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { TreatWasteDto, TreatWasteResponseDto } from './treat-waste.dto';

@ApiTags('batches')
@Controller('v1/batches/:code/treatments')
export class TreatWasteController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'code', example: EXAMPLE.consolidatedTraceCode })
  @ApiWrite({
    summary: 'Utilise or dispose of waste (custodian receiver)',
    description:
      'WasteUtilised or WasteDisposed, attributed to the origins it consumes. Hazardous waste needs a valid permit covering the code and the operation.',
    response: TreatWasteResponseDto,
  })
  async treat(
    @WriteRequest() write: WriteRequestInfo,
    @Param('code', TraceCodePipe) code: string,
    @Body() body: TreatWasteDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['treat-waste'].route, { code });
    return respond(
      reply,
      await this.commands.execute(new TreatWasteCommand(envelope, { ...body, traceCode: code })),
    );
  }
}
