import { CorrectionNotApproved, DuplicateLine, InvalidMass, InvalidValue, MassNotConserved } from '../errors';
import { requireText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { addToComposition, takeFromComposition } from '../origin/composition';
import { MAX_MASS_GRAMS } from '../values/mass';
import { checkCommandTime, parseInstant } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compareStrings } from '../util';
import type { BatchEvent, CorrectionApproval } from './batch.events';
import type { BatchState } from './batch.state';
import { requireActionableBatch, requireAfterCustody } from './batch.rules';

/**
 * A compensating correction of a batch's held mass (a re-weighing, a booking error), never an edit in place.
 * Who: the custodian, with at least one approval by someone other than itself (a regulator, an auditor,
 * the counterparty) — the four-eyes principle a regulator expects of a ledger. The batch must be free
 * (not on a manifest) and hold mass; a correction never takes it below zero. Increases are attributed to
 * the existing origins proportionally, decreases removed proportionally.
 */
export interface CorrectMassCommand extends PartyCommand {
  readonly traceCode: string;
  /** Signed, non-zero. */
  readonly deltaGrams: number;
  readonly reason: string;
  readonly approvals: readonly CorrectionApproval[];
}

export function decideCorrectMass(
  command: CorrectMassCommand,
  state: BatchState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const traceCode = normaliseTraceCode(command.traceCode);
  const delta = command.deltaGrams;
  if (
    typeof delta !== 'number' ||
    !Number.isSafeInteger(delta) ||
    delta === 0 ||
    Math.abs(delta) > MAX_MASS_GRAMS
  ) {
    throw new InvalidMass(
      'deltaGrams',
      typeof delta === 'number' ? delta : null,
      'a non-zero whole number of grams',
    );
  }
  const reason = requireText(command.reason, 'reason');
  if (!Array.isArray(command.approvals))
    throw new InvalidValue('approvals', null, 'a list of approvals is required');
  const approvals: CorrectionApproval[] = command.approvals.map((a, i) => {
    parseInstant(a.approvedAt, `approvals[${i}].approvedAt`);
    return {
      approverId: requireText(a.approverId, `approvals[${i}].approverId`, 64),
      role: requireText(a.role, `approvals[${i}].role`, 64),
      approvedAt: a.approvedAt,
    };
  });
  approvals.sort((a, b) => compareStrings(a.approverId, b.approverId));
  for (let i = 1; i < approvals.length; i++)
    if (approvals[i].approverId === approvals[i - 1].approverId)
      throw new DuplicateLine('approvals', approvals[i].approverId);
  const batch = requireActionableBatch(state, traceCode, actorUscc);
  requireAfterCustody(batch, command.occurredAt, occurredAtMs);
  if (!approvals.some((a) => a.approverId !== actorUscc))
    throw new CorrectionNotApproved(traceCode, actorUscc);
  const massGramsAfter = batch.heldGrams + delta;
  if (massGramsAfter < 0)
    throw new MassNotConserved('deltaGrams', `a correction of ${delta} g would leave ${massGramsAfter} g`, {
      heldGrams: batch.heldGrams,
      deltaGrams: delta,
    });
  if (massGramsAfter > MAX_MASS_GRAMS)
    throw new InvalidMass('deltaGrams', delta, 'the corrected mass exceeds the bound');
  const composition =
    delta > 0
      ? addToComposition(batch.composition, delta).added
      : takeFromComposition(batch.composition, -delta).taken;
  return [
    domainEvent('MassCorrected', {
      traceCode,
      actorUscc,
      deltaGrams: delta,
      reason,
      approvals,
      composition,
      massGramsAfter,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}
