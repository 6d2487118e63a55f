import { alertStream, decideAcknowledgeAlert, parseAlertId } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { alertModel } from '../streams/stream-models';
import { actorUsccOf, writeOf } from '../use-case/plan-helpers';
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
  return {
    type: 'acknowledge-alert',
    action: 'acknowledge alerts',
    allowed: ['party'],
    async plan(input, context, unitOfWork) {
      const actorUscc = actorUsccOf(context.principal);
      const alertId = parseAlertId(input.alertId);
      const lifecycle = await unitOfWork.load(alertStream(alertId), alertModel);
      const events = decideAcknowledgeAlert(
        {
          alertId,
          actorUscc,
          note: input.note,
          alert: await facts.factsOf(alertId, new Date(context.recordedAt)),
          occurredAt: context.recordedAt,
          recordedAt: context.recordedAt,
        },
        lifecycle.state,
        context.options,
      );
      const [acknowledged] = events;
      if (acknowledged.type !== 'AlertAcknowledged') throw new Error('unexpected decision');
      return {
        writes: [writeOf(alertStream(alertId), events)],
        result: {
          alertId,
          state: 'acknowledged',
          acknowledgedBy: acknowledged.data.actorUscc,
          role: acknowledged.data.role,
          acknowledgedAt: acknowledged.data.occurredAt,
        },
      };
    },
  };
}
