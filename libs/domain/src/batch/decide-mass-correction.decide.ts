import { optionalText, requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { addToComposition, takeFromComposition } from '../origin/composition';
import { checkCommandTime } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import type { BatchEvent } from './batch.events';
import type { BatchState } from './batch.state';
import { requireHeldMass, requireNotOnManifest } from './batch.rules';
import {
  parseCorrectionRequestId,
  recordedDecider,
  requireDecidableRequest,
  type CorrectionDeciderPrincipal,
} from './correction.rules';
import { requireCorrectedMassInBounds } from './request-mass-correction.decide';

/**
 * The decision on a correction request by a party with standing (correction.rules.ts): approved, the
 * correction applies (MassCorrectionApproved with MassCorrected v2: the delta attributed to the existing
 * origins proportionally, or removed proportionally); rejected, nothing moves. Decided at the server's
 * time (`occurredAt` is the time of recording): a decision is an act in the ledger, not a field fact.
 */
export interface DecideMassCorrectionCommand extends CommandTime {
  readonly traceCode: string;
  readonly requestId: string;
  readonly decider: CorrectionDeciderPrincipal;
  /** The custodian's district (from its party stream), for a regulator's scope. */
  readonly custodianDistrictCode?: string;
}

export interface ApproveMassCorrectionCommand extends DecideMassCorrectionCommand {
  readonly note?: string;
}

export interface RejectMassCorrectionCommand extends DecideMassCorrectionCommand {
  readonly reason: string;
}

function decidable(command: DecideMassCorrectionCommand, state: BatchState) {
  const traceCode = normaliseTraceCode(command.traceCode);
  const requestId = parseCorrectionRequestId(command.requestId);
  return {
    traceCode,
    requestId,
    ...requireDecidableRequest(state, traceCode, requestId, command.decider, command.custodianDistrictCode),
  };
}

export function decideApproveMassCorrection(
  command: ApproveMassCorrectionCommand,
  state: BatchState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const note = optionalText(command.note, 'note');
  const { traceCode, requestId, batch, request } = decidable(command, state);
  requireNotOnManifest(batch);
  requireHeldMass(batch);
  const delta = request.deltaGrams;
  const massGramsAfter = requireCorrectedMassInBounds(batch.heldGrams, delta);
  const composition =
    delta > 0
      ? addToComposition(batch.composition, delta).added
      : takeFromComposition(batch.composition, -delta).taken;
  const approvedBy = recordedDecider(command.decider);
  const time = { occurredAt: command.occurredAt, late };
  return [
    domainEvent('MassCorrectionApproved', {
      traceCode,
      requestId,
      approvedBy,
      ...(note === undefined ? {} : { note }),
      ...time,
    }),
    domainEvent('MassCorrected', {
      traceCode,
      actorUscc: request.requestedBy,
      deltaGrams: delta,
      reason: request.reason,
      requestId,
      approvedBy,
      composition,
      massGramsAfter,
      ...time,
    }),
  ];
}

export function decideRejectMassCorrection(
  command: RejectMassCorrectionCommand,
  state: BatchState,
  options: DecideOptions = {},
): BatchEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const reason = requireText(command.reason, 'reason');
  const { traceCode, requestId } = decidable(command, state);
  return [
    domainEvent('MassCorrectionRejected', {
      traceCode,
      requestId,
      rejectedBy: recordedDecider(command.decider),
      reason,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}
