import {
  batchStream,
  normaliseTraceCode,
  partyStream,
  type BatchState,
  type CorrectionDeciderPrincipal,
} from '@wasteflow/domain';
import type { Principal } from '../access/principal';
import { batchModel, partyModel } from '../streams/stream-models';
import type { UnitOfWork } from '../writing/unit-of-work';

/** The token as the domain's decider of a correction request: a party's USCC, or a regulator's scope and id. */
export function correctionDeciderOf(principal: Principal): CorrectionDeciderPrincipal {
  if (principal.kind === 'party') return { kind: 'party', uscc: principal.partyUscc };
  if (principal.kind === 'regulator')
    return {
      kind: 'regulator',
      tokenId: principal.tokenId,
      districts: principal.districts,
      categories: principal.categories,
    };
  throw new Error(`a ${principal.kind} token reached a correction decision`);
}

/**
 * What deciding a correction request reads: the batch, and for a regulator the custodian's district (its
 * party stream: the district half of the scope rule).
 */
export async function loadForDecision(
  unitOfWork: UnitOfWork,
  rawTraceCode: string,
  decider: CorrectionDeciderPrincipal,
): Promise<{ traceCode: string; batch: BatchState; custodianDistrictCode?: string }> {
  const traceCode = normaliseTraceCode(rawTraceCode, 'traceCode');
  const batch = (await unitOfWork.load(batchStream(traceCode), batchModel)).state;
  if (decider.kind !== 'regulator' || batch.status === 'none') return { traceCode, batch };
  const custodian = (await unitOfWork.load(partyStream(batch.custodianUscc), partyModel)).state;
  return custodian.status === 'registered'
    ? { traceCode, batch, custodianDistrictCode: custodian.districtCode }
    : { traceCode, batch };
}
