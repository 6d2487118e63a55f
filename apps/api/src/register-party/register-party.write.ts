import { defineWrite } from '../writes/write-definition';
import { RegisterPartyDto, RegisterPartyResponseDto } from './register-party.dto';

export const registerPartyWrite = defineWrite({
  type: 'register-party',
  route: 'POST /v1/parties',
  tag: 'parties',
  body: RegisterPartyDto,
  bulk: true,
  response: RegisterPartyResponseDto,
  summary: 'Register a party (admin)',
  description: 'PartyRegistered in `party-<USCC>`. A party may hold several roles.',
});
