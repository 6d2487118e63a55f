import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { list, optional, record, text, whole } from '../events/shape';
import { regulatorShape, type Regulator } from '../party/jurisdiction';
import { pick } from '../util';

/**
 * Cross-province transfer approvals (跨省转移审批, DESIGN §2; 《固体废物污染环境防治法》第二十二条,
 * 《危险废物转移管理办法》): the sending province's regulator approves a shipper sending hazardous waste of
 * named codes, up to a mass, to a named receiver in another province, for at most 12 months. Stream
 * `transfer-approval-<approvalNo>`: granted once, then drawn on by each receipt of a manifest that names it
 * (the accepted hazardous mass), in the receipt's own commit.
 *
 * Both events carry the parties and their districts, so the feed and the webhooks scope them without a
 * read model (the shipper, the receiver, regulators of either side).
 */

export interface TransferApprovalParties {
  readonly approvalNo: string;
  readonly shipperUscc: string;
  readonly shipperDistrictCode: string;
  readonly receiverUscc: string;
  readonly receiverDistrictCode: string;
}

/** The approval and its parties, as both events carry them (from an approval's state or either event). */
export function approvalParties(of: TransferApprovalParties): TransferApprovalParties {
  return pick(of, 'approvalNo', 'shipperUscc', 'shipperDistrictCode', 'receiverUscc', 'receiverDistrictCode');
}

export interface TransferApprovalGrantedData extends TransferApprovalParties, EventTime {
  /** Sorted, unique, each in the catalogue edition in force. */
  readonly wasteCodes: readonly string[];
  readonly approvedGrams: number;
  /** `YYYY-MM-DD` (from 00:00 CST) or an ISO 8601 instant. */
  readonly validFrom: string;
  /** `YYYY-MM-DD` (inclusive CST day) or an ISO 8601 instant; at most 12 months after validFrom. */
  readonly validTo: string;
  /** The regulator that granted it: its token and the scope it held then. */
  readonly regulator?: Regulator;
  readonly catalogueEdition?: string;
}

/** The accepted hazardous mass of one receipt, drawn on the approval its manifest named. */
export interface TransferApprovalDrawnData extends TransferApprovalParties, EventTime {
  readonly manifestNo: string;
  readonly grams: number;
  readonly drawnGramsAfter: number;
  readonly approvedGrams: number;
}

export type TransferApprovalGranted = DomainEventOf<'TransferApprovalGranted', TransferApprovalGrantedData>;
export type TransferApprovalDrawn = DomainEventOf<'TransferApprovalDrawn', TransferApprovalDrawnData>;

export type TransferApprovalEvent = TransferApprovalGranted | TransferApprovalDrawn;
export type TransferApprovalEventType = TransferApprovalEvent['type'];

const parties = {
  approvalNo: text,
  shipperUscc: text,
  shipperDistrictCode: text,
  receiverUscc: text,
  receiverDistrictCode: text,
};

/** The shapes of the data (checked when a stored event is decoded; exactly the interfaces above). */
export const TRANSFER_APPROVAL_EVENT_SHAPES = {
  TransferApprovalGranted: record<TransferApprovalGrantedData>({
    ...parties,
    wasteCodes: list(text),
    approvedGrams: whole,
    validFrom: text,
    validTo: text,
    regulator: optional(regulatorShape),
    catalogueEdition: optional(text),
    ...eventTime,
  }),
  TransferApprovalDrawn: record<TransferApprovalDrawnData>({
    ...parties,
    manifestNo: text,
    grams: whole,
    drawnGramsAfter: whole,
    approvedGrams: whole,
    ...eventTime,
  }),
};
