/**
 * A projector process that takes the lease under its default owner id (host:pid:random) and then either
 * idles (the parent kills it with SIGKILL: a dead holder) or stops itself with SIGSTOP inside a batch
 * transaction, after its rows and before its checkpoint (a stalled holder keeping the lease row locked).
 * Input (argv[2], JSON): read-model config, event store config, lease TTL, and `stallAfter` (a position:
 * the first batch past it stops the process) or nothing. Prints one JSON line once it leads.
 */
import { runChildMain, startSyntheticRunner, type SyntheticChildInput } from './synthetic-child';

interface Input extends SyntheticChildInput {
  readonly ttlMs: number;
  readonly stallAfter?: string;
}

runChildMain<Input>(async (input) => {
  const stallAfter = input.stallAfter === undefined ? undefined : BigInt(input.stallAfter);
  const runner = await startSyntheticRunner(input, { lease: { ttlMs: input.ttlMs } }, (from) => {
    if (stallAfter !== undefined && from > stallAfter) process.kill(process.pid, 'SIGSTOP');
  });
  const status = await runner.status();
  process.stdout.write(`${JSON.stringify({ owner: status.owner, leader: status.leader })}\n`);
  // Runs until the parent kills it (or the hook stops it).
  setInterval(() => undefined, 1_000);
});
