import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { alertStream, decideAcknowledgeAlert, parseAlertId } from '@wasteflow/domain';
import { ALERT_FACTS, NO_ALERT_FACTS, type AlertFactsReader } from '../alert-facts/alert-facts.port';
import { alertModel } from '../streams/stream-models';
import { actorUsccOf, writeOf } from '../use-case/plan-helpers';
import { LedgerCommand, type UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';

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

export class AcknowledgeAlertCommand extends LedgerCommand<AcknowledgeAlertInput, AcknowledgeAlertResult> {}

@CommandHandler(AcknowledgeAlertCommand)
export class AcknowledgeAlertHandler implements ICommandHandler<AcknowledgeAlertCommand> {
  private readonly useCase: UseCase<AcknowledgeAlertInput, AcknowledgeAlertResult>;

  constructor(
    private readonly runner: UseCaseRunner,
    @Optional() @Inject(ALERT_FACTS) facts?: AlertFactsReader,
  ) {
    this.useCase = acknowledgeAlert(facts ?? NO_ALERT_FACTS);
  }

  execute(command: AcknowledgeAlertCommand) {
    return this.runner.run(this.useCase, command.envelope, command.input);
  }
}
