import { PartyNotFound, PermitAlreadyRevoked, PermitNotFound } from '../errors';
import { requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { checkCommandTime } from '../values/time';
import { parseUscc } from '../values/uscc';
import type { PartyEvent } from './party.events';
import type { PartyState } from './party.state';
import { requireJurisdiction, type RegulatorScope } from './jurisdiction';

/** Revocation by a regulator: the permit is not valid from `occurredAt` on (earlier acts under it stand). */
export interface RevokePermitCommand extends CommandTime {
  readonly uscc: string;
  readonly permitNo: string;
  readonly reason: string;
  /** The revoking regulator's scope, when a regulator revokes it: the party must be in its jurisdiction. */
  readonly regulator?: RegulatorScope;
}

export function decideRevokePermit(
  command: RevokePermitCommand,
  state: PartyState,
  options: DecideOptions = {},
): PartyEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const uscc = parseUscc(command.uscc, 'uscc');
  const permitNo = requireText(command.permitNo, 'permitNo', 64);
  const reason = requireText(command.reason, 'reason');
  if (state.status !== 'registered') throw new PartyNotFound(uscc, 'uscc');
  if (command.regulator !== undefined) requireJurisdiction(command.regulator, state);
  const permit = state.permits.find((p) => p.permitNo === permitNo);
  if (!permit) throw new PermitNotFound(uscc, permitNo);
  if (permit.revokedAt !== undefined) throw new PermitAlreadyRevoked(uscc, permitNo);
  return [domainEvent('PermitRevoked', { uscc, permitNo, reason, occurredAt: command.occurredAt, late })];
}
