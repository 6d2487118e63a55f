import { FacilityAlreadyRegistered, InvalidFacility, InvalidValue, PartyNotFound } from '../errors';
import { requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import {
  comparePermitOperations,
  parseTreatmentOperation,
  type TreatmentOperation,
} from '../values/operation';
import { checkCommandTime } from '../values/time';
import { parseUscc } from '../values/uscc';
import { TEXT_BOUNDS } from '../values/text';
import type { PartyEvent } from './party.events';
import type { PartyState } from './party.state';
import { permitWindow } from './permit';
import { requireRegionalJurisdiction, type Regulator } from './jurisdiction';

/**
 * An own treatment facility (自行利用/处置设施, HJ 1259 table 4) registered by a regulator: its code, the
 * treatment operations it performs and its validity (DESIGN §4 `POST /v1/parties/{uscc}/facilities`). Only a
 * regulator whose regions include the party's district registers one; the facility lets the party treat what
 * it holds without the receiver role (treat-waste.decide.ts).
 */
export interface RegisterFacilityCommand extends CommandTime {
  readonly uscc: string;
  readonly facilityCode: string;
  readonly operations: readonly string[];
  /** `YYYY-MM-DD` (CST day) or an ISO 8601 instant. */
  readonly validFrom: string;
  /** `YYYY-MM-DD` (inclusive CST day) or an ISO 8601 instant. */
  readonly validTo: string;
  /** The registering regulator: its scope (the party must be in its regions) and its token. */
  readonly regulator: Regulator;
}

export function decideRegisterFacility(
  command: RegisterFacilityCommand,
  state: PartyState,
  options: DecideOptions = {},
): PartyEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const uscc = parseUscc(command.uscc, 'uscc');
  const facilityCode = requireText(command.facilityCode, 'facilityCode', TEXT_BOUNDS.code);
  if (!Array.isArray(command.operations)) throw new InvalidValue('operations', null, 'a list is required');
  const ops = command.operations.map((o: unknown, i) => parseTreatmentOperation(o, `operations[${i}]`));
  if (ops.length === 0)
    throw new InvalidFacility('operations', 'a facility performs at least one treatment operation');
  const operations = [...new Set<TreatmentOperation>(ops)].sort(comparePermitOperations);
  const { fromMs, toMs } = permitWindow(command);
  if (toMs <= fromMs)
    throw new InvalidFacility('validTo', 'validTo must not be before validFrom', command.validTo);
  if (state.status !== 'registered') throw new PartyNotFound(uscc, 'uscc');
  requireRegionalJurisdiction(command.regulator, state);
  if ((state.facilities ?? []).some((f) => f.facilityCode === facilityCode))
    throw new FacilityAlreadyRegistered(uscc, facilityCode);
  return [
    domainEvent('FacilityRegistered', {
      uscc,
      facilityCode,
      operations,
      validFrom: command.validFrom,
      validTo: command.validTo,
      regulatorTokenId: requireText(command.regulator.tokenId, 'regulator.tokenId', TEXT_BOUNDS.code),
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}
