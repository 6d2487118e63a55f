import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { RevokeTokenCommand, TokenService } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite, WriteResponseDto } from '../common/openapi';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { IsFreeText } from '../common/validation';

export const REVOKE_TOKEN_ROUTE = 'POST /v1/tokens/{tokenId}/revoke';

export class RevokeTokenDto {
  @ApiProperty({ example: '接口密钥泄露，立即作废', maxLength: TEXT_BOUNDS.text })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;
}

export class RevokeTokenResponseDto extends WriteResponseDto {
  @ApiProperty({ example: 'k3q9x2m7v4p8t6r1w5n0' })
  tokenId!: string;
  @ApiProperty({ example: '2026-03-02T02:00:00.000Z' })
  revokedAt!: string;
}

@ApiTags('tokens')
@Controller('v1/tokens/:tokenId/revoke')
export class RevokeTokenController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tokens: TokenService,
  ) {}

  @Post()
  @HttpCode(201)
  @Allow('admin', 'party')
  @ApiParam({ name: 'tokenId', example: 'k3q9x2m7v4p8t6r1w5n0', description: 'The id part of the token' })
  @ApiWrite({
    summary: 'Revoke a token (an admin any token, a party its own tokens)',
    description:
      'TokenRevoked in `token-<id>`: the token authenticates nobody from now on (this instance at once, others ' +
      'within 30 s). To a party, another party’s token and an unknown id are the same 404 token-not-found.',
    response: RevokeTokenResponseDto,
  })
  async revoke(
    @WriteRequest() write: WriteRequestInfo,
    @Param('tokenId') tokenId: string,
    @Body() body: RevokeTokenDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, REVOKE_TOKEN_ROUTE, { tokenId });
    const outcome = await this.commands.execute(new RevokeTokenCommand(envelope, { ...body, tokenId }));
    this.tokens.forget(tokenId);
    return respond(reply, outcome);
  }
}
