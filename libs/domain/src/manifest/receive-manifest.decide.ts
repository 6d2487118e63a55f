import {
  AcceptedExceedsReceived,
  BatchAlreadyExists,
  DuplicateLine,
  InvalidValue,
  NotManifestReceiver,
  ReceiptLinesMismatch,
  ReceivedExceedsShipped,
  RejectionReasonRequired,
} from '../errors';
import { optionalText, type DecideOptions, type PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { DEFAULT_DISCREPANCY_TOLERANCE, isDiscrepancy, validateTolerance } from '../alerts/alerts';
import { requireRegistered } from '../batch/batch.rules';
import { judgePermitTwice } from '../party/permit';
import type { PermitLapse } from '../batch/batch.events';
import type { PartyState } from '../party/party.state';
import { Mass } from '../values/mass';
import { checkCommandTime, requireNotBefore } from '../values/time';
import { parseManifestNumber } from '../values/manifest-number';
import { childTraceCode, normaliseTraceCode } from '../values/trace-code';
import type { BatchState } from '../batch/batch.state';
import { parseUscc } from '../values/uscc';
import { optionalPersonId } from '../values/person';
import { compact, compareStrings } from '../util';
import type { ManifestEvent, ReceiptLine, ReceiptOutcome } from './manifest.events';
import type { ManifestState } from './manifest.state';
import { requireManifest, requirePickedUp } from './manifest.rules';

/**
 * The receiver weighs what arrives, per line: `receivedGrams` (≤ shipped; the difference is lost in transit)
 * and `acceptedGrams` (≤ received; the difference is rejected and returns to the shipper, with a reason).
 * Once only. For hazardous lines with accepted mass the receiver's permit must be valid at `occurredAt`
 * and cover the code (a collector's collect/store permit is enough to receive).
 */
export interface ReceiveManifestCommand extends PartyCommand {
  readonly manifestNo: string;
  readonly lines: readonly {
    readonly traceCode: string;
    readonly receivedGrams: number;
    readonly acceptedGrams: number;
    readonly reason?: string;
    /**
     * The random part (8 Crockford symbols, from the command's entropy) of the child that takes a
     * partial rejection back to the shipper: its code is the line's prefix + this (`childTraceCode`).
     * Required on a line that is partly rejected; ignored on the others.
     */
    readonly returnRandomPart?: string;
  }[];
  /** The receiver's person who handled the receipt (经办人), a reference to an erasable record (ADR 14). */
  readonly handlerPersonId?: string;
}

export interface ReceiveManifestState {
  readonly manifest: ManifestState;
  readonly receiver: PartyState;
  /** The streams the return codes name, where they were read: an existing one is refused (BatchAlreadyExists). */
  readonly returns?: ReadonlyMap<string, BatchState>;
}

export function decideReceiveManifest(
  command: ReceiveManifestCommand,
  state: ReceiveManifestState,
  options: DecideOptions = {},
): ManifestEvent[] {
  const { occurredAtMs, recordedAtMs, late: lateByDelay } = checkCommandTime(command, options.time);
  let permitLapse: PermitLapse | undefined;
  const tolerance = validateTolerance(options.discrepancyTolerance ?? DEFAULT_DISCREPANCY_TOLERANCE);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo } = parseManifestNumber(command.manifestNo);
  const handlerPersonId = optionalPersonId(command.handlerPersonId, 'handlerPersonId');
  if (!Array.isArray(command.lines) || command.lines.length === 0)
    throw new InvalidValue('lines', null, 'at least one line is required');
  const input = command.lines.map((l, i) => ({
    traceCode: normaliseTraceCode(l.traceCode, `lines[${i}].traceCode`),
    receivedGrams: Mass.fromGrams(l.receivedGrams, `lines[${i}].receivedGrams`, { allowZero: true }).grams,
    acceptedGrams: Mass.fromGrams(l.acceptedGrams, `lines[${i}].acceptedGrams`, { allowZero: true }).grams,
    reason: optionalText(l.reason, `lines[${i}].reason`),
    returnRandomPart: l.returnRandomPart,
    field: `lines[${i}]`,
  }));
  input.sort((a, b) => compareStrings(a.traceCode, b.traceCode));
  for (let i = 1; i < input.length; i++)
    if (input[i].traceCode === input[i - 1].traceCode) throw new DuplicateLine('lines', input[i].traceCode);

  const m = requireManifest(state.manifest, manifestNo);
  if (m.receiverUscc !== actorUscc) throw new NotManifestReceiver(manifestNo, actorUscc);
  requirePickedUp(m);
  requireNotBefore(
    command.occurredAt,
    occurredAtMs,
    m.pickup?.occurredAt ?? m.issuedAt,
    `pickup of ${manifestNo}`,
  );
  const shipped = new Map(m.lines.map((l) => [l.traceCode, l]));
  const missing = m.lines.map((l) => l.traceCode).filter((c) => !input.some((l) => l.traceCode === c));
  const unexpected = input.map((l) => l.traceCode).filter((c) => !shipped.has(c));
  if (missing.length > 0 || unexpected.length > 0)
    throw new ReceiptLinesMismatch(manifestNo, missing, unexpected);

  const codes = new Set(input.map((l) => l.traceCode));
  const lines: ReceiptLine[] = input.map((l) => {
    const line = shipped.get(l.traceCode);
    if (line === undefined) throw new ReceiptLinesMismatch(manifestNo, [], [l.traceCode]);
    if (l.receivedGrams > line.massGrams)
      throw new ReceivedExceedsShipped(l.traceCode, l.receivedGrams, line.massGrams);
    if (l.acceptedGrams > l.receivedGrams)
      throw new AcceptedExceedsReceived(l.traceCode, l.acceptedGrams, l.receivedGrams);
    const rejectedGrams = l.receivedGrams - l.acceptedGrams;
    if (rejectedGrams > 0 && l.reason === undefined)
      throw new RejectionReasonRequired(l.traceCode, `${l.field}.reason`);
    if (l.acceptedGrams > 0 && line.category === 'hazardous' && line.wasteCode !== undefined) {
      permitLapse ??= judgePermitTwice(
        requireRegistered(state.receiver, actorUscc, 'actorUscc'),
        line.wasteCode,
        occurredAtMs,
        recordedAtMs,
        'receive',
      ).lapse;
    }
    // nothing arrived: lost, not accepted (DESIGN §2 "Weighing at both ends")
    const outcome: ReceiptOutcome =
      l.receivedGrams === 0
        ? 'lost'
        : rejectedGrams === 0
          ? 'accepted'
          : l.acceptedGrams === 0
            ? 'rejected'
            : 'partial';
    const returnTraceCode =
      outcome === 'partial' ? returnCodeOf(l, codes, state.returns ?? new Map()) : undefined;
    return compact({
      traceCode: l.traceCode,
      shippedGrams: line.massGrams,
      receivedGrams: l.receivedGrams,
      acceptedGrams: l.acceptedGrams,
      rejectedGrams,
      lostGrams: line.massGrams - l.receivedGrams,
      outcome,
      reason: l.reason,
      discrepancy: isDiscrepancy(line.massGrams, l.receivedGrams, tolerance),
      returnTraceCode,
    });
  });
  return [
    domainEvent('ManifestReceived', {
      manifestNo,
      shipperUscc: m.shipperUscc,
      carrierUscc: m.carrierUscc,
      receiverUscc: m.receiverUscc,
      lines,
      tolerance,
      ...(permitLapse === undefined ? {} : { permitLapse }),
      ...(handlerPersonId === undefined ? {} : { handlerPersonId }),
      occurredAt: command.occurredAt,
      // relying on a permit that lapsed before the recording: always a late entry (permits judged twice)
      late: lateByDelay || permitLapse !== undefined,
    }),
  ];
}

/**
 * The code of the child a partial rejection returns to the shipper (version 4 of ManifestReceived names
 * it): the line's prefix + the command's random part, 22 characters at any depth; never a code already in
 * use (a line of this manifest, another return, a stored batch).
 */
function returnCodeOf(
  line: { traceCode: string; returnRandomPart?: string; field: string },
  codes: Set<string>,
  stored: ReadonlyMap<string, BatchState>,
): string {
  if (line.returnRandomPart === undefined)
    throw new InvalidValue(`${line.field}.returnRandomPart`, null, 'a partial rejection needs a random part');
  const code = childTraceCode(line.traceCode, line.returnRandomPart);
  if (codes.has(code) || (stored.get(code)?.status ?? 'none') !== 'none') throw new BatchAlreadyExists(code);
  codes.add(code);
  return code;
}
