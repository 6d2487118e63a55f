import {
  CarrierRoleRequired,
  DuplicateLine,
  InvalidValue,
  ManifestAlreadyExists,
  ManifestLineMassMismatch,
  ManifestMixesCategories,
  ManifestNumberMismatch,
  ReceiverRoleRequired,
  ShipperIsReceiver,
} from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import type { BatchStreamEvents } from '../batch/batch.events';
import type { BatchState, ExistingBatch } from '../batch/batch.state';
import {
  requireActionableBatch,
  requireAfterCustody,
  requireHeldBatch,
  requireRegistered,
} from '../batch/batch.rules';
import { judgePermitTwice } from '../party/permit';
import type { PermitLapse } from '../batch/batch.events';
import type { PartyState } from '../party/party.state';
import { cityOf } from '../values/district';
import { Mass } from '../values/mass';
import { parseManifestNumber } from '../values/manifest-number';
import { checkCommandTime, parseInstant } from '../values/time';
import { normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compact, compareStrings } from '../util';
import type { ManifestEvent, ManifestLine } from './manifest.events';
import type { ManifestState } from './manifest.state';
import { requireTransferApproval } from '../transfer/transfer-approval.rules';
import type { TransferApprovalState } from '../transfer/transfer-approval.state';

/**
 * 转移联单: the shipper (custodian of every line) issues a manifest of whole batches to a carrier and a
 * receiver. The manifest number is allocated by the command side (14 digits, in the shipper's city).
 */
export interface IssueManifestCommand extends PartyCommand {
  readonly manifestNo: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly plannedAt: string;
  /** `massGrams`, when given, must equal the batch's held mass. */
  readonly lines: readonly { readonly traceCode: string; readonly massGrams?: number }[];
  /** Run on paper during an outage and back-filled now (纸质联单补录): recorded on the event as `paper: true`. */
  readonly paper?: boolean;
  /** The cross-province transfer approval (跨省转移审批) a hazardous manifest to another province moves under. */
  readonly transferApprovalNo?: string;
}

export interface IssueManifestState {
  readonly manifest: ManifestState;
  readonly shipper: PartyState;
  readonly carrier: PartyState;
  readonly receiver: PartyState;
  /** Keyed by canonical trace code. */
  readonly batches: ReadonlyMap<string, BatchState>;
  /** The approval `transferApprovalNo` names (its stream's state), when the command names one. */
  readonly transferApproval?: TransferApprovalState;
}

export interface IssueManifestResult {
  readonly manifest: ManifestEvent[];
  /** `BatchConsigned` on each line's batch, sorted by trace code: the lock. */
  readonly batches: BatchStreamEvents[];
}

export const MAX_MANIFEST_LINES = 200;

/**
 * Rules, in this order: the shipper is the custodian of every line's batch (checked before anything else
 * about the manifest: who may act, then what it may be); every line is of one category; the batch is free (not on another manifest) and not empty; a line
 * ships the whole held mass; the carrier holds the carrier role (for every category: a generator moving its
 * own waste registers the carrier role too); the receiver holds the receiver or collector role and is not
 * the shipper; for hazardous lines the receiver holds a permit valid at `occurredAt` covering the code
 * (checked again at receipt); hazardous waste to a receiver in another province names a transfer approval
 * that covers it (`requireTransferApproval`); the number is allocated in the shipper's city.
 */
