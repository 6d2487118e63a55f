import { parseAlertId, type AlertEvent, type AlertFacts, type AlertState } from '@wasteflow/domain';
import { alertAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';
import type { PlanContext } from '../use-case/use-case';
import type { UnitOfWork } from '../writing/unit-of-work';
import type { AlertFactsReader } from './alert-facts.port';

/** The part of an alert lifecycle command every such command has: which alert, its facts, the times. */
export interface AlertAct {
  readonly alertId: string;
  /** The alert as the read side raised it by the time of recording (undefined: not raised). */
  readonly alert: AlertFacts | undefined;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

/**
 * What acknowledging and closing an alert share: the alert the route names, decided on its own lifecycle
 * stream (read at its revision), with the facts the read side holds about it when the command is recorded
 * (ADR 0015), at the time of recording. `decide` adds who acts and why.
 */
export async function decideOnAlert<T extends AlertEvent['type']>(
  facts: AlertFactsReader,
  unitOfWork: UnitOfWork,
  context: PlanContext,
  input: { readonly alertId: string },
  answeredBy: T,
  decide: (act: AlertAct, lifecycle: AlertState) => AlertEvent[],
) {
  const alertId = parseAlertId(input.alertId);
  const decided = await decideOnStream(unitOfWork, alertAggregate(alertId), answeredBy, async (lifecycle) => {
    const alert = await facts.factsOf(alertId, new Date(context.recordedAt));
    return decide({ alertId, alert, ...timesOf(context) }, lifecycle);
  });
  return { alertId, ...decided };
}
