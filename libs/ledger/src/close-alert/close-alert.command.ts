import { alertStream, decideCloseAlert, parseAlertId } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { alertModel } from '../streams/stream-models';
import { writeOf } from '../use-case/plan-helpers';
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
    type: 'close-alert',
    action: 'close alerts',
    allowed: ['regulator'],
    async plan(input, context, unitOfWork) {
      const principal = context.principal;
      if (principal.kind !== 'regulator') throw new Error(`a ${principal.kind} token reached close-alert`);
      const alertId = parseAlertId(input.alertId);
      const lifecycle = await unitOfWork.load(alertStream(alertId), alertModel);
      const events = decideCloseAlert(
        {
          alertId,
          regulator: {
            tokenId: principal.tokenId,
            districts: principal.districts,
            categories: principal.categories,
          },
          finding: input.finding,
          alert: await facts.factsOf(alertId, new Date(context.recordedAt)),
          occurredAt: context.recordedAt,
          recordedAt: context.recordedAt,
        },
        lifecycle.state,
        context.options,
      );
      const [closed] = events;
      if (closed.type !== 'AlertClosed') throw new Error('unexpected decision');
      return {
        writes: [writeOf(alertStream(alertId), events)],
        result: {
          alertId,
          state: 'closed',
          closedFrom: closed.data.closedFrom,
          closedAt: closed.data.occurredAt,
        },
      };
    },
  };
}
