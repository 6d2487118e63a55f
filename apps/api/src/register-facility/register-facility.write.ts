import { EXAMPLE } from '../common/examples';
import { defineWrite } from '../writes/write-definition';
import { RegisterFacilityDto, RegisterFacilityResponseDto } from './register-facility.dto';

export const registerFacilityWrite = defineWrite({
  type: 'register-facility',
  route: 'POST /v1/parties/{uscc}/facilities',
  tag: 'parties',
  body: RegisterFacilityDto,
  bulk: false,
  response: RegisterFacilityResponseDto,
  summary:
    'Register an own treatment facility (自行利用/处置设施备案; regulator, for parties in its regions)',
  description:
    'FacilityRegistered in `party-<USCC>`. With it a custodian without the receiver role may utilise or dispose of ' +
    'what it holds, for the operations the facility covers and within its validity; otherwise a treatment by a ' +
    'non-receiver is 403 not-allowed-to-treat. Hazardous waste needs a covering permit as well. The regulator needs ' +
    'the party in its regions (403 outside-jurisdiction); a code registered twice is 409 facility-already-registered.',
  paramDocs: { uscc: { example: EXAMPLE.generatorUscc } },
});
