import { NotAllowedToTreat, TreatmentExceedsHeldMass } from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { takeFromComposition } from '../origin/composition';
import { coveringFacility } from '../party/facility';
import { judgePermitTwice } from '../party/permit';
import { hasRole } from '../party/party.state';
import type { PartyState } from '../party/party.state';
import { Mass } from '../values/mass';
import { isUtilisation, modeOf, parseTreatmentOperation, type TreatmentOperation } from '../values/operation';
import { checkCommandTime, formatCst } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compact } from '../util';
import type { BatchEvent, PermitLapse } from './batch.events';
import type { BatchState } from './batch.state';
import { requireActionableBatch, requireAfterCustody, requireRegistered } from './batch.rules';

/**
 * 利用 / 处置 by the custodian. Hazardous waste needs a permit of the custodian valid at `occurredAt`
 * covering both the code (or its HW category) and the operation; other categories need no permit. The
 * permit is judged again at `recordedAt`: lapsed in between, the treatment is a late entry with `permitLapse`.
 * Who may treat (DESIGN §2, issue 10 row 5): a custodian with the receiver role, or one with an own facility
 * registered by a regulator (自行利用/处置设施), valid at `occurredAt` and covering the operation; anyone
 * else is refused (NotAllowedToTreat), whatever the category — a generator cannot certify its own
 * utilisation. The permit is judged first for hazardous waste (its refusal is the more specific one); the
 * rule judges new commands only: treatments already recorded replay as they are.
 */
export interface TreatWasteCommand extends PartyCommand {
  readonly traceCode: string;
  readonly operation: string;
  readonly massGrams: number;
}

export interface TreatWasteState {
  readonly batch: BatchState;
  /** The custodian's party state (permits). */
  readonly custodian: PartyState;
}

export function decideTreatWaste(
  command: TreatWasteCommand,
  state: TreatWasteState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { occurredAtMs, recordedAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const traceCode = normaliseTraceCode(command.traceCode);
  const operation = parseTreatmentOperation(command.operation);
  const massGrams = Mass.fromGrams(command.massGrams, 'massGrams').grams;
  const batch = requireActionableBatch(state.batch, traceCode, actorUscc);
  requireAfterCustody(batch, command.occurredAt, occurredAtMs);
  if (massGrams > batch.heldGrams) throw new TreatmentExceedsHeldMass(traceCode, massGrams, batch.heldGrams);
  let permitNo: string | undefined;
  let permitLapse: PermitLapse | undefined;
  if (batch.category === 'hazardous' && batch.wasteCode !== undefined) {
    const custodian = requireRegistered(state.custodian, actorUscc, 'actorUscc');
    // judged at occurredAt (refused if not valid then) and at recording (a lapse since: a late entry)
    const judged = judgePermitTwice(custodian, batch.wasteCode, occurredAtMs, recordedAtMs, operation);
    permitNo = judged.permit.permitNo;
    permitLapse = judged.lapse;
  }
  requireAllowedToTreat(state.custodian, actorUscc, operation, occurredAtMs);
  const { taken } = takeFromComposition(batch.composition, massGrams);
  const data = compact({
    traceCode,
    custodianUscc: actorUscc,
    operation,
    mode: modeOf(operation),
    massGrams,
    composition: taken,
    permitNo,
    remainingGrams: batch.heldGrams - massGrams,
    permitLapse,
    occurredAt: command.occurredAt,
    // a record relying on a permit that lapsed before it was recorded is always a late entry
    late: late || permitLapse !== undefined,
  });
  return [isUtilisation(operation) ? domainEvent('WasteUtilised', data) : domainEvent('WasteDisposed', data)];
}

function requireAllowedToTreat(
  custodian: PartyState,
  actorUscc: string,
  operation: TreatmentOperation,
  occurredAtMs: number,
): void {
  if (hasRole(custodian, 'receiver')) return;
  if (coveringFacility(custodian, operation, occurredAtMs) !== undefined) return;
  const facilities = custodian.status === 'registered' ? (custodian.facilities ?? []) : [];
  throw new NotAllowedToTreat(
    actorUscc,
    operation,
    formatCst(occurredAtMs),
    facilities.map((f) => f.facilityCode),
  );
}
