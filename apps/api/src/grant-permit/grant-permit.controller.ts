import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GrantPermitCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { UsccPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { GrantPermitDto, GrantPermitResponseDto } from './grant-permit.dto';

@ApiTags('parties')
@Controller('v1/parties/:uscc/permits')
export class GrantPermitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('regulator')
  @ApiParam({ name: 'uscc', example: EXAMPLE.receiverUscc })
  @ApiWrite({
    summary: 'Grant a hazardous waste permit (regulator, for parties in its districts)',
    description:
      'PermitGranted in `party-<USCC>`; the regulator needs the party in its districts and the hazardous category.',
    response: GrantPermitResponseDto,
  })
  async grant(
    @WriteRequest() write: WriteRequestInfo,
    @Param('uscc', UsccPipe) uscc: string,
    @Body() body: GrantPermitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['grant-permit'].route, { uscc });
    return respond(reply, await this.commands.execute(new GrantPermitCommand(envelope, { ...body, uscc })));
  }
}
