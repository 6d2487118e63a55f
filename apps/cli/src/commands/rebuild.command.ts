import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { createEventStore, type EventStore } from '@wasteflow/event-store';
import { eventStoreConfigFor, storeSettingsOf } from '@wasteflow/ledger';
import {
  LeaseUnavailable,
  openReadModelDatabase,
  ownerId,
  ProjectionRunner,
  readModelConfigFor,
  loadReferenceData,
  wasteflowProjections,
  type Projection,
  type RebuildProgress,
  type RebuildResult,
  type RunnerTestHooks,
} from '@wasteflow/projections';
import type { DataSource } from 'typeorm';
import { cliSettings, processIo, type CliIo } from '../cli-context';

/**
 * The lease owner id of a CLI rebuild: `host:pid:cli-rebuild`, the form a successor parses to see that a
 * killed rebuild's process is gone (same host, dead pid) and take its lease at once instead of after its
 * TTL (issue 12 item 6).
 */
export function rebuildOwner(): string {
  return ownerId({ host: hostname(), pid: process.pid }, 'cli-rebuild');
}

/** Another rebuild holds the rebuild lease (and no --wait): the CLI exits 1 with this message. */
export class RebuildRefused extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RebuildRefused';
  }
}

/** A writable the progress bar can print to, handing whole lines to `io.err` (tests, pipes, CI logs). */
export function lineStream(io: CliIo): NodeJS.WritableStream {
  let pending = '';
  const stream = {
    isTTY: false,
    columns: 120,
    write(chunk: string): boolean {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trimEnd();
        if (line !== '') io.err(line);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      return true;
    },
  };
  return stream as unknown as NodeJS.WritableStream;
}

export interface RebuildOptions {
  readonly wait?: boolean;
  /** Give up waiting for the lease after this long (default: wait as long as it takes). */
  readonly waitTimeoutMs?: number;
  /** Events per transaction. */
  readonly batchSize?: number;
  /** Only these projections (default: all). */
  readonly only?: readonly string[];
  /** Tests: other projections (default every projection, over the configured calendar) and runner hooks. */
  readonly projections?: readonly Projection[];
  readonly testHooks?: RunnerTestHooks;
}

/**
 * Replays projections from position zero into shadow tables and swaps them in when caught up
 * (`ProjectionRunner.rebuild`, ADR 0011), with a progress bar; prints the events per second at the end.
 * Runs while the api serves and projects: the live read models keep answering until the swap. Refused
 * while another rebuild runs, unless `wait`: then it waits for that one to end.
 */
export async function rebuildProjections(io: CliIo, options: RebuildOptions = {}): Promise<RebuildResult> {
  const cli = cliSettings(io);
  const settings = storeSettingsOf(cli);
  // the calendar the api uses (WASTEFLOW_WORKDAY_CALENDAR or the bundled file): a rebuild derives the same deadlines
  const projections = options.projections ?? wasteflowProjections(loadReferenceData(cli));
  let store: EventStore | undefined;
  let dataSource: DataSource | undefined;
  let runner: ProjectionRunner | undefined;
  let bar: SingleBar | undefined;
  let started = false;
  try {
    store = await createEventStore(eventStoreConfigFor(settings));
    dataSource = await openReadModelDatabase(readModelConfigFor(settings), {
      migrations: projections.flatMap((p) => p.migrations ?? []),
    });
    runner = new ProjectionRunner({
      store,
      dataSource,
      projections,
      logger: {
        log: () => undefined,
        warn: (m) => io.err(`warning: ${m}`),
        error: (m) => io.err(`error: ${m}`),
      },
      owner: rebuildOwner(),
      restartDelayMs: 0,
      ...(options.testHooks ? { testHooks: options.testHooks } : {}),
    });
    const first = (await store.readAll({ limit: 1 }))[0]?.position ?? 0n;
    const tty = io === processIo && process.stderr.isTTY === true;
    bar = new SingleBar({
      format: 'rebuild [{bar}] {percentage}% | {events} events | position {position} | ETA {eta_formatted}',
      stream: tty ? process.stderr : lineStream(io),
      noTTYOutput: true,
      notTTYSchedule: 2000,
      hideCursor: tty,
      etaBuffer: 20,
    });
    const progressBar = bar;
    const onProgress = (progress: RebuildProgress) => {
      const span = progress.total - first + 1n;
      const done = progress.processed === 0n ? 0n : progress.processed - first + 1n;
      const permille = span <= 0n ? 1000 : Number((done * 1000n) / span);
      const payload = { events: progress.events, position: progress.processed.toString() };
      if (!started) {
        progressBar.start(1000, Math.min(permille, 1000), payload);
        started = true;
      } else {
        progressBar.update(Math.min(permille, 1000), payload);
      }
    };
    const deadline = options.waitTimeoutMs === undefined ? undefined : Date.now() + options.waitTimeoutMs;
    let result: RebuildResult | undefined;
    let told = false;
    while (!result) {
      try {
        result = await runner.rebuild({
          onProgress,
          ...(options.only && options.only.length > 0 ? { projections: options.only } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        });
      } catch (error) {
        if (!(error instanceof LeaseUnavailable)) throw error;
        if (!options.wait) {
          throw new RebuildRefused(
            `${error.message}. Another rebuild is running: ` +
              'let it finish, or run again with --wait to wait until it ends.',
          );
        }
        if (deadline !== undefined && Date.now() > deadline) {
          throw new RebuildRefused(`gave up waiting for the projection lease: ${error.message}`);
        }
        if (!told) io.err(`waiting for the other rebuild to end: ${error.message}`);
        told = true;
        await sleep(500);
      }
    }
    if (started) {
      bar.update(1000);
      bar.stop();
      started = false;
    }
    const seconds = (result.durationMs / 1000).toFixed(2);
    for (const [name, count] of Object.entries(result.applied))
      io.err(`  ${name}: ${count} event(s) applied`);
    for (const [name, failure] of Object.entries(result.failed))
      io.err(`  ${name}: stopped at position ${failure.position} (${failure.eventType}): ${failure.message}; its live read model was kept`);
    const rebuilt = Object.keys(result.applied).length - Object.keys(result.failed).length;
    io.out(
      `rebuilt ${rebuilt} projection(s) from position 0 to ${result.toPosition}: ` +
        `${result.events} events in ${seconds} s (${result.eventsPerSecond} events/s)`,
    );
    return result;
  } finally {
    if (started) bar?.stop();
    await runner?.close();
    await dataSource?.destroy();
    await store?.close();
  }
}

const milliseconds = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of seconds is expected');
  return Number(value) * 1000;
};

const positive = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('a positive whole number is expected');
  return Number(value);
};

/** `wasteflow rebuild [--wait] [--wait-timeout <s>] [--batch-size <n>]` */
export function rebuildCommand(io: CliIo): Command {
  return new Command('rebuild')
    .description(
      'replay projections from position zero into shadow tables and swap them in when caught up; runs while the api serves (progress bar; events/s at the end)',
    )
    .option('--wait', 'wait for another rebuild to end instead of refusing')
    .option('--projection <name...>', 'only these projections (default: all)')
    .option('--wait-timeout <seconds>', 'with --wait: give up after this long', milliseconds)
    .option('--batch-size <events>', 'events per transaction (default 20000)', positive)
    .action(async (options: { wait?: boolean; waitTimeout?: number; batchSize?: number; projection?: string[] }) => {
      await rebuildProjections(io, {
        wait: options.wait === true,
        ...(options.projection ? { only: options.projection } : {}),
        ...(options.waitTimeout !== undefined ? { waitTimeoutMs: options.waitTimeout } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      });
    });
}
