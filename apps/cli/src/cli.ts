import { Command, CommanderError } from 'commander';
import { ConfigurationError } from '@wasteflow/config';
import { isDomainError } from '@wasteflow/domain';
import { StoreServerRefused } from '@wasteflow/event-store';
import { LedgerError } from '@wasteflow/ledger';
import { ReferenceConfigurationError } from '@wasteflow/projections';
import { processIo, type CliIo } from './cli-context';
import { COMMANDS } from './commands';

/** Builds the program (exposed for tests: they run it in-process with their own io and environment). */
export function buildProgram(io: CliIo): Command {
  const program = new Command('wasteflow')
    .description(
      'wasteflow operator CLI (same environment as the api: WASTEFLOW_STORE, WASTEFLOW_DATA_DIR, DATABASE_URL …)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.err(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
  for (const command of COMMANDS) program.addCommand(command(io));
  // addCommand() does not pass these on: every level throws instead of exiting, and prints to io
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (text) => io.err(text.trimEnd()),
        writeErr: (text) => io.err(text.trimEnd()),
      });
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 refused or failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isDomainError(error) || error instanceof LedgerError) {
      io.err(`refused (${error.rule}): ${error.message}`);
      return 1;
    }
    if (
      error instanceof ConfigurationError ||
      error instanceof ReferenceConfigurationError ||
      error instanceof StoreServerRefused
    ) {
      io.err(`configuration: ${error.message}`);
      return 1;
    }
    // A command's own failure with its exit code (verify: a broken chain; rebuild: the lease is taken).
    if (error instanceof Error && typeof (error as { exitCode?: unknown }).exitCode === 'number') {
      io.err(error.message);
      return (error as unknown as { exitCode: number }).exitCode;
    }
    io.err(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
