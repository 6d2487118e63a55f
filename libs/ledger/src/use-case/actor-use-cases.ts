import type { Regulator } from '@wasteflow/domain';
import type { JsonObject } from '@wasteflow/event-store';
import type { Principal, PrincipalKind } from '../access/principal';
import type { Decision } from '../writing/ledger-writer';
import type { UnitOfWork } from '../writing/unit-of-work';
import type { PlanContext, UseCase } from './use-case';

/** The acting party of a party token (the use case admits party tokens only). */
export function actorUsccOf(principal: Principal): string {
  if (principal.kind !== 'party') throw new Error(`a ${principal.kind} token reached a party use case`);
  return principal.partyUscc;
}

/** The acting regulator as the domain records it: its jurisdiction and its token (a regulator use case). */
export function regulatorOf(principal: Principal): Regulator {
  if (principal.kind !== 'regulator')
    throw new Error(`a ${principal.kind} token reached a regulator use case`);
  return { tokenId: principal.tokenId, districts: principal.districts, categories: principal.categories };
}

/** A plan that starts from who acts (`A`: a party's USCC, a regulator), then as `UseCase.plan`. */
export type ActorPlan<A, I, R extends JsonObject> = (
  actor: A,
  input: I,
  context: PlanContext,
  unitOfWork: UnitOfWork,
) => Promise<Decision<R>>;

/** A use case for one token kind, its plan given who acts as `actorOf` reads it from the token. */
function actorUseCase<A, I, R extends JsonObject>(
  kind: PrincipalKind,
  actorOf: (principal: Principal) => A,
  action: string,
  plan: ActorPlan<A, I, R>,
): UseCase<I, R> {
  return {
    action,
    allowed: [kind],
    plan: (input, context, unitOfWork) => plan(actorOf(context.principal), input, context, unitOfWork),
  };
}

/**
 * A use case for party tokens only, its plan given the acting party's USCC: who may run it and who acts
 * are said in one place, so the two cannot disagree. Built once per use case; a command allocates
 * nothing here beyond what its plan does.
 */
export function partyUseCase<I, R extends JsonObject>(
  action: string,
  plan: ActorPlan<string, I, R>,
): UseCase<I, R> {
  return actorUseCase('party', actorUsccOf, action, plan);
}

/** A use case for regulator tokens only, its plan given the acting regulator (jurisdiction and token). */
export function regulatorUseCase<I, R extends JsonObject>(
  action: string,
  plan: ActorPlan<Regulator, I, R>,
): UseCase<I, R> {
  return actorUseCase('regulator', regulatorOf, action, plan);
}
