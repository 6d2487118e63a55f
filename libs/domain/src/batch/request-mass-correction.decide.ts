import { CorrectionRequestPending, InvalidMass, MassNotConserved } from '../errors';
import { requireText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { MAX_MASS_GRAMS } from '../values/mass';
import { checkCommandTime } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import type { BatchEvent } from './batch.events';
import type { BatchState } from './batch.state';
import { requireActionableBatch, requireAfterCustody } from './batch.rules';
import { nextCorrectionRequestId, pendingCorrection, requireCorrectionDelta } from './correction.rules';

/**
 * A custodian asks for a compensating correction of its batch's held mass (a re-weighing, a booking error):
 * MassCorrectionRequested, nothing moves yet (ADR 0018). The batch must be the actor's, free (not on a
 * manifest) and hold mass; the correction must not take it below zero or past the mass bound; one pending
 * request per batch at a time. It takes effect only when a party with standing approves it
 * (decide-mass-correction.decide.ts).
 */
export interface RequestMassCorrectionCommand extends PartyCommand {
  readonly traceCode: string;
  /** Signed, non-zero. */
  readonly deltaGrams: number;
  readonly reason: string;
}

export function decideRequestMassCorrection(
  command: RequestMassCorrectionCommand,
  state: BatchState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const traceCode = normaliseTraceCode(command.traceCode);
  const delta = requireCorrectionDelta(command.deltaGrams);
  const reason = requireText(command.reason, 'reason');
  const batch = requireActionableBatch(state, traceCode, actorUscc);
  requireAfterCustody(batch, command.occurredAt, occurredAtMs);
  const pending = pendingCorrection(batch);
  if (pending !== undefined) throw new CorrectionRequestPending(traceCode, pending.requestId);
  requireCorrectedMassInBounds(batch.heldGrams, delta);
  return [
    domainEvent('MassCorrectionRequested', {
      traceCode,
      requestId: nextCorrectionRequestId(batch),
      requestedBy: actorUscc,
      deltaGrams: delta,
      reason,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}

/** held + delta stays within 0 … the mass bound (judged at the request, and again at the approval). */
export function requireCorrectedMassInBounds(heldGrams: number, delta: number): number {
  const massGramsAfter = heldGrams + delta;
  if (massGramsAfter < 0)
    throw new MassNotConserved('deltaGrams', `a correction of ${delta} g would leave ${massGramsAfter} g`, {
      heldGrams,
      deltaGrams: delta,
    });
  if (massGramsAfter > MAX_MASS_GRAMS)
    throw new InvalidMass('deltaGrams', delta, 'the corrected mass exceeds the bound');
  return massGramsAfter;
}
