import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RevokePermitCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { PermitNoPipe, UsccPipe } from '../common/path-params';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { RevokePermitDto, RevokePermitResponseDto } from './revoke-permit.dto';

@ApiTags('parties')
@Controller('v1/parties/:uscc/permits/:permitNo/revoke')
export class RevokePermitController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('regulator')
  @ApiParam({ name: 'uscc', example: EXAMPLE.receiverUscc })
  @ApiParam({ name: 'permitNo', example: EXAMPLE.permitNo })
  @ApiWrite({
    summary: 'Revoke a permit (regulator, for parties in its districts)',
    description: 'PermitRevoked: the permit is not valid from `occurredAt` on; acts before it stand.',
    response: RevokePermitResponseDto,
  })
  async revoke(
    @WriteRequest() write: WriteRequestInfo,
    @Param('uscc', UsccPipe) uscc: string,
    @Param('permitNo', PermitNoPipe) permitNo: string,
    @Body() body: RevokePermitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['revoke-permit'].route, { uscc, permitNo });
    return respond(
      reply,
      await this.commands.execute(new RevokePermitCommand(envelope, { ...body, uscc, permitNo })),
    );
  }
}
