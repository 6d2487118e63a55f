import { decideAcknowledgeAlert } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { decideOnAlert } from '../alert-facts/decide-on-alert';
import { partyUseCase } from '../use-case/actor-use-cases';
import type { UseCase } from '../use-case/use-case';

export interface AcknowledgeAlertInput {
  /** Path parameter. */
  readonly alertId: string;
  readonly note: string;
}

export type AcknowledgeAlertResult = {
  alertId: string;
  state: 'acknowledged';
  acknowledgedBy: string;
  role: string;
  acknowledgedAt: string;
};

/** POST /v1/alerts/{alertId}/acknowledge (a party the alert names, with a note): AlertAcknowledged. */
export function acknowledgeAlert(
  facts: AlertFactsReader,
): UseCase<AcknowledgeAlertInput, AcknowledgeAlertResult> {
  return partyUseCase('acknowledge alerts', async (actorUscc, input, context, unitOfWork) => {
    const acknowledged = await decideOnAlert(
      facts,
      unitOfWork,
      context,
      input,
      'AlertAcknowledged',
      (act, lifecycle) =>
        decideAcknowledgeAlert({ ...act, actorUscc, note: input.note }, lifecycle, context.options),
    );
    const { data } = acknowledged.event;
    return {
      writes: [acknowledged.write],
      result: {
        alertId: acknowledged.alertId,
        state: 'acknowledged',
        acknowledgedBy: data.actorUscc,
        role: data.role,
        acknowledgedAt: data.occurredAt,
      },
    };
  });
}
