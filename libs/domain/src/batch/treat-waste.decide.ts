import { TreatmentExceedsHeldMass } from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { takeFromComposition } from '../origin/composition';
import { requireCoveringPermit } from '../party/permit';
import type { PartyState } from '../party/party.state';
import { Mass } from '../values/mass';
import { isUtilisation, modeOf, parseTreatmentOperation } from '../values/operation';
import { checkCommandTime } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compact } from '../util';
import type { BatchEvent } from './batch.events';
import type { BatchState } from './batch.state';
import { requireActionableBatch, requireAfterCustody, requireRegistered } from './batch.rules';

/**
 * 利用 / 处置 by the custodian. Hazardous waste needs a permit of the custodian valid at `occurredAt`
 * covering both the code (or its HW category) and the operation; other categories need no permit.
 * Any custodian may treat (a generator's own utilisation of its slag is common); the permit is the gate.
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
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const traceCode = normaliseTraceCode(command.traceCode);
  const operation = parseTreatmentOperation(command.operation);
  const massGrams = Mass.fromGrams(command.massGrams, 'massGrams').grams;
  const batch = requireActionableBatch(state.batch, traceCode, actorUscc);
  requireAfterCustody(batch, command.occurredAt, occurredAtMs);
  if (massGrams > batch.heldGrams) throw new TreatmentExceedsHeldMass(traceCode, massGrams, batch.heldGrams);
  let permitNo: string | undefined;
  if (batch.category === 'hazardous' && batch.wasteCode !== undefined) {
    const custodian = requireRegistered(state.custodian, actorUscc, 'actorUscc');
    permitNo = requireCoveringPermit(custodian, batch.wasteCode, occurredAtMs, operation).permitNo;
  }
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
    occurredAt: command.occurredAt,
    late,
  });
  return [isUtilisation(operation) ? domainEvent('WasteUtilised', data) : domainEvent('WasteDisposed', data)];
}
