/**
 * A projector process that dies by SIGKILL inside a batch transaction, after its rows were written and
 * before its checkpoint: the harshest crash there is. Input (argv[2], JSON): read-model config, event
 * store config, and the position after which the next batch kills the process.
 */
import { runChildMain, startSyntheticRunner, type SyntheticChildInput } from './synthetic-child';

interface Input extends SyntheticChildInput {
  readonly killAfter: string;
}

runChildMain<Input>(async (input) => {
  const killAfter = BigInt(input.killAfter);
  await startSyntheticRunner(input, { owner: 'doomed-child', lease: { ttlMs: 500 } }, (from) => {
    if (from > killAfter) process.kill(process.pid, 'SIGKILL');
  });
  // Runs until the hook kills it; the parent's timeout catches a child that never gets there.
  setInterval(() => undefined, 1_000);
});