export function decideIssueManifest(
  command: IssueManifestCommand,
  state: IssueManifestState,
  options: DecideOptions = {},
): IssueManifestResult {
  const { occurredAtMs, recordedAtMs, late: lateByDelay } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const { manifestNo, cityCode } = parseManifestNumber(command.manifestNo);
  const carrierUscc = parseUscc(command.carrierUscc, 'carrierUscc');
  const receiverUscc = parseUscc(command.receiverUscc, 'receiverUscc');
  parseInstant(command.plannedAt, 'plannedAt');
  if (command.paper !== undefined && typeof command.paper !== 'boolean')
    throw new InvalidValue('paper', command.paper, 'true or false');
  if (!Array.isArray(command.lines) || command.lines.length === 0)
    throw new InvalidValue('lines', null, 'at least one line is required');
  if (command.lines.length > MAX_MANIFEST_LINES)
    throw new InvalidValue('lines', command.lines.length, `at most ${MAX_MANIFEST_LINES} lines`);
  const lines = command.lines.map((l, i) => ({
    traceCode: normaliseTraceCode(l.traceCode, `lines[${i}].traceCode`),
    massGrams:
      l.massGrams === undefined ? undefined : Mass.fromGrams(l.massGrams, `lines[${i}].massGrams`).grams,
  }));
  lines.sort((a, b) => compareStrings(a.traceCode, b.traceCode));
  for (let i = 1; i < lines.length; i++)
    if (lines[i].traceCode === lines[i - 1].traceCode) throw new DuplicateLine('lines', lines[i].traceCode);

  if (state.manifest.status !== 'none') throw new ManifestAlreadyExists(manifestNo);
  const shipper = requireRegistered(state.shipper, actorUscc, 'actorUscc');
  if (cityOf(shipper.districtCode) !== cityCode)
    throw new ManifestNumberMismatch(manifestNo, shipper.districtCode);
  // Who may act comes first: the shipper holds every batch (a batch it does not hold, another's or none,
  // is 403 not-custodian either way), before what the manifest itself may be (422).
  const fieldOf = (traceCode: string): string =>
    `lines[${command.lines.findIndex((c) => normaliseTraceCode(c.traceCode) === traceCode)}].traceCode`;
  const held = lines.map((l) =>
    requireHeldBatch(state.batches.get(l.traceCode), l.traceCode, actorUscc, fieldOf(l.traceCode)),
  );
  // One manifest, one category (DESIGN §2): checked once the shipper is known to hold every line, so a
  // stranger learns nothing about the categories of batches it does not hold.
  const categories = [...new Set(held.map((b) => b.category))].sort();
  if (categories.length > 1) throw new ManifestMixesCategories(categories);
  if (receiverUscc === actorUscc) throw new ShipperIsReceiver(actorUscc);
  const carrier = requireRegistered(state.carrier, carrierUscc, 'carrierUscc');
  if (!carrier.roles.includes('carrier')) throw new CarrierRoleRequired(carrierUscc);
  const receiver = requireRegistered(state.receiver, receiverUscc, 'receiverUscc');
  if (!receiver.roles.includes('receiver') && !receiver.roles.includes('collector'))
    throw new ReceiverRoleRequired(receiverUscc);

  let permitLapse: PermitLapse | undefined;
  const batches: ExistingBatch[] = lines.map((l) => {
    const b = requireActionableBatch(
      state.batches.get(l.traceCode),
      l.traceCode,
      actorUscc,
      fieldOf(l.traceCode),
    );
    requireAfterCustody(b, command.occurredAt, occurredAtMs);
    if (l.massGrams !== undefined && l.massGrams !== b.heldGrams)
      throw new ManifestLineMassMismatch(l.traceCode, l.massGrams, b.heldGrams);
    if (b.category === 'hazardous' && b.wasteCode !== undefined)
      permitLapse ??= judgePermitTwice(receiver, b.wasteCode, occurredAtMs, recordedAtMs, 'receive').lapse;
    return b;
  });
  // relying on a permit that lapsed before the recording: always a late entry (permits judged twice)
  const late = lateByDelay || permitLapse !== undefined;

  const manifestLines: ManifestLine[] = batches.map((b) =>
    compact({
      traceCode: b.traceCode,
      category: b.category,
      subtype: b.subtype,
      wasteCode: b.wasteCode,
      massGrams: b.heldGrams,
    }),
  );
  const transferApprovalNo = requireTransferApproval(
    {
      transferApprovalNo: command.transferApprovalNo,
      shipper,
      receiver,
      lines: manifestLines,
      occurredAt: command.occurredAt,
      occurredAtMs,
    },
    state.transferApproval,
  );
  const issued = domainEvent('ManifestIssued', {
    manifestNo,
    shipperUscc: actorUscc,
    carrierUscc,
    receiverUscc,
    plannedAt: command.plannedAt,
    lines: manifestLines,
    totalGrams: manifestLines.reduce((a, l) => a + l.massGrams, 0),
    hazardous: batches.some((b) => b.category === 'hazardous'),
    ...(permitLapse === undefined ? {} : { permitLapse }),
    ...(command.paper === true ? { paper: true } : {}),
    ...(transferApprovalNo === undefined ? {} : { transferApprovalNo }),
    occurredAt: command.occurredAt,
    late,
  });
  return {
    manifest: [issued],
    batches: batches.map((b) => ({
      traceCode: b.traceCode,
      isNew: false,
      events: [
        domainEvent('BatchConsigned', {
          traceCode: b.traceCode,
          manifestNo,
          shipperUscc: actorUscc,
          carrierUscc,
          receiverUscc,
          massGrams: b.heldGrams,
          occurredAt: command.occurredAt,
          late,
        }),
      ],
    })),
  };
}
