import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RegisterFacilityCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { UsccPipe } from '../common/path-params';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { RegisterFacilityDto, RegisterFacilityResponseDto } from './register-facility.dto';

export const REGISTER_FACILITY_ROUTE = 'POST /v1/parties/{uscc}/facilities';

@ApiTags('parties')
@Controller('v1/parties/:uscc/facilities')
export class RegisterFacilityController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('regulator')
  @ApiParam({ name: 'uscc', example: EXAMPLE.generatorUscc })
  @ApiWrite({
    summary:
      'Register an own treatment facility (自行利用/处置设施备案; regulator, for parties in its regions)',
    description:
      'FacilityRegistered in `party-<USCC>`. With it a custodian without the receiver role may utilise or dispose of ' +
      'what it holds, for the operations the facility covers and within its validity; otherwise a treatment by a ' +
      'non-receiver is 403 not-allowed-to-treat. Hazardous waste needs a covering permit as well. The regulator needs ' +
      'the party in its regions (403 outside-jurisdiction); a code registered twice is 409 facility-already-registered.',
    response: RegisterFacilityResponseDto,
  })
  async register(
    @WriteRequest() write: WriteRequestInfo,
    @Param('uscc', UsccPipe) uscc: string,
    @Body() body: RegisterFacilityDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, REGISTER_FACILITY_ROUTE, { uscc });
    return respond(
      reply,
      await this.commands.execute(new RegisterFacilityCommand(envelope, { ...body, uscc })),
    );
  }
}
