import { defineWrite } from '../writes/write-definition';
import { RevokePermitDto, RevokePermitResponseDto } from './revoke-permit.dto';

export const revokePermitWrite = defineWrite({
  type: 'revoke-permit',
  route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
  tag: 'parties',
  body: RevokePermitDto,
  bulk: true,
  response: RevokePermitResponseDto,
  summary: 'Revoke a permit (regulator, for parties in its districts)',
  description: 'PermitRevoked: the permit is not valid from `occurredAt` on; acts before it stand.',
});
