import { InvalidValue, PartyNotFound } from '../errors';
import type { CommandTime, DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { validateWasteCode } from '../catalogue/hw-catalogue';
import { catalogueInForce } from '../catalogue/hw-editions';
import type { Regulator } from '../party/jurisdiction';
import { permitWindow } from '../party/permit';
import type { PartyState } from '../party/party.state';
import { provinceOf } from '../values/district';
import { Mass } from '../values/mass';
import { checkCommandTime, cstParts, cstStartOfDay, formatCst } from '../values/time';
import { parseUscc } from '../values/uscc';
import { compact, sortedUnique } from '../util';
import type { TransferApprovalEvent } from './transfer-approval.events';
import type { TransferApprovalState } from './transfer-approval.state';
import {
  InvalidTransferApproval,
  InvalidTransferApprovalNo,
  TransferApprovalAlreadyGranted,
  TransferApprovalOutsideProvince,
  TransferApprovalSameProvince,
  TransferApprovalValidityTooLong,
} from './transfer-approval.errors';

/**
 * 危险废物跨省转移审批: the regulator of the shipper's province approves the shipper sending waste of the
 * listed codes, up to `approvedGrams`, to the receiver in another province, between validFrom and validTo
 * (at most 12 months).
 */
export interface GrantTransferApprovalCommand extends CommandTime {
  readonly approvalNo: string;
  readonly shipperUscc: string;
  readonly receiverUscc: string;
  readonly wasteCodes: readonly string[];
  readonly approvedGrams: number;
  readonly validFrom: string;
  readonly validTo: string;
  /** The granting regulator (the command side's principal). */
  readonly regulator: Regulator;
}

export interface GrantTransferApprovalState {
  readonly approval: TransferApprovalState;
  readonly shipper: PartyState;
  readonly receiver: PartyState;
}

export const MAX_TRANSFER_APPROVAL_MONTHS = 12;

const APPROVAL_NO = /^[\p{L}\p{N}\-_.()〔〕（）[\]【】]{1,64}$/u;

/** A transfer approval number as a path segment: letters (any script), digits and a few brackets, 1–64. */
export function parseTransferApprovalNo(value: unknown, field = 'approvalNo'): string {
  if (typeof value !== 'string' || !APPROVAL_NO.test(value.normalize('NFC')))
    throw new InvalidTransferApprovalNo(field, typeof value === 'string' ? value : String(value));
  return value.normalize('NFC');
}

/**
 * The last instant (exclusive) a validity starting at `fromMs` may reach: the same CST day and time twelve
 * months later (29 February → 1 March).
 */
export function latestValidityEndMs(fromMs: number): number {
  const { year, month, day } = cstParts(fromMs);
  const timeOfDay = fromMs - cstStartOfDay(year, month, day);
  const d = new Date(Date.UTC(year, month - 1 + MAX_TRANSFER_APPROVAL_MONTHS, day));
  return cstStartOfDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) + timeOfDay;
}

/**
 * Rules, in this order: the input's values; the regulator holds the shipper's province (a 2-digit region)
 * and hazardous waste, else 403 (nobody else learns whether the parties exist beyond that they are
 * registered); both parties registered and in different provinces; the validity is at most 12 months;
 * the number is new.
 */
export function decideGrantTransferApproval(
  command: GrantTransferApprovalCommand,
  state: GrantTransferApprovalState,
  options: DecideOptions = {},
): TransferApprovalEvent[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const catalogue = catalogueInForce(options.catalogues, occurredAtMs);
  const approvalNo = parseTransferApprovalNo(command.approvalNo);
  const shipperUscc = parseUscc(command.shipperUscc, 'shipperUscc');
  const receiverUscc = parseUscc(command.receiverUscc, 'receiverUscc');
  if (!Array.isArray(command.wasteCodes)) throw new InvalidValue('wasteCodes', null, 'a list is required');
  const wasteCodes = sortedUnique(
    command.wasteCodes.map((c, i) => validateWasteCode(c, catalogue, `wasteCodes[${i}]`).code),
  );
  if (wasteCodes.length === 0)
    throw new InvalidTransferApproval('wasteCodes', 'an approval covers at least one waste code');
  const approvedGrams = Mass.fromGrams(command.approvedGrams, 'approvedGrams').grams;
  const { fromMs, toMs } = permitWindow(command);
  if (toMs <= fromMs) throw new InvalidTransferApproval('validTo', 'validTo must not be before validFrom');

  if (state.shipper.status !== 'registered') throw new PartyNotFound(shipperUscc, 'shipperUscc');
  const province = provinceOf(state.shipper.districtCode);
  const { districts, categories } = command.regulator;
  if (!districts.includes(province) || !categories.includes('hazardous'))
    throw new TransferApprovalOutsideProvince(shipperUscc, province, districts, categories);
  if (state.receiver.status !== 'registered') throw new PartyNotFound(receiverUscc, 'receiverUscc');
  if (provinceOf(state.receiver.districtCode) === province) throw new TransferApprovalSameProvince(province);
  const latestMs = latestValidityEndMs(fromMs);
  if (toMs > latestMs)
    throw new TransferApprovalValidityTooLong(command.validFrom, command.validTo, formatCst(latestMs - 1));
  if (state.approval.status !== 'none') throw new TransferApprovalAlreadyGranted(approvalNo);

  return [
    domainEvent(
      'TransferApprovalGranted',
      compact({
        approvalNo,
        shipperUscc,
        shipperDistrictCode: state.shipper.districtCode,
        receiverUscc,
        receiverDistrictCode: state.receiver.districtCode,
        wasteCodes,
        approvedGrams,
        validFrom: command.validFrom,
        validTo: command.validTo,
        regulator: {
          tokenId: command.regulator.tokenId,
          districts: [...districts],
          categories: [...categories],
        },
        catalogueEdition: catalogue?.edition,
        occurredAt: command.occurredAt,
        late,
      }),
    ),
  ];
}
