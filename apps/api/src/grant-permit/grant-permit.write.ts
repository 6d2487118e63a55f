import { defineWrite } from '../writes/write-definition';
import { GrantPermitDto, GrantPermitResponseDto } from './grant-permit.dto';

export const grantPermitWrite = defineWrite({
  type: 'grant-permit',
  route: 'POST /v1/parties/{uscc}/permits',
  tag: 'parties',
  body: GrantPermitDto,
  bulk: true,
  response: GrantPermitResponseDto,
  summary: 'Grant a hazardous waste permit (regulator, for parties in its districts)',
  description:
    'PermitGranted in `party-<USCC>`; the regulator needs the party in its districts and the hazardous category.',
});
