import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Command } from '@nestjs/cqrs';
import { LedgerCommands, type BulkItem } from '../use-case/ledger-commands';
import type { GroupResult } from '../writing/write-group';

/** POST /v1/commands through the command bus (kept while callers move to LedgerCommands.runBulk). */
export class SubmitCommandsCommand extends Command<GroupResult[]> {
  constructor(readonly items: readonly BulkItem[]) {
    super();
  }
}

@CommandHandler(SubmitCommandsCommand)
export class SubmitCommandsHandler implements ICommandHandler<SubmitCommandsCommand> {
  constructor(private readonly commands: LedgerCommands) {}

  execute(command: SubmitCommandsCommand): Promise<GroupResult[]> {
    return this.commands.runBulk(command.items);
  }
}
