import { decideCloseAlert, parseAlertId } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { alertAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { timesOf } from '../use-case/plan-helpers';
import { regulatorOf } from '../use-case/regulator';
import type { UseCase } from '../use-case/use-case';

export interface CloseAlertInput {
  /** Path parameter. */
  readonly alertId: string;
  readonly finding: string;
}

export type CloseAlertResult = {
  alertId: string;
  state: 'closed';
  closedFrom: string;
  closedAt: string;
};

/** POST /v1/alerts/{alertId}/close (a regulator whose scope covers the alert, with a finding): AlertClosed. */
export function closeAlert(facts: AlertFactsReader): UseCase<CloseAlertInput, CloseAlertResult> {
  return {
    action: 'close alerts',
    allowed: ['regulator'],
    async plan(input, context, unitOfWork) {
      const regulator = regulatorOf(context.principal);
      const alertId = parseAlertId(input.alertId);
      const closed = await decideOnStream(
        unitOfWork,
        alertAggregate(alertId),
        'AlertClosed',
        async (lifecycle) =>
          decideCloseAlert(
            {
              alertId,
              regulator,
              finding: input.finding,
              alert: await facts.factsOf(alertId, new Date(context.recordedAt)),
              ...timesOf(context),
            },
            lifecycle,
            context.options,
          ),
      );
      const { data } = closed.event;
      return {
        writes: [closed.write],
        result: { alertId, state: 'closed', closedFrom: data.closedFrom, closedAt: data.occurredAt },
      };
    },
  };
}
