import {
  FacilityDoesNotCover,
  FacilityNotNamed,
  NotAllowedToTreat,
  TreatmentExceedsHeldMass,
} from '../errors';
import { requireText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { takeFromComposition } from '../origin/composition';
import { coveringFacilities } from '../party/facility';
import { judgePermitTwice } from '../party/permit';
import { hasRole } from '../party/party.state';
import type { PartyState } from '../party/party.state';
import { Mass } from '../values/mass';
import { isUtilisation, modeOf, parseTreatmentOperation, type TreatmentOperation } from '../values/operation';
import { checkCommandTime, formatCst } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { optionalPersonId } from '../values/person';
import { TEXT_BOUNDS } from '../values/text';
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
 *
 * Which facility treated it (issue 14, HJ 1259 table 4 自行利用/处置设施编码), recorded as `facilityCode`:
 * the one the command names — it must be a registered facility of the custodian valid at `occurredAt` and
 * covering the operation (FacilityDoesNotCover otherwise) — or, unnamed, the only one that covers it. A
 * custodian treating under its own facilities with several covering the operation names one
 * (FacilityNotNamed). A receiver treats under its role and permit; a permit names no facility in this
 * ledger, so a receiver's treatment records a facility only when it has registered ones (named, or the
 * only one covering) and none otherwise.
 */
export interface TreatWasteCommand extends PartyCommand {
  readonly traceCode: string;
  readonly operation: string;
  readonly massGrams: number;
  /** The custodian's registered facility that treated it (optional; see above). */
  readonly facilityCode?: string;
  /** The person who handled it (自行利用/处置部门经办人), a reference to an erasable record (ADR 14); optional. */
  readonly handlerPersonId?: string;
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
  const handlerPersonId = optionalPersonId(command.handlerPersonId, 'handlerPersonId');
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
  const facilityCode = treatingFacility(
    state.custodian,
    actorUscc,
    operation,
    occurredAtMs,
    command.facilityCode,
  );
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
    facilityCode,
    handlerPersonId,
    occurredAt: command.occurredAt,
    // a record relying on a permit that lapsed before it was recorded is always a late entry
    late: late || permitLapse !== undefined,
  });
  return [isUtilisation(operation) ? domainEvent('WasteUtilised', data) : domainEvent('WasteDisposed', data)];
}

/**
 * Judges who may treat and returns the facility to record: the named one (checked), else the only covering
 * one; undefined for a receiver without one.
 */
function treatingFacility(
  custodian: PartyState,
  actorUscc: string,
  operation: TreatmentOperation,
  occurredAtMs: number,
  named: string | undefined,
): string | undefined {
  const covering = coveringFacilities(custodian, operation, occurredAtMs).map((f) => f.facilityCode);
  const receiver = hasRole(custodian, 'receiver');
  if (!receiver && covering.length === 0) {
    const facilities = custodian.status === 'registered' ? (custodian.facilities ?? []) : [];
    throw new NotAllowedToTreat(
      actorUscc,
      operation,
      formatCst(occurredAtMs),
      facilities.map((f) => f.facilityCode),
    );
  }
  if (named !== undefined) {
    const facilityCode = requireText(named, 'facilityCode', TEXT_BOUNDS.code);
    if (!covering.includes(facilityCode))
      throw new FacilityDoesNotCover(actorUscc, facilityCode, operation, formatCst(occurredAtMs), covering);
    return facilityCode;
  }
  if (covering.length === 1) return covering[0];
  if (covering.length > 1 && !receiver)
    throw new FacilityNotNamed(actorUscc, operation, formatCst(occurredAtMs), covering);
  return undefined;
}
