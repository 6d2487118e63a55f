import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IssueTokenCommand } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { EXAMPLE } from '../common/examples';
import { ApiWrite } from '../common/openapi';
import { WRITE_ROUTES } from '../common/routes';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { IssueTokenDto, IssueTokenResponseDto } from './issue-token.dto';

@ApiTags('tokens')
@Controller('v1/tokens')
export class IssueTokenController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('admin')
  @ApiBody({
    type: IssueTokenDto,
    examples: {
      party: { value: { kind: 'party', partyUscc: EXAMPLE.generatorUscc, label: '西湖精细化工 ERP 接口' } },
      regulator: {
        value: {
          kind: 'regulator',
          districts: ['3301'],
          categories: ['hazardous'],
          label: '杭州市生态环境局',
        },
      },
      auditor: { value: { kind: 'auditor', label: '市审计局' } },
      admin: { value: { kind: 'admin' } },
    },
  })
  @ApiWrite({
    summary: 'Issue a bearer token (admin)',
    description:
      'TokenIssued in `token-<id>`: a party token (bound to a registered party), a regulator token (districts and categories), an auditor or an admin token. The token is returned once; only the SHA-256 of its secret is stored.',
    response: IssueTokenResponseDto,
  })
  async issue(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: IssueTokenDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, WRITE_ROUTES['issue-token'].route);
    return respond(reply, await this.commands.execute(new IssueTokenCommand(envelope, body)));
  }
}
