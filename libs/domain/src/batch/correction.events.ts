import { eventTime, type EventTime } from '../events/envelope';
import { oneOf, optional, record, signedWhole, text } from '../events/shape';

/**
 * Two-party mass corrections (DESIGN §2 "Corrections need a real second party", ADR 0018): the data of the
 * three events of a correction request on stream `batch-<traceCode>`. The mass changes only when a request
 * is approved (MassCorrectionApproved, written with the MassCorrected v2 that applies it).
 */

/**
 * Who decided a correction request, as the token said (never as a body said): a party (the counterparty of
 * the batch's last transfer) by its USCC, or a regulator in scope by its token id.
 */
export interface CorrectionDecider {
  readonly kind: 'party' | 'regulator';
  /** kind `party`. */
  readonly uscc?: string;
  /** kind `regulator`. */
  readonly tokenId?: string;
}

export const CORRECTION_DECIDER_SHAPE = record<CorrectionDecider>({
  kind: oneOf(['party', 'regulator'] as const),
  uscc: optional(text),
  tokenId: optional(text),
});

/** The custodian asks for a correction of the held mass (a re-weighing, a booking error); nothing moves yet. */
export interface MassCorrectionRequestedData extends EventTime {
  readonly traceCode: string;
  /** `cr-<n>`: the n-th request on this batch. */
  readonly requestId: string;
  /** The custodian (USCC) that asked. */
  readonly requestedBy: string;
  /** Signed, non-zero. */
  readonly deltaGrams: number;
  readonly reason: string;
}

/** A party with standing approved the request; the MassCorrected (v2) written with it applies the delta. */
export interface MassCorrectionApprovedData extends EventTime {
  readonly traceCode: string;
  readonly requestId: string;
  readonly approvedBy: CorrectionDecider;
  readonly note?: string;
}

/** A party with standing rejected the request: the mass stays as it was. */
export interface MassCorrectionRejectedData extends EventTime {
  readonly traceCode: string;
  readonly requestId: string;
  readonly rejectedBy: CorrectionDecider;
  readonly reason: string;
}

export const CORRECTION_EVENT_SHAPES = {
  MassCorrectionRequested: record<MassCorrectionRequestedData>({
    traceCode: text,
    requestId: text,
    requestedBy: text,
    deltaGrams: signedWhole,
    reason: text,
    ...eventTime,
  }),
  MassCorrectionApproved: record<MassCorrectionApprovedData>({
    traceCode: text,
    requestId: text,
    approvedBy: CORRECTION_DECIDER_SHAPE,
    note: optional(text),
    ...eventTime,
  }),
  MassCorrectionRejected: record<MassCorrectionRejectedData>({
    traceCode: text,
    requestId: text,
    rejectedBy: CORRECTION_DECIDER_SHAPE,
    reason: text,
    ...eventTime,
  }),
};
