import { LeaseLost } from '../src/database/backend';
import { LeaseUnavailable } from '../src/runner/errors';
import type { RebuildProgress } from '../src/runner/projection-runner';
import { fixtures, withoutCounts, type ReadModelKind } from './fixture';
import { eventually, gate } from './support';
import { appendSynthetic, countingProjection, lazySyntheticProjection, notesProjection, synthNotes, syntheticProjection } from './synthetic';

/**
 * The runner's guarantees, run once per read-model database by
 * projection-runner.sqlite.int.spec.ts and projection-runner.postgres.int.spec.ts.
 */
/** Beyond any position either store hands out in a test (PostgreSQL's grow by 2^20 per transaction). */
const FAR_FUTURE = 1n << 62n;
/**
 * How long a catch-up may take before a test calls it stuck: a bound, not a measurement (a loaded CI host
 * once took more than 10 s to replay these 1,000 events into PostgreSQL; the tests assert that it arrives).
 */
const CATCH_UP_MS = 25_000;

export function runnerScenarios(kind: ReadModelKind, file: string): void {
  const fixture = fixtures(kind, file);

  it('catches up from history, then follows live appends; status and metrics tell where it is', async () => {
    const f = await fixture('catchup');
    await appendSynthetic(f.store, 0, 1200);
    const { runner, metrics } = await f.runner([syntheticProjection()], { batchSize: 150 });
    await runner.start();
    const head = await f.store.headPosition();
    expect(await runner.waitForPosition(head, CATCH_UP_MS)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));

    await appendSynthetic(f.store, 1200, 300, { perCommit: 7 });
    const newHead = await f.store.headPosition();
    expect(await runner.waitForPosition(newHead, CATCH_UP_MS)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));

    const status = await runner.status();
    expect(status).toMatchObject({ state: 'running', leader: true, checkpoint: newHead, head: newHead, lag: 0n, eventsBehind: 0 });
    expect(status.projections).toEqual([{ name: 'synthetic', checkpoint: newHead, lag: 0n, state: 'live' }]);

    const text = await metrics.metrics();
    expect(text).toContain(`wasteflow_projection_checkpoint{projection="synthetic"} ${Number(newHead)}`);
    expect(text).toContain('wasteflow_projection_lag{projection="synthetic"} 0');
    // Noise events are not applied: 1500 events, 1 in 20 … 3 in 20 of them Noise.
    expect(text).toContain('wasteflow_projection_events_applied_total{projection="synthetic"} 1275');
    expect(text).toMatch(/wasteflow_projection_batch_duration_seconds_count\{mode="live"\} [1-9]/);
    expect(text).toContain('wasteflow_projection_leader 1');
  });

  it('loads rows on demand when a projection does not prefetch, with the same result', async () => {
    const f = await fixture('lazy');
    await appendSynthetic(f.store, 0, 600);
    const { runner } = await f.runner([lazySyntheticProjection()], { batchSize: 128 });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
  });

  it('commits rows and checkpoint in one transaction: a failure after the rows were written rolls both back', async () => {
    const f = await fixture('atomic');
    await appendSynthetic(f.store, 0, 1000);
    const events = await f.events();
    const failAfter = events[299].position;
    const { runner, logger } = await f.runner([syntheticProjection()], {
      batchSize: 100,
      testHooks: {
        beforeCheckpoint: ({ from }) => {
          if (from > failAfter) throw new Error('injected crash between the rows and the checkpoint');
        },
      },
    });
    await runner.start();
    await eventually(() => runner.currentState === 'error', 10_000, 'the runner to stop');
    const status = await runner.status();
    expect(status.state).toBe('error');
    expect(status.error?.message).toContain('injected crash');
    expect(status.checkpoint).toBe(failAfter);
    expect(logger.messages('error').join('\n')).toContain('injected crash');
    // The rows are exactly those of the committed batches: nothing of the rolled-back one.
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected(failAfter)));

    // Restart without the fault: totals exact, nothing counted twice.
    const restarted = await f.runner([syntheticProjection()], { batchSize: 100 });
    await restarted.runner.start();
    expect(await restarted.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(withoutCounts(await f.actual(restarted.runner))).toEqual(withoutCounts(await f.expected()));
  });

  it('starts again by itself after a failure outside the projection', async () => {
    const f = await fixture('restart');
    await appendSynthetic(f.store, 0, 400);
    let failures = 0;
    const { runner, logger } = await f.runner([syntheticProjection()], {
      batchSize: 100,
      restartDelayMs: 50,
      testHooks: {
        beforeCheckpoint: ({ from }) => {
          if (from > 200n && failures === 0) {
            failures += 1;
            throw new Error('database went away');
          }
        },
      },
    });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(failures).toBe(1);
    expect(logger.messages('error').join('\n')).toMatch(/database went away; starting again in 50 ms/);
    const status = await runner.status();
    expect(status.state).toBe('running');
    expect(status.error).toBeUndefined();
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
  });

  it('stops a throwing projection alone with its failure in status, and retries it from its checkpoint on restart', async () => {
    const f = await fixture('throws');
    await appendSynthetic(f.store, 0, 500);
    const events = await f.events();
    const bad = events.find((event, i) => i >= 333 && event.type === 'Deposited');
    if (!bad) throw new Error('no Deposited event after 333');
    let broken = true;
    const applied = { count: 0 };
    const projection = syntheticProjection({
      applied,
      beforeEvent: (event) => {
        if (broken && event.id === bad.id) throw new Error('projection bug');
      },
    });
    const { runner, logger, metrics } = await f.runner([projection, countingProjection()], { batchSize: 50 });
    await runner.start();
    // The other projection goes on to the head; the failing one stops at the event before the bad one.
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS, 'stream-counts')).toBe(true);
    const status = await runner.status();
    expect(status.state).toBe('running');
    const failed = status.projections.find((p) => p.name === 'synthetic');
    expect(failed).toMatchObject({ state: 'failed', failure: { position: bad.position, eventType: 'Deposited', eventId: bad.id, phase: 'evolve' } });
    expect(failed?.failure?.message).toContain('projection bug');
    const before = events[events.findIndex((e) => e.id === bad.id) - 1].position;
    expect(failed?.checkpoint).toBe(before);
    expect(logger.messages('error')).toHaveLength(1);
    expect(logger.messages('error')[0]).toMatch(/Projection synthetic stopped alone at position .*projection bug/);
    expect(await metrics.metrics()).toContain('wasteflow_projection_failed{projection="synthetic"} 1');
    expect(await metrics.metrics()).toContain('wasteflow_projection_failed{projection="stream-counts"} 0');
    // Exactly the events before the bad one: nothing of its batch after it, nothing skipped.
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected(before)));
    // Still stopped: no silent skip past the bad event; a wait for it answers at once.
    await appendSynthetic(f.store, 500, 20);
    expect(await runner.waitFor(bad.position, 5_000, 'synthetic')).toEqual({ reached: false, failed: 'synthetic' });
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS, 'stream-counts')).toBe(true);

    broken = false;
    await runner.stop();
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const after = await runner.status();
    expect(after.projections.every((p) => p.state === 'live' && p.failure === undefined)).toBe(true);
    expect(withoutCounts(await f.actual(runner))).toEqual(withoutCounts(await f.expected()));
    expect(await metrics.metrics()).toContain('wasteflow_projection_failed{projection="synthetic"} 0');
  });

  it(`isolates a projection whose rows the database refuses (${kind === 'postgres' ? 'a NUL byte in a text column' : 'a throwing evolve'}): the others go on, another process sees why`, async () => {
    const f = await fixture('isolated');
    await appendSynthetic(f.store, 0, 200);
    const badNote = kind === 'postgres' ? 'a\u0000b' : 'boom';
    await f.store.appendToStreams([
      {
        stream: 'notes-1',
        expected: 'any',
        events: [
          { id: 'note-ok', type: 'Noted', schemaVersion: 1, data: { note: 'fine' }, metadata: {} },
          { id: 'note-bad', type: 'Noted', schemaVersion: 1, data: { note: badNote }, metadata: {} },
        ],
      },
    ]);
    await appendSynthetic(f.store, 200, 100);
    const all = [syntheticProjection(), notesProjection(), countingProjection()];
    const { runner, logger, metrics } = await f.runner(all, { batchSize: 1000 });
    await runner.start();
    const head = await f.store.headPosition();
    expect(await runner.waitForPosition(head, CATCH_UP_MS, ['synthetic', 'stream-counts'])).toBe(true);
    const badEvent = (await f.events()).find((e) => e.id === 'note-bad');
    const okEvent = (await f.events()).find((e) => e.id === 'note-ok');
    const status = await runner.status();
    expect(status.state).toBe('running');
    expect(status.error).toBeUndefined();
    const notes = status.projections.find((p) => p.name === 'notes');
    expect(notes).toMatchObject({
      state: 'failed',
      checkpoint: okEvent?.position,
      failure: { position: badEvent?.position, eventType: 'Noted', eventId: 'note-bad', phase: kind === 'postgres' ? 'commit' : 'evolve' },
    });
    expect(notes?.failure?.message).toMatch(kind === 'postgres' ? /0x00/ : /boom/);
    // The note before the bad one is in; nothing of the bad one.
    expect(await runner.dumpTable(synthNotes)).toEqual([{ stream: 'notes-1', note: 'fine', n: 1 }]);
    // status.checkpoint is that of the healthy projections.
    expect(status.checkpoint).toBe(head);
    expect(logger.messages('error').join('\n')).toMatch(/Projection notes stopped alone at position/);
    expect(await metrics.metrics()).toContain('wasteflow_projection_failed{projection="notes"} 1');

    // Live projection goes on for the others.
    await appendSynthetic(f.store, 300, 50);
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS, ['synthetic', 'stream-counts'])).toBe(true);
    expect(await f.actual(runner, true)).toEqual(await f.expected());
    expect(await runner.waitFor(await f.store.headPosition(), 1_000)).toEqual({ reached: false, failed: 'notes' });

    // A process that does not project (an api beside apps/projector) reads the failure from the table.
    const reader = await f.runner(all);
    const seen = (await reader.runner.status()).projections.find((p) => p.name === 'notes');
    expect(seen).toMatchObject({ state: 'failed', failure: { position: badEvent?.position, eventId: 'note-bad' } });
    expect(await reader.runner.waitForPosition(await f.store.headPosition(), 1_000, 'synthetic')).toBe(true);
    expect(await reader.runner.waitFor(await f.store.headPosition(), 1_000, 'notes')).toEqual({ reached: false, failed: 'notes' });
  });

  it('resumes after a restart from its checkpoint without applying any event twice', async () => {
    const f = await fixture('resume');
    await appendSynthetic(f.store, 0, 400);
    const first = { count: 0 };
    const a = await f.runner([syntheticProjection({ applied: first })]);
    await a.runner.start();
    expect(await a.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    await a.runner.stop();
    expect(first.count).toBe(340);

    await appendSynthetic(f.store, 400, 200);
    const second = { count: 0 };
    const b = await f.runner([syntheticProjection({ applied: second })]);
    await b.runner.start();
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(second.count).toBe(170);
    expect(withoutCounts(await f.actual(b.runner))).toEqual(withoutCounts(await f.expected()));
  });

  it('catches a projection added later up alone, from position zero', async () => {
    const f = await fixture('added');
    await appendSynthetic(f.store, 0, 300);
    const a = await f.runner([syntheticProjection()]);
    await a.runner.start();
    expect(await a.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    await a.runner.stop();

    const old = { count: 0 };
    const added = { count: 0 };
    const b = await f.runner([syntheticProjection({ applied: old }), countingProjection(added)]);
    await b.runner.start();
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(old.count).toBe(0);
    expect(added.count).toBe(300);
    expect(await f.actual(b.runner, true)).toEqual(await f.expected());
  });

  it('rebuilds from position zero to the same tables as incremental projection', async () => {
    const f = await fixture('rebuild');
    const { runner } = await f.runner([syntheticProjection(), countingProjection()], { batchSize: 64 });
    await runner.start();
    for (let from = 0; from < 1500; from += 250) {
      await appendSynthetic(f.store, from, 250, { perCommit: 25 });
      expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    }
    const incremental = await f.actual(runner, true);
    expect(incremental).toEqual(await f.expected());

    const progress: RebuildProgress[] = [];
    const result = await runner.rebuild({ batchSize: 400, onProgress: (p) => progress.push(p) });
    const head = await f.store.headPosition();
    expect(result).toMatchObject({ events: 1500, applied: { synthetic: 1275, 'stream-counts': 1500 }, toPosition: head });
    expect(progress.map((p) => p.events)).toEqual([0, 400, 800, 1200, 1500]);
    expect(progress.every((p) => p.total === head)).toBe(true);
    expect(progress[progress.length - 1].processed).toBe(head);
    expect(await f.actual(runner, true)).toEqual(incremental);

    // Back to live projection afterwards.
    expect(runner.currentState).toBe('running');
    await appendSynthetic(f.store, 1500, 50);
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(await f.actual(runner, true)).toEqual(await f.expected());
  });

  it('rebuilds in shadow tables beside a leading instance: its reads never see an empty or half-built model, it goes on from the swap; a second rebuild is refused', async () => {
    const f = await fixture('rebuildcli');
    await appendSynthetic(f.store, 0, 900);
    const leader = await f.runner([syntheticProjection(), countingProjection()], { owner: 'leader' });
    await leader.runner.start();
    expect(await leader.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const live = await f.actual(leader.runner, true);
    expect(live).toEqual(await f.expected());

    // The CLI: another "process", not started, holding no writer's lease.
    const cli = await f.runner([syntheticProjection(), countingProjection()], { owner: 'cli' });
    const reads: Promise<unknown>[] = [];
    const second: Promise<unknown>[] = [];
    const result = await cli.runner.rebuild({
      batchSize: 200,
      onProgress: () => {
        reads.push(f.actual(leader.runner, true));
        if (second.length === 0) second.push(cli.runner.rebuild().catch((error: unknown) => error));
      },
    });
    expect(result.events).toBe(900);
    expect(reads.length).toBeGreaterThanOrEqual(5);
    // Every read during the rebuild answered the complete live model.
    for (const read of await Promise.all(reads)) expect(read).toEqual(live);
    expect(await second[0]).toBeInstanceOf(LeaseUnavailable);
    expect(cli.runner.currentState).toBe('stopped');
    expect(await f.actual(cli.runner, true)).toEqual(live);

    // The leader was never stopped, and carries on from the swapped tables.
    expect(leader.runner.currentState).toBe('running');
    await appendSynthetic(f.store, 900, 120);
    expect(await leader.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(await f.actual(leader.runner, true)).toEqual(await f.expected());
    expect(leader.logger.messages('log').join('\n')).toMatch(/swapped/);
  });

  it('a rebuild while events keep arriving catches up with the live checkpoint before it swaps', async () => {
    const f = await fixture('rblive');
    await appendSynthetic(f.store, 0, 600);
    const leader = await f.runner([syntheticProjection(), countingProjection()], { owner: 'leader', batchSize: 50 });
    await leader.runner.start();
    expect(await leader.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const cli = await f.runner([syntheticProjection(), countingProjection()], { owner: 'cli' });
    let appended = 0;
    const appending: Promise<void>[] = [];
    await cli.runner.rebuild({
      batchSize: 100,
      onProgress: () => {
        // Writes land while the shadow fills: the live checkpoint moves past the rebuild's head.
        if (appended < 3) appending.push(appendSynthetic(f.store, 600 + appended * 40, 40, { namespace: `more${appended++}` }));
      },
    });
    await Promise.all(appending);
    expect(await leader.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(await f.actual(leader.runner, true)).toEqual(await f.expected());
  });

  it('rebuilds a projection whose code version changed when it takes the lead, in shadow tables, and records the version', async () => {
    const f = await fixture('version');
    await appendSynthetic(f.store, 0, 400);
    const v1 = await f.runner([syntheticProjection(), countingProjection()], { owner: 'v1' });
    await v1.runner.start();
    expect(await v1.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    await v1.runner.stop();
    const table = kind === 'postgres' ? `"${(f.config as { schema: string }).schema}".projection_checkpoint` : 'projection_checkpoint';
    const rows = async () =>
      (await v1.dataSource.query(`SELECT name, version, generation FROM ${table} ORDER BY name`)).map(
        (r: { name: string; version: unknown; generation: unknown }) => ({ name: r.name, version: Number(r.version), generation: Number(r.generation) }),
      );
    expect(await rows()).toEqual([
      { name: 'stream-counts', version: 1, generation: 0 },
      { name: 'synthetic', version: 1, generation: 0 },
    ]);

    const v2 = await f.runner([{ ...syntheticProjection(), version: 2 }, countingProjection()], { owner: 'v2' });
    await v2.runner.start();
    await eventually(async () => (await rows()).some((r: { name: string; version: number }) => r.name === 'synthetic' && r.version === 2), 10_000, 'the version rebuild to swap');
    expect(await rows()).toEqual([
      { name: 'stream-counts', version: 1, generation: 0 },
      { name: 'synthetic', version: 2, generation: 1 },
    ]);
    expect(v2.logger.messages('log').join('\n')).toMatch(/Code version changed for synthetic/);
    await appendSynthetic(f.store, 400, 40);
    expect(await v2.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(await f.actual(v2.runner, true)).toEqual(await f.expected());
  });

  it('has one writer: a standby takes over when the leader stops', async () => {
    const f = await fixture('standby');
    await appendSynthetic(f.store, 0, 200);
    const a = await f.runner([syntheticProjection()], { owner: 'runner-a' });
    const b = await f.runner([syntheticProjection()], { owner: 'runner-b' });
    await a.runner.start();
    await b.runner.start();
    expect(a.runner.currentState).toBe('running');
    expect(b.runner.currentState).toBe('standby');
    expect((await b.runner.status()).lease).toMatch(/^held by runner-a/);
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);

    await a.runner.stop();
    await eventually(() => b.runner.currentState === 'running', 5_000, 'the standby to take over');
    await appendSynthetic(f.store, 200, 100);
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    expect(withoutCounts(await f.actual(b.runner))).toEqual(withoutCounts(await f.expected()));
    expect(await b.metrics.metrics()).toContain('wasteflow_projection_leader 1');
    expect(await a.metrics.metrics()).toContain('wasteflow_projection_leader 0');
  });

  it('has one writer: a standby takes over an expired lease; the former owner is fenced out and stands by', async () => {
    const f = await fixture('expiry');
    await appendSynthetic(f.store, 0, 100);
    // A's timers "freeze": it never renews, like a process stopped by a debugger or a long GC pause.
    const a = await f.runner([syntheticProjection()], { owner: 'runner-a', lease: { ttlMs: 300, renewIntervalMs: 3_600_000, standbyPollMs: 50 } });
    await a.runner.start();
    expect(await a.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const b = await f.runner([syntheticProjection()], { owner: 'runner-b', lease: { ttlMs: 300, standbyPollMs: 50 } });
    await b.runner.start();
    await eventually(() => b.runner.currentState === 'running', 5_000, 'the standby to take the expired lease');

    await appendSynthetic(f.store, 100, 60);
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    await eventually(() => a.runner.currentState === 'standby', 5_000, 'the former owner to stand by');
    expect(a.logger.messages('warn').join('\n')).toContain('Lost the projection lease');
    expect(withoutCounts(await f.actual(b.runner))).toEqual(withoutCounts(await f.expected()));
  });

  it('refuses the commit of a paused former owner that lost its lease mid-batch', async () => {
    const f = await fixture('fenced');
    await appendSynthetic(f.store, 0, 100);
    const events = await f.events();
    const hold = gate();
    let holding = false;
    const aApplied = { count: 0 };
    const a = await f.runner(
      [
        syntheticProjection({
          applied: aApplied,
          beforeEvent: async (event) => {
            if (event.position > events[events.length - 1].position && !holding) {
              holding = true;
              await hold.promise;
            }
          },
        }),
      ],
      { owner: 'runner-a', lease: { ttlMs: 300, renewIntervalMs: 3_600_000, standbyPollMs: 50 } },
    );
    await a.runner.start();
    expect(await a.runner.waitForPosition(events[events.length - 1].position, CATCH_UP_MS)).toBe(true);
    const observer = (await f.runner([])).runner;

    await appendSynthetic(f.store, 100, 50);
    await eventually(() => holding, 5_000, 'the leader to pause mid-batch');
    const b = await f.runner([syntheticProjection()], { owner: 'runner-b', lease: { ttlMs: 2_000, standbyPollMs: 50 } });
    await b.runner.start();
    await eventually(() => b.runner.currentState === 'running', 5_000, 'the standby to take the expired lease');
    expect(await b.runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const afterB = await f.actual(b.runner);

    hold.open();
    await eventually(() => a.runner.currentState === 'standby', 5_000, 'the fenced owner to stand by');
    expect(a.logger.messages('warn').join('\n')).toMatch(/fenced out.*runner-a/);
    // A's staged batch never reached the tables: exactly once, as B wrote them.
    expect(await f.actual(b.runner)).toEqual(afterB);
    expect(withoutCounts(afterB)).toEqual(withoutCounts(await f.expected()));
    expect((await observer.status()).lease).toMatch(/^held by runner-b \(token 2\)/);
  });

  it('waitForPosition resolves on commit, times out otherwise, and works from a process that does not project', async () => {
    const f = await fixture('wait');
    await appendSynthetic(f.store, 0, 50);
    const { runner } = await f.runner([syntheticProjection(), countingProjection()]);
    await runner.start();
    const head = await f.store.headPosition();
    expect(await runner.waitForPosition(head, CATCH_UP_MS)).toBe(true);
    expect(await runner.waitForPosition(FAR_FUTURE, 100)).toBe(false);
    await expect(runner.waitForPosition(head, 10, 'nope')).rejects.toThrow('Unknown projection nope');

    // Another "process": its own DataSource, not started; it reads the checkpoint table.
    const reader = await f.runner([syntheticProjection(), countingProjection()]);
    expect(await reader.runner.waitForPosition(head, 1_000)).toBe(true);
    const waiting = reader.runner.waitForPosition(head + 1n, 10_000);
    const waitingForOne = reader.runner.waitForPosition(head + 1n, 10_000, 'stream-counts');
    const leaderWaiting = runner.waitForPosition(head + 1n, 10_000);
    await appendSynthetic(f.store, 50, 1);
    expect(await leaderWaiting).toBe(true);
    expect(await waiting).toBe(true);
    expect(await waitingForOne).toBe(true);
    expect(await reader.runner.waitForPosition(FAR_FUTURE, 50)).toBe(false);
    expect((await reader.runner.status()).state).toBe('stopped');
  });

  it('stores positions above 2^53 exactly', async () => {
    const start = (1n << 53n) + 7n;
    const f = await fixture('big', { sqliteStore: true, initialPosition: start });
    await appendSynthetic(f.store, 0, 120);
    const { runner, dataSource } = await f.runner([syntheticProjection()]);
    await runner.start();
    const head = await f.store.headPosition();
    expect(head).toBe(start + 119n);
    expect(await runner.waitForPosition(head, CATCH_UP_MS)).toBe(true);
    const status = await runner.status();
    expect(status.checkpoint).toBe(head);
    const rows: { position: string }[] = await dataSource.query(
      `SELECT CAST(position AS TEXT) AS position FROM ${kind === 'postgres' ? `"${(f.config as { schema: string }).schema}".` : ''}projection_checkpoint`,
    );
    expect(rows).toEqual([{ position: head.toString() }]);
    const actual = await f.actual(runner);
    expect(withoutCounts(actual)).toEqual(withoutCounts(await f.expected()));
    expect(actual.streamStats.some((row) => row.lastPosition > start)).toBe(true);

    // And a stopped runner reads it back exactly from the table.
    const other = await f.runner([syntheticProjection()]);
    expect((await other.runner.status()).checkpoint).toBe(head);
  });

  it('rejects a commit under a stale fencing token without writing anything', async () => {
    const f = await fixture('stale');
    await appendSynthetic(f.store, 0, 10);
    const { runner } = await f.runner([syntheticProjection()], { owner: 'runner-a' });
    await runner.start();
    expect(await runner.waitForPosition(await f.store.headPosition(), CATCH_UP_MS)).toBe(true);
    const { createReadModelBackend } = await import('../src/database/create-backend');
    const backend = createReadModelBackend(await f.open());
    await expect(
      backend.commit({
        fence: { lease: 'projections', owner: 'runner-a', token: 999n, renewTo: Date.now() + 1000 },
        changes: [],
        checkpoints: new Map([['synthetic', 1n << 62n]]),
      }),
    ).rejects.toBeInstanceOf(LeaseLost);
    expect((await runner.status()).checkpoint).toBe(await f.store.headPosition());
  });
}
