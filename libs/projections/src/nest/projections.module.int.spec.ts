import { jsonSafe, report, runChild } from '../../test/children/run-child';
import { fixtures, withoutCounts, type ReadModelKind } from '../../test/fixture';
import { describePostgres } from '../../test/support';
import { appendSynthetic, countingProjection, syntheticProjection } from '../../test/synthetic';

interface AppReport {
  readonly reached: boolean;
  readonly state: string;
  readonly leader: boolean;
  readonly checkpoint: string;
  readonly rows: number;
  readonly migrations: number;
  readonly metricsNamed: boolean;
  readonly stateAfterClose: string;
}

/**
 * ProjectionsModule in a real Nest application context. It runs in a child Node process: Nest 12 ships
 * ES modules only, which Node 20 can require but Jest's own module loader cannot.
 */
function moduleScenario(kind: ReadModelKind): void {
  const fixture = fixtures(kind, __filename);

  it('starts the runner on bootstrap, stops it and hands the lease back on close; run: false only reads', async () => {
    const f = await fixture('nest');
    await appendSynthetic(f.store, 0, 300);
    const head = await f.store.headPosition();
    const input = { readModels: f.config, store: jsonSafe(f.storeConfig), waitFor: head.toString() };

    const running = await runChild('nest-app.ts', { ...input, run: true });
    expect(running.stdout).toContain('Projecting as nest-app-run');
    expect(report<AppReport>(running)).toEqual({
      reached: true,
      state: 'running',
      leader: true,
      checkpoint: head.toString(),
      rows: (await f.expected()).streamStats.length,
      migrations: 4,
      metricsNamed: true,
      stateAfterClose: 'stopped',
    });
    expect(running.code).toBe(0);

    const { runner } = await f.runner([syntheticProjection(), countingProjection()]);
    expect((await runner.status()).lease).toMatch(/^free \(last held by nest-app-run/);
    expect(await f.actual(runner, true)).toEqual(await f.expected());

    await appendSynthetic(f.store, 300, 10);
    const reader = await runChild('nest-app.ts', { ...input, run: false });
    expect(report<AppReport>(reader)).toMatchObject({ reached: true, state: 'stopped', leader: false, checkpoint: head.toString() });
    // It did not project the new events.
    expect((await runner.status()).checkpoint).toBe(head);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected(head)));
  });
}

describe('ProjectionsModule on SQLite', () => {
  moduleScenario('sqlite');
});

describePostgres('ProjectionsModule on PostgreSQL', () => {
  moduleScenario('postgres');
});
