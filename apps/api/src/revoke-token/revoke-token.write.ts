import { TokenService } from '@wasteflow/ledger';
import { defineWrite } from '../writes/write-definition';
import { RevokeTokenDto, RevokeTokenResponseDto } from './revoke-token.dto';

export const revokeTokenWrite = defineWrite({
  type: 'revoke-token',
  route: 'POST /v1/tokens/{tokenId}/revoke',
  tag: 'tokens',
  body: RevokeTokenDto,
  bulk: false,
  response: RevokeTokenResponseDto,
  summary: 'Revoke a token (an admin any token, a party its own tokens)',
  description:
    'TokenRevoked in `token-<id>`: the token authenticates nobody from now on (this instance at once, others ' +
    'within 30 s). To a party, another party’s token and an unknown id are the same 404 token-not-found.',
  // this instance stops accepting it at once (others when their token cache expires)
  after: (input, get) => get(TokenService).forget(input.tokenId),
});
