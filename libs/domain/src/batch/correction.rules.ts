import {
  CorrectionAlreadyDecided,
  CorrectionRequestNotFound,
  CorrectionSelfApproval,
  InvalidMass,
  InvalidValue,
  NoStandingForCorrection,
} from '../errors';
import { regulatorCovers, type Regulator } from '../party/jurisdiction';
import { MAX_MASS_GRAMS } from '../values/mass';
import { parseUscc } from '../values/uscc';
import type { CorrectionDecider } from './correction.events';
import type { BatchState, CorrectionRequestState, ExistingBatch } from './batch.state';

/**
 * Who may decide a correction request (DESIGN §2 "Corrections need a real second party", ADR 0018), as the
 * token says — never as a body says: the counterparty of the batch's last transfer (the shipper of the
 * manifest through which the custodian received it, or the receiver when the custodian shipped it and it
 * came back), or a regulator whose scope covers the batch (its category, and the district of an origin of
 * the batch or of its custodian: the one scope rule of the read side). Never the requester.
 */
export type CorrectionDeciderPrincipal =
  { readonly kind: 'party'; readonly uscc: string } | ({ readonly kind: 'regulator' } & Regulator);

const REQUEST_ID = /^cr-[1-9][0-9]{0,8}$/;

/** `cr-<n>`, the n-th correction request of a batch. */
export function parseCorrectionRequestId(value: unknown, field = 'requestId'): string {
  if (typeof value !== 'string' || !REQUEST_ID.test(value))
    throw new InvalidValue(field, typeof value === 'string' ? value : null, 'a request id cr-<n>');
  return value;
}

/** The id of the next request on the batch. */
export function nextCorrectionRequestId(batch: ExistingBatch): string {
  return `cr-${(batch.corrections?.length ?? 0) + 1}`;
}

export function pendingCorrection(batch: ExistingBatch): CorrectionRequestState | undefined {
  return batch.corrections?.find((c) => c.status === 'pending');
}

/** A signed, non-zero whole number of grams within the mass bound. */
export function requireCorrectionDelta(delta: unknown, field = 'deltaGrams'): number {
  if (
    typeof delta !== 'number' ||
    !Number.isSafeInteger(delta) ||
    delta === 0 ||
    Math.abs(delta) > MAX_MASS_GRAMS
  )
    throw new InvalidMass(
      field,
      typeof delta === 'number' ? delta : null,
      'a non-zero whole number of grams',
    );
  return delta;
}

/** The decider as recorded on the events: the party's USCC or the regulator's token id. */
export function recordedDecider(decider: CorrectionDeciderPrincipal): CorrectionDecider {
  return decider.kind === 'party'
    ? { kind: 'party', uscc: decider.uscc }
    : { kind: 'regulator', tokenId: decider.tokenId };
}

function hasStanding(
  batch: ExistingBatch,
  decider: CorrectionDeciderPrincipal,
  custodianDistrictCode: string | undefined,
): boolean {
  if (decider.kind === 'party') {
    const t = batch.lastTransfer;
    if (t === undefined) return false;
    const counterparty = t.receiverUscc === batch.custodianUscc ? t.shipperUscc : t.receiverUscc;
    return counterparty !== batch.custodianUscc && decider.uscc === counterparty;
  }
  const districts = [
    ...batch.composition.map((share) => share.districtCode),
    ...(custodianDistrictCode === undefined ? [] : [custodianDistrictCode]),
  ];
  return regulatorCovers(decider, { districts, categories: [batch.category] });
}

/**
 * The batch and the pending request `requestId` that `decider` may decide. The order of the checks is the
 * scope rule (issue 10 row 3): whoever has no standing gets one answer (NoStandingForCorrection) whether the
 * batch or the request exists or not; the custodian (who knows its own batch) learns that it may not decide
 * its request, or that there is no such request; a decider with standing learns the request's fate.
 */
export function requireDecidableRequest(
  state: BatchState,
  traceCode: string,
  requestId: string,
  decider: CorrectionDeciderPrincipal,
  custodianDistrictCode?: string,
): { batch: ExistingBatch; request: CorrectionRequestState } {
  if (state.status === 'none') throw new NoStandingForCorrection(traceCode, requestId);
  const batch = state;
  const request = batch.corrections?.find((c) => c.requestId === requestId);
  if (decider.kind === 'party') {
    const uscc = parseUscc(decider.uscc, 'actorUscc');
    if (uscc === batch.custodianUscc || uscc === request?.requestedBy) {
      if (request === undefined) throw new CorrectionRequestNotFound(traceCode, requestId);
      throw new CorrectionSelfApproval(traceCode, requestId);
    }
  }
  if (!hasStanding(batch, decider, custodianDistrictCode))
    throw new NoStandingForCorrection(traceCode, requestId);
  if (request === undefined) throw new CorrectionRequestNotFound(traceCode, requestId);
  if (request.status !== 'pending') throw new CorrectionAlreadyDecided(traceCode, requestId, request.status);
  return { batch, request };
}
