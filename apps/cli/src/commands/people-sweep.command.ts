import { Command } from 'commander';
import { createEventStore } from '@wasteflow/event-store';
import { eventStoreConfigFor, storeSettingsOf, sweepOrphanPeople } from '@wasteflow/ledger';
import { cliSettings, type CliIo } from '../cli-context';

/** `--older-than` is not a positive number of hours: exit 1. */
export class SweepRefused extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'SweepRefused';
  }
}

const HOUR = 3_600_000;

/**
 * `wasteflow people-sweep [--older-than <hours>]`: removes the person records (ADR 14) that no event names —
 * left by a command whose commit failed after its people were stored — among those stored more than the
 * given hours ago (default 24: a command still committing is never swept). Erased records are kept. Prints
 * what it checked and removed (the ids, never a name).
 */
export function peopleSweepCommand(io: CliIo): Command {
  return new Command('people-sweep')
    .description(
      'remove person records no event references (a failed commit left them), stored before --older-than hours',
    )
    .option('--older-than <hours>', 'only records stored at least this many hours ago', '24')
    .action(async (options: { olderThan: string }) => {
      const hours = Number(options.olderThan);
      if (!Number.isFinite(hours) || hours <= 0)
        throw new SweepRefused(`--older-than must be a positive number of hours, got ${options.olderThan}`);
      const store = await createEventStore(eventStoreConfigFor(storeSettingsOf(cliSettings(io))));
      try {
        const result = await sweepOrphanPeople(store, {
          recordedBefore: new Date(Date.now() - hours * HOUR),
        });
        for (const id of result.discarded) io.out(`removed ${id}`);
        io.out(
          `${result.candidates} person record(s) stored over ${hours} h ago checked against ${result.eventsRead} event(s): ` +
            `${result.discarded.length} referenced by no event removed`,
        );
      } finally {
        await store.close();
      }
    });
}
