import { defineWrite } from '../writes/write-definition';
import { RevokePermitDto, RevokePermitItemDto, RevokePermitResponseDto } from './revoke-permit.dto';

export const revokePermitWrite = defineWrite({
  type: 'revoke-permit',
  route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
  tag: 'parties',
  params: [
    { name: 'uscc', field: 'uscc' },
    { name: 'permitNo', field: 'permitNo' },
  ],
  body: RevokePermitDto,
  bulk: RevokePermitItemDto,
  response: RevokePermitResponseDto,
  summary: 'Revoke a permit (regulator, for parties in its districts)',
  description: 'PermitRevoked: the permit is not valid from `occurredAt` on; acts before it stand.',
});
