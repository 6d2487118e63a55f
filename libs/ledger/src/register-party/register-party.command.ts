import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideRegisterParty, parseUscc, partyStream, type PartyRole } from '@wasteflow/domain';
import { partyModel } from '../streams/stream-models';
import { writeOf } from '../use-case/plan-helpers';
import { LedgerCommand, type UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';

export interface RegisterPartyInput {
  readonly uscc: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly districtCode: string;
  readonly address?: string | null;
  readonly emergencyPhone?: string | null;
  /** Defaults to the time of recording. */
  readonly occurredAt?: string;
}

export type RegisterPartyResult = { uscc: string; name: string; roles: string[]; districtCode: string };

/** POST /v1/parties (admin): PartyRegistered in `party-<USCC>`. */
export const registerParty: UseCase<RegisterPartyInput, RegisterPartyResult> = {
  type: 'register-party',
  action: 'register parties',
  allowed: ['admin'],
  async plan(input, context, unitOfWork) {
    const uscc = parseUscc(input.uscc, 'uscc');
    const party = await unitOfWork.load(partyStream(uscc), partyModel);
    const events = decideRegisterParty(
      {
        uscc,
        name: input.name,
        roles: input.roles as PartyRole[],
        districtCode: input.districtCode,
        address: input.address ?? undefined,
        emergencyPhone: input.emergencyPhone ?? undefined,
        occurredAt: input.occurredAt ?? context.recordedAt,
        recordedAt: context.recordedAt,
      },
      party.state,
      context.options,
    );
    const [registered] = events;
    if (registered.type !== 'PartyRegistered') throw new Error('unexpected decision');
    const d = registered.data;
    return {
      writes: [writeOf(partyStream(uscc), events)],
      result: { uscc: d.uscc, name: d.name, roles: [...d.roles], districtCode: d.districtCode },
    };
  },
};

export class RegisterPartyCommand extends LedgerCommand<RegisterPartyInput, RegisterPartyResult> {}

@CommandHandler(RegisterPartyCommand)
export class RegisterPartyHandler implements ICommandHandler<RegisterPartyCommand> {
  constructor(private readonly runner: UseCaseRunner) {}

  execute(command: RegisterPartyCommand) {
    return this.runner.run(registerParty, command.envelope, command.input);
  }
}
