import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CorrectMassCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { TraceCodePipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { CorrectMassDto, CorrectMassResponseDto } from './correct-mass.dto';

@ApiTags('batches')
@Controller('v1/batches/:code/corrections')
export class CorrectMassController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiParam({ name: 'code', example: EXAMPLE.traceCode })
  @ApiWrite({
    summary: 'Correct the held mass of a batch (custodian, with an approval by someone else)',
    description:
      'MassCorrected: a compensating event with reason and approvals, never an edit in place. The batch must be free (not on a manifest); a correction never takes it below zero.',
    response: CorrectMassResponseDto,
  })
  async correct(
    @WriteRequest() write: WriteRequestInfo,
    @Param('code', TraceCodePipe) code: string,
    @Body() body: CorrectMassDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['correct-mass'].route, { code });
    return respond(
      reply,
      await this.commands.execute(new CorrectMassCommand(envelope, { ...body, traceCode: code })),
    );
  }
}
