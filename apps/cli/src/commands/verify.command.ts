import { Command } from 'commander';
import {
  decodeEvent,
  isFault,
  parseStream,
  StreamChecker,
  type DomainEvent,
  type StreamIssue,
} from '@wasteflow/domain';
import {
  createEventStore,
  eventHash,
  StreamNotFound,
  verifyStreamIntegrity,
  type EventStore,
  type IntegrityBreak,
  type RecordedEvent,
} from '@wasteflow/event-store';
import { eventStoreConfigFor, storeSettingsOf } from '@wasteflow/ledger';
import { cliSettings, type CliIo } from '../cli-context';

/**
 * The chain is broken somewhere, or a stream's facts do not fit together: the CLI exits 1 with this
 * message (the breaks and the inconsistencies were printed already).
 */
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

export function describeIssue(stream: string, issue: StreamIssue): string {
  return `${stream}: inconsistent at revision ${issue.revision} (${issue.type}, ${issue.rule}): ${issue.reason}`;
}

/**
 * Feeds a stream checker (the domain's checkStream, one event at a time): the event decoded, or, when it
 * cannot be (an unknown type, a version without upcaster, malformed data), reported as unreadable.
 */
function check(checker: StreamChecker, event: RecordedEvent): void {
  let decoded: DomainEvent;
  try {
    decoded = decodeEvent(event);
  } catch (error) {
    if (!isFault(error)) throw error;
    checker.unreadable(event.type, error);
    return;
  }
  checker.add(decoded);
}

/**
 * Consistency of every party, batch and manifest stream as the log is read in global order: one checker
 * per stream, holding only its folded state (for a million events, the states of their batches).
 */
export class ConsistencyVerifier {
  readonly checkers = new Map<string, StreamChecker>();

  add(event: RecordedEvent): void {
    if (!parseStream(event.stream)) return;
    let checker = this.checkers.get(event.stream);
    if (!checker) {
      checker = new StreamChecker(event.stream);
      this.checkers.set(event.stream, checker);
    }
    check(checker, event);
  }

  issues(): { stream: string; issue: StreamIssue }[] {
    return [...this.checkers].flatMap(([stream, checker]) =>
      checker.result().issues.map((issue) => ({ stream, issue })),
    );
  }
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
  const consistency = new ConsistencyVerifier();
  for (const event of events) consistency.add(event);
  const issues = consistency.issues();
  for (const { issue } of issues) io.out(describeIssue(stream, issue));
  if (issues.length > 0)
    throw new IntegrityBroken(`${stream}: ${issues.length} event(s) do not fit the stream; the chain holds`);
  io.out(`${stream}: ${report.eventsChecked} event(s) verified, head hash ${report.headHash}`);
}

async function verifyAll(store: EventStore, io: CliIo): Promise<void> {
  const verifier = new ChainVerifier();
  const consistency = new ConsistencyVerifier();
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: PAGE });
    for (const event of page) {
      if (sealed(event.stream)) verifier.add(event);
      consistency.add(event);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].position;
  }
  const breaks = verifier.breaks();
  for (const { stream, broken } of breaks) io.out(describeBreak(stream, broken));
  const issues = consistency.issues();
  for (const { stream, issue } of issues) io.out(describeIssue(stream, issue));
  const summary = `${verifier.streams.size} stream(s), ${verifier.events} event(s)`;
  if (breaks.length > 0) {
    throw new IntegrityBroken(
      `${breaks.length} of ${summary} broken; first: ${describeBreak(breaks[0].stream, breaks[0].broken)}`,
    );
  }
  if (issues.length > 0) {
    const streams = new Set(issues.map((i) => i.stream)).size;
    throw new IntegrityBroken(
      `${streams} of ${summary} inconsistent; first: ${describeIssue(issues[0].stream, issues[0].issue)}`,
    );
  }
  io.out(`verified ${summary}: every integrity chain holds`);
}

/**
 * `wasteflow verify [--stream <name>]`: recomputes the hash chain (docs/adr/0004) of every stream of the
 * configured store (`$manifest-serial-…` and the `$idempotency-…` streams of older logs included), or of
 * one, and checks that each party, batch and manifest stream is consistent (the domain's checkStream);
 * prints each break and each inconsistency and exits 1 when there is one.
 */
export function verifyCommand(io: CliIo): Command {
  return (
    new Command('verify')
      .description(
        'verify the integrity chain and the consistency of every stream (or one); exits 1 on a break or an inconsistency, printing it',
      )
      .option('--stream <name>', 'verify only this stream (e.g. batch-330106W2603027K2M9QXAQ)')
      // Kept for scripts written before every stream was verified by default; changes nothing now.
      .option('--include-system', 'accepted for older scripts: every stream is verified anyway')
      .action(async (options: { stream?: string }) => {
        const store = await createEventStore(eventStoreConfigFor(storeSettingsOf(cliSettings(io))));
        try {
          if (options.stream !== undefined) await verifyOne(store, io, options.stream);
          else await verifyAll(store, io);
        } finally {
          await store.close();
        }
      })
  );
}
