import { jsonSafe, runChild } from '../../test/children/run-child';
import { fixtures, withoutCounts, type ReadModelKind } from '../../test/fixture';
import { describePostgres } from '../../test/support';
import { appendSynthetic, syntheticProjection } from '../../test/synthetic';

function crashScenario(kind: ReadModelKind): void {
  const fixture = fixtures(kind, __filename);

  it('loses nothing and counts nothing twice when the projector is killed inside a batch transaction', async () => {
    const f = await fixture('kill');
    await appendSynthetic(f.store, 0, 600);
    const events = await f.events();
    const killAfter = events[249].position;
    const child = await runChild('crash-child.ts', {
      readModels: f.config,
      store: jsonSafe(f.storeConfig),
      killAfter: killAfter.toString(),
    });
    expect({ signal: child.signal, stderr: child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });

    // What the dead process committed: whole batches up to the kill, the killed batch not at all.
    const { runner, logger } = await f.runner([syntheticProjection()], {
      lease: { ttlMs: 2_000, standbyPollMs: 50 },
    });
    const before = await runner.status();
    expect(before.checkpoint).toBe(killAfter);
    // The dead child's lease (token 1): still held, or already expired when opening this runner took
    // longer than its 500 ms TTL on a loaded machine; either way nobody else has taken it.
    expect(before.lease).toMatch(
      /^(held by doomed-child \(token 1\)|free \(last held by doomed-child, token 1\))/,
    );
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected(killAfter)));

    // A new process takes over once the dead one's lease expires, and finishes the job exactly.
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), 10_000)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
    expect(logger.messages('log').join('\n')).toMatch(/lease token 2\) from position/);
  });
}

describe('crash recovery on SQLite', () => {
  crashScenario('sqlite');
});

describePostgres('crash recovery on PostgreSQL', () => {
  crashScenario('postgres');
});
