import { Command, InvalidArgumentError } from 'commander';
import { EVENT_STORE, sealEvents, type EventStore, type EventToAppend } from '@wasteflow/event-store';
import { LedgerCommands, MANIFEST_CUSTODY_CHECKPOINT } from '@wasteflow/ledger';
// The benchmarks' history generator: the domain's own decide functions over fourteen months of Hangzhou.
import { generateHistory, type HistoryFacts } from '../../../../test/bench/support/waste-history';
import { cliEnvelope, withLedger, type CliIo } from '../cli-context';

const count = (value: string): number => {
  if (!/^\d{3,7}$/.test(value)) throw new InvalidArgumentError('a number of events from 100 to 9,999,999');
  return Number(value);
};

/**
 * Appends a generated history of about `events` events to `store`, one command's events per commit as the
 * ledger commits them, then the manifest process manager's checkpoint after them (the history carries its
 * custody events already). The browser suite seeds its app with it too.
 */
export async function appendDemoHistory(store: EventStore, events: number): Promise<HistoryFacts> {
  // the generator's hashes are a cheap stand-in (for benchmarks): sealed here with the ledger's own, so
  // `wasteflow verify` and the auditor's page accept the demo
  const lastHash = new Map<string, string | null>();
  const facts = await generateHistory({ events }, async (batch) => {
    const byStream = new Map<string, EventToAppend[]>();
    for (const { stream, event } of batch) byStream.set(stream, [...(byStream.get(stream) ?? []), event]);
    const writes = [...byStream].map(([stream, list]) => {
      const sealed = sealEvents(list, lastHash.get(stream) ?? null);
      lastHash.set(stream, sealed[sealed.length - 1].metadata.hash as string);
      return { stream, expected: 'any' as const, events: sealed };
    });
    await store.appendToStreams(writes);
  });
  // the checkpoint is bookkeeping beside the log (docs/adr/0008), saved under the process manager's lease
  const now = Date.now();
  const lease = await store.bookkeeping.acquireCheckpoint(
    MANIFEST_CUSTODY_CHECKPOINT,
    'demo',
    now,
    now + 60_000,
  );
  if (lease) {
    await store.bookkeeping.saveCheckpoint(
      MANIFEST_CUSTODY_CHECKPOINT,
      lease.token,
      await store.headPosition(),
      now,
    );
    await store.bookkeeping.releaseCheckpoint(MANIFEST_CUSTODY_CHECKPOINT, lease.token);
  }
  return facts;
}

/**
 * `wasteflow demo [--events 40000]`: fills an empty store (a fresh data directory) with a realistic history
 * of Hangzhou — 2025-01 to 2026-02, all 13 districts, the five categories, generation, collection, manifests
 * (cancellations, delays, losses, discrepancies, partial and full rejections), treatments and late entries —
 * decided by the domain and appended with the ledger's metadata and hash chain, one command at a time as the
 * ledger commits them; then issues a regulator token for Hangzhou and every category, and prints it.
 */
export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('fill an empty store with a year of Hangzhou flows and print a regulator token for it')
    .option('--events <n>', 'about this many events', count, 40_000)
    .action(async (options: { events: number }) => {
      await withLedger(io, async (app) => {
        const store = app.get<EventStore>(EVENT_STORE);
        const first = await store.readAll({ limit: 1000 });
        if (first.some((event) => !event.stream.startsWith('token-') && !event.stream.startsWith('$'))) {
          throw new Error(
            'the store already holds a history: run the demo on a fresh data directory (WASTEFLOW_DATA_DIR)',
          );
        }
        io.err(`writing about ${options.events.toLocaleString('en-US')} events (2025-01 … 2026-02) …`);
        const started = Date.now();
        const facts = await appendDemoHistory(store, options.events);
        io.err(
          `wrote ${facts.events.toLocaleString('en-US')} events: ${facts.parties} parties, ${facts.batches} batches, ` +
            `${facts.manifests} manifests, ${facts.firstMonth} … ${facts.lastMonth} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
        const input = {
          kind: 'regulator',
          districts: ['3301'],
          categories: ['industrial', 'hazardous', 'household', 'agricultural', 'construction'],
          label: 'demo',
        };
        const outcome = await app
          .get(LedgerCommands)
          .run('issue-token', cliEnvelope('POST /v1/tokens', input), input);
        io.out(String(outcome.secret?.token));
        io.err(
          'a regulator token for Hangzhou (3301), every category, is printed above: sign in with it at http://localhost:3000/',
        );
      });
    });
}
