import {
  normaliseTraceCode,
  partyStream,
  type BatchEvent,
  type BatchState,
  type CorrectionDeciderPrincipal,
  type DecideMassCorrectionCommand,
} from '@wasteflow/domain';
import type { Principal } from '../access/principal';
import { batchAggregate, partyModel } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';
import type { PlanContext } from '../use-case/use-case';
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
 * For a regulator, the district of the batch's custodian (its party stream: the district half of the
 * scope rule); a party decides without it.
 */
async function custodianDistrictOf(
  unitOfWork: UnitOfWork,
  decider: CorrectionDeciderPrincipal,
  batch: BatchState,
): Promise<string | undefined> {
  if (decider.kind !== 'regulator' || batch.status === 'none') return undefined;
  const custodian = (await unitOfWork.load(partyStream(batch.custodianUscc), partyModel)).state;
  return custodian.status === 'registered' ? custodian.districtCode : undefined;
}

/**
 * What approving and rejecting a correction request share: the batch decided on, and the command of
 * either decision — the request, the token as its decider, for a regulator the custodian's district, at
 * the time of recording (a decision is an act in the ledger, not a field fact). `decide` adds its own.
 */
export async function decideOnCorrectionRequest<T extends BatchEvent['type']>(
  unitOfWork: UnitOfWork,
  context: PlanContext,
  input: { readonly traceCode: string; readonly requestId: string },
  answeredBy: T,
  decide: (request: DecideMassCorrectionCommand, batch: BatchState) => BatchEvent[],
) {
  const decider = correctionDeciderOf(context.principal);
  const traceCode = normaliseTraceCode(input.traceCode, 'traceCode');
  const decided = await decideOnStream(unitOfWork, batchAggregate(traceCode), answeredBy, async (batch) => {
    const custodianDistrictCode = await custodianDistrictOf(unitOfWork, decider, batch);
    const request: DecideMassCorrectionCommand = {
      traceCode,
      requestId: input.requestId,
      decider,
      ...(custodianDistrictCode === undefined ? {} : { custodianDistrictCode }),
      ...timesOf(context),
    };
    return decide(request, batch);
  });
  return { traceCode, ...decided };
}
