import { decideAcknowledgeAlert, parseAlertId } from '@wasteflow/domain';
import type { AlertFactsReader } from '../alert-facts/alert-facts.port';
import { alertAggregate } from '../streams/stream-models';
import { decideOnStream } from '../use-case/decide-on-stream';
import { actorUsccOf, timesOf } from '../use-case/plan-helpers';
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
    action: 'acknowledge alerts',
    allowed: ['party'],
    async plan(input, context, unitOfWork) {
      const actorUscc = actorUsccOf(context.principal);
      const alertId = parseAlertId(input.alertId);
      const acknowledged = await decideOnStream(
        unitOfWork,
        alertAggregate(alertId),
        'AlertAcknowledged',
        async (lifecycle) =>
          decideAcknowledgeAlert(
            {
              alertId,
              actorUscc,
              note: input.note,
              alert: await facts.factsOf(alertId, new Date(context.recordedAt)),
              ...timesOf(context),
            },
            lifecycle,
            context.options,
          ),
      );
      const { data } = acknowledged.event;
      return {
        writes: [acknowledged.write],
        result: {
          alertId,
          state: 'acknowledged',
          acknowledgedBy: data.actorUscc,
          role: data.role,
          acknowledgedAt: data.occurredAt,
        },
      };
    },
  };
}
