import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GenerateWasteCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { GenerateWasteDto, GenerateWasteResponseDto } from './generate-waste.dto';

@ApiTags('batches')
@Controller('v1/batches')
export class GenerateWasteController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('party')
  @ApiBody({
    type: GenerateWasteDto,
    examples: {
      hazardous: {
        summary: 'Waste mineral oil (HW08)',
        value: {
          category: 'hazardous',
          wasteCode: EXAMPLE.wasteCode,
          description: '废矿物油（数控机床切削液更换）',
          massKg: 1250.5,
          occurredAt: EXAMPLE.occurredAt,
        },
      },
      household: {
        summary: 'Perishable household waste (易腐垃圾)',
        value: { category: 'household', subtype: 'perishable', massKg: 3200, occurredAt: EXAMPLE.occurredAt },
      },
      agricultural: {
        summary: 'Straw (秸秆)',
        value: { category: 'agricultural', subtype: 'straw', massKg: 18000, occurredAt: EXAMPLE.occurredAt },
      },
    },
  })
  @ApiWrite({
    summary: 'Record generated waste → trace code (generator)',
    description:
      'WasteGenerated in a new `batch-<traceCode>`. The code embeds the generator district, the category and the CST date of occurredAt; its random part is derived from the Idempotency-Key.',
    response: GenerateWasteResponseDto,
  })
  async generate(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: GenerateWasteDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['generate-waste'].route);
    return respond(reply, await this.commands.execute(new GenerateWasteCommand(envelope, body)));
  }
}
