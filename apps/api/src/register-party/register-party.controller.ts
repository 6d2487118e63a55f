import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RegisterPartyCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { RegisterPartyDto, RegisterPartyResponseDto } from './register-party.dto';

@ApiTags('parties')
@Controller('v1/parties')
export class RegisterPartyController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiWrite({
    summary: 'Register a party (admin)',
    description: 'PartyRegistered in `party-<USCC>`. A party may hold several roles.',
    response: RegisterPartyResponseDto,
  })
  async register(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: RegisterPartyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['register-party'].route);
    return respond(reply, await this.commands.execute(new RegisterPartyCommand(envelope, body)));
  }
}
