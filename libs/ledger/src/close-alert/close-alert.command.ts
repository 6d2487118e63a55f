import { decideCloseAlert } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { decideOnAlert } from '../alert-facts/decide-on-alert';
import { regulatorUseCase } from '../use-case/actor-use-cases';
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
  return regulatorUseCase('close alerts', async (regulator, input, context, unitOfWork) => {
    const closed = await decideOnAlert(facts, unitOfWork, context, input, 'AlertClosed', (act, lifecycle) =>
      decideCloseAlert({ ...act, regulator, finding: input.finding }, lifecycle, context.options),
    );
    const { alertId, event } = closed;
    return {
      writes: [closed.write],
      result: {
        alertId,
        state: 'closed',
        closedFrom: event.data.closedFrom,
        closedAt: event.data.occurredAt,
      },
    };
  });
}
