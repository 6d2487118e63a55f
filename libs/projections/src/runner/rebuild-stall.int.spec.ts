import { fixtures } from '../../test/fixture';
import { describePostgres } from '../../test/support';
import { appendSynthetic, countingProjection, syntheticProjection } from '../../test/synthetic';
import { REPLAY_COMMIT_ATTEMPTS } from './replay';

/**
 * Issue 17: a rebuild of 1 M events on a loaded machine failed with `write EPIPE` — the server had ended a
 * batch's transaction on its idle-in-transaction bound (5 s) while the process, busy or descheduled, sent
 * nothing. Here the bound is 200 ms and the process stalls deterministically inside the transaction: the
 * rebuild's test hook (after the rows, before the checkpoint) blocks the event loop for a second.
 */
const IDLE_BOUND_MS = 200;
const STALL_MS = 1_000;

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else of the process runs, as in a long GC pause or a starved scheduler slot
  }
}

describePostgres('a rebuild batch whose transaction the server ended (PostgreSQL)', () => {
  const fixture = fixtures('postgres', __filename);

  async function projected(name: string, stalls: (rebuildBatch: number) => boolean) {
    const f = await fixture(name);
    await appendSynthetic(f.store, 0, 3_000);
    let rebuildBatches = 0;
    const { runner, logger } = await f.runner([syntheticProjection(), countingProjection()], {
      rebuildBatchSize: 1_000,
      leaseWorkTimeouts: { idleInTransactionMs: IDLE_BOUND_MS },
      testHooks: {
        beforeCheckpoint: ({ mode }) => {
          if (mode !== 'rebuild') return;
          rebuildBatches += 1;
          if (stalls(rebuildBatches)) blockEventLoop(STALL_MS);
        },
      },
    });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), 10_000)).toBe(true);
    return { f, runner, logger };
  }

  it('sends the batch again and rebuilds exactly (nothing of the ended transaction counted)', async () => {
    // The second batch's first attempt stalls; its second attempt and the other batches do not.
    const { f, runner, logger } = await projected('once', (batch) => batch === 2);
    const result = await runner.rebuild();
    expect(result.events).toBe(3_000);
    expect(result.failed).toEqual({});
    // Totals and counts are increments: re-applied on top of a committed attempt, they would show here.
    expect(await f.actual(runner, true)).toEqual(await f.expected());
    expect(logger.messages('warn').join('\n')).toMatch(/did not commit \(.*\); sent again \(attempt 2 of 4\)/);
    expect(logger.messages('error')).toEqual([]);
  });

  it('still fails safe when every attempt stalls: the live read model as it was, the cause said', async () => {
    const { f, runner, logger } = await projected('always', () => true);
    const before = await f.actual(runner, true);
    await expect(runner.rebuild()).rejects.toThrow();
    expect(await f.actual(runner, true)).toEqual(before);
    expect(before).toEqual(await f.expected());
    expect(logger.messages('warn').filter((m) => m.includes('sent again'))).toHaveLength(REPLAY_COMMIT_ATTEMPTS - 1);
    expect(logger.messages('error').join('\n')).toContain('Rebuild failed, the live read models are as they were');
  });
});
