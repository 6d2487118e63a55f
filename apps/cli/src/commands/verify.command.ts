import { Command } from 'commander';
import {
  createEventStore,
  eventHash,
  StreamNotFound,
  verifyStreamIntegrity,
  type EventStore,
  type IntegrityBreak,
  type RecordedEvent,
} from '@wasteflow/event-store';
import { eventStoreConfigFor, storeSettingsFromEnv } from '@wasteflow/ledger';
import type { CliIo } from '../cli-context';

/** The chain is broken somewhere: the CLI exits 1 with this message (the breaks were printed already). */
export class IntegrityBroken extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityBroken';
  }
}

/**
 * Streams that were never sealed into a chain: the process manager's checkpoints, written as events by
 * versions before docs/adr/0008 and kept in logs that have them. Every other stream is verified.
 */
export const UNSEALED_LEGACY_PREFIXES = ['$checkpoint-'];

function sealed(stream: string): boolean {
  return !UNSEALED_LEGACY_PREFIXES.some((prefix) => stream.startsWith(prefix));
}

const PAGE = 5000;

interface StreamChain {
  revision: bigint;
  prevHash: string | null;
  broken?: IntegrityBreak;
}

/**
 * Verifies every stream as the log is read in global order (which keeps each stream's order): per stream
 * the next revision and the previous hash, so a million events need no more memory than their streams.
 * The same checks as `verifyStreamIntegrity`, in the same order.
 */
export class ChainVerifier {
  readonly streams = new Map<string, StreamChain>();
  events = 0;

  add(event: RecordedEvent): void {
    this.events += 1;
    let chain = this.streams.get(event.stream);
    if (!chain) {
      chain = { revision: 0n, prevHash: null };
      this.streams.set(event.stream, chain);
    }
    if (chain.broken) return;
    const revision = event.revision.toString();
    if (event.revision !== chain.revision) {
      chain.broken = {
        revision,
        reason: 'revision-gap',
        expected: chain.revision.toString(),
        found: revision,
      };
      return;
    }
    if (event.metadata.prevHash !== chain.prevHash) {
      chain.broken = {
        revision,
        reason: 'chain-broken',
        expected: chain.prevHash,
        found: event.metadata.prevHash ?? null,
      };
      return;
    }
    const hash = eventHash(event);
    if (event.metadata.hash !== hash) {
      chain.broken = {
        revision,
        reason: 'hash-mismatch',
        expected: hash,
        found: event.metadata.hash ?? null,
      };
      return;
    }
    chain.prevHash = hash;
    chain.revision += 1n;
  }

  breaks(): { stream: string; broken: IntegrityBreak }[] {
    return [...this.streams]
      .filter(([, chain]) => chain.broken !== undefined)
      .map(([stream, chain]) => ({ stream, broken: chain.broken as IntegrityBreak }));
  }
}

export function describeBreak(stream: string, broken: IntegrityBreak): string {
  return (
    `${stream}: broken at revision ${broken.revision} (${broken.reason}): ` +
    `expected ${JSON.stringify(broken.expected)}, found ${JSON.stringify(broken.found)}`
  );
}

async function verifyOne(store: EventStore, io: CliIo, stream: string): Promise<void> {
  let events: RecordedEvent[];
  try {
    events = await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFound) throw new IntegrityBroken(`no stream ${stream}`);
    throw error;
  }
  const report = verifyStreamIntegrity(events);
  if (report.firstBreak) {
    io.out(describeBreak(stream, report.firstBreak));
    throw new IntegrityBroken(
      `${stream}: the integrity chain is broken (${report.eventsChecked} event(s) verified before the break)`,
    );
  }
  io.out(`${stream}: ${report.eventsChecked} event(s) verified, head hash ${report.headHash}`);
}

async function verifyAll(store: EventStore, io: CliIo): Promise<void> {
  const verifier = new ChainVerifier();
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: PAGE });
    for (const event of page) if (sealed(event.stream)) verifier.add(event);
    if (page.length < PAGE) break;
    after = page[page.length - 1].position;
  }
  const breaks = verifier.breaks();
  for (const { stream, broken } of breaks) io.out(describeBreak(stream, broken));
  const summary = `${verifier.streams.size} stream(s), ${verifier.events} event(s)`;
  if (breaks.length > 0) {
    throw new IntegrityBroken(
      `${breaks.length} of ${summary} broken; first: ${describeBreak(breaks[0].stream, breaks[0].broken)}`,
    );
  }
  io.out(`verified ${summary}: every integrity chain holds`);
}

/**
 * `wasteflow verify [--stream <name>]`: recomputes the hash chain (docs/adr/0004) of every stream of the
 * configured store (`$manifest-serial-…` and the `$idempotency-…` streams of older logs included), or of
 * one; prints each break and exits 1 when there is one.
 */
export function verifyCommand(io: CliIo): Command {
  return (
    new Command('verify')
      .description('verify the integrity chain of every stream (or one); exits 1 on a break, printing it')
      .option('--stream <name>', 'verify only this stream (e.g. batch-330106W2603027K2M9QXAQ)')
      // Kept for scripts written before every stream was verified by default; changes nothing now.
      .option('--include-system', 'accepted for older scripts: every stream is verified anyway')
      .action(async (options: { stream?: string }) => {
        const store = await createEventStore(eventStoreConfigFor(storeSettingsFromEnv(io.env)));
        try {
          if (options.stream !== undefined) await verifyOne(store, io, options.stream);
          else await verifyAll(store, io);
        } finally {
          await store.close();
        }
      })
  );
}
