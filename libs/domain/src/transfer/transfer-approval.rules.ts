import { domainEvent } from '../events/event-catalogue';
import type { ManifestLine, ManifestReceived } from '../manifest/manifest.events';
import type { ManifestState } from '../manifest/manifest.state';
import { permitWindow } from '../party/permit';
import type { RegisteredParty } from '../party/party.state';
import { provinceOf } from '../values/district';
import { approvalParties, type TransferApprovalDrawn } from './transfer-approval.events';
import type { TransferApprovalState } from './transfer-approval.state';
import { parseTransferApprovalNo } from './grant-transfer-approval.decide';
import {
  TransferApprovalExceeded,
  TransferApprovalNotApplicable,
  TransferApprovalNotCovering,
  TransferApprovalNotValid,
  TransferApprovalRequired,
  TransferApprovalUnknown,
} from './transfer-approval.errors';

/** Whether a manifest of these lines from `shipper` to `receiver` crosses a province border with hazardous waste. */
export function needsTransferApproval(
  shipper: RegisteredParty,
  receiver: RegisteredParty,
  lines: readonly Pick<ManifestLine, 'category'>[],
): boolean {
  return (
    lines.some((l) => l.category === 'hazardous') &&
    provinceOf(shipper.districtCode) !== provinceOf(receiver.districtCode)
  );
}

/**
 * At issue (跨省转移, DESIGN §2): a hazardous manifest to a receiver in another province names an approval
 * granted to this shipper, for this receiver, covering every line's code, valid at the issue's
 * `occurredAt`, with at least the manifest's mass left; a manifest that needs none names none. Returns the
 * approval number to record on ManifestIssued (undefined when none is needed).
 */
export function requireTransferApproval(
  input: {
    readonly transferApprovalNo?: string;
    readonly shipper: RegisteredParty;
    readonly receiver: RegisteredParty;
    readonly lines: readonly ManifestLine[];
    readonly occurredAt: string;
    readonly occurredAtMs: number;
  },
  approval: TransferApprovalState | undefined,
): string | undefined {
  const { shipper, receiver, lines } = input;
  if (!needsTransferApproval(shipper, receiver, lines)) {
    if (input.transferApprovalNo !== undefined)
      throw new TransferApprovalNotApplicable(input.transferApprovalNo);
    return undefined;
  }
  if (input.transferApprovalNo === undefined)
    throw new TransferApprovalRequired(provinceOf(shipper.districtCode), provinceOf(receiver.districtCode));
  const approvalNo = parseTransferApprovalNo(input.transferApprovalNo, 'transferApprovalNo');
  // another shipper's approval is refused as one that does not exist: the number tells it nothing
  if (approval === undefined || approval.status !== 'granted' || approval.shipperUscc !== shipper.uscc)
    throw new TransferApprovalUnknown(approvalNo, shipper.uscc);
  if (approval.receiverUscc !== receiver.uscc)
    throw new TransferApprovalNotCovering(approvalNo, 'receiver', receiver.uscc);
  for (const line of lines)
    if (
      line.category === 'hazardous' &&
      (line.wasteCode === undefined || !approval.wasteCodes.includes(line.wasteCode))
    )
      throw new TransferApprovalNotCovering(approvalNo, 'wasteCode', line.wasteCode ?? line.traceCode);
  const { fromMs, toMs } = permitWindow(approval);
  if (input.occurredAtMs < fromMs || input.occurredAtMs >= toMs)
    throw new TransferApprovalNotValid(approvalNo, input.occurredAt, approval.validFrom, approval.validTo);
  const grams = lines.reduce((sum, l) => sum + l.massGrams, 0);
  if (approval.drawnGrams + grams > approval.approvedGrams)
    throw new TransferApprovalExceeded(
      approvalNo,
      'issue',
      approval.approvedGrams,
      approval.drawnGrams,
      grams,
    );
  return approvalNo;
}

/**
 * At receipt: the accepted mass of a manifest issued under an approval is drawn on it, on the approval's
 * stream in the receipt's commit (its revision serialises two receipts on one approval, so the sum is
 * exact). Beyond the approved mass the receipt is refused (`transfer-approval-exceeded`); nothing accepted,
 * nothing drawn.
 */
export function decideTransferApprovalDraw(
  received: ManifestReceived,
  state: { readonly manifest: ManifestState; readonly approval: TransferApprovalState },
): TransferApprovalDrawn[] {
  const manifest = state.manifest;
  if (manifest.status === 'none' || manifest.transferApprovalNo === undefined) return [];
  const approval = state.approval;
  // the manifest was issued under it, so it exists; a store that lost it is not the receiver's doing
  if (approval.status !== 'granted')
    throw new TransferApprovalUnknown(manifest.transferApprovalNo, manifest.shipperUscc);
  const grams = received.data.lines.reduce((sum, l) => sum + l.acceptedGrams, 0);
  if (grams === 0) return [];
  if (approval.drawnGrams + grams > approval.approvedGrams)
    throw new TransferApprovalExceeded(
      approval.approvalNo,
      'receipt',
      approval.approvedGrams,
      approval.drawnGrams,
      grams,
    );
  return [
    domainEvent('TransferApprovalDrawn', {
      ...approvalParties(approval),
      manifestNo: manifest.manifestNo,
      grams,
      drawnGramsAfter: approval.drawnGrams + grams,
      approvedGrams: approval.approvedGrams,
      occurredAt: received.data.occurredAt,
      late: received.data.late,
    }),
  ];
}
