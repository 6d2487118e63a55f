import { AT, describeEachStore, expect201, HW08_CODE, Keys, send } from './support/fixtures';
import { projectorSuite } from './support/projector-suite';

const SUITE = 'apps/projector beside an api with WASTEFLOW_PROJECTIONS=off';

describeEachStore(SUITE, (kind) => {
  const { app, start } = projectorSuite(kind, SUITE, __filename, 'projector');
  const keys = new Keys(`projector-${kind}`);

  const generate = async (massKg: number) => {
    const response = await expect201(
      send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        { category: 'hazardous', wasteCode: HW08_CODE, massKg, occurredAt: AT.generated },
        keys.next('generate'),
      ),
    );
    return { traceCode: response.body.traceCode as string, position: response.body.position as string };
  };
  const trace = (traceCode: string, minPosition: string) =>
    app.t.http
      .get(`/v1/batches/${traceCode}?minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`);

  it('leaves the read models to the projector: one leads, a second stands by, takes over on SIGTERM, reads wait for it', async () => {
    const first = await generate(1);
    // the api projects nothing: its /health shows the lag
    const before = (await app.t.http.get('/health').expect(200)).body;
    expect(before.projections).toMatchObject({ state: 'stopped', leader: false, checkpoint: '0' });
    expect(before.projections.eventsBehind).toBeGreaterThan(0);

    // two projectors start together (swc compiles each for a few seconds): one takes the lease, one stands by
    const [p1, p2] = [await start(), await start()];
    const roles = async () => {
      const [h1, h2] = await Promise.all([p1.health(), p2.health()]);
      if (h1?.body.leader === true && h2?.body.state === 'standby') return { a: p1, b: p2 };
      if (h2?.body.leader === true && h1?.body.state === 'standby') return { a: p2, b: p1 };
      return undefined;
    };
    const deadline = Date.now() + 60_000;
    let pair = await roles();
    while (!pair) {
      if (Date.now() > deadline)
        throw new Error(`no leader and standby:\n${p1.output.join('')}\n${p2.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      pair = await roles();
    }
    const { a, b } = pair;
    const leading = await a.until((h) => h.leader === true && h.lag === '0', 'leading and caught up');
    expect(leading).toMatchObject({ status: 'ok', state: 'running' });
    expect((await trace(first.traceCode, first.position).expect(200)).body).toMatchObject({
      traceCode: first.traceCode,
      heldKg: 1,
    });
    const metrics = await a.metrics();
    expect(metrics).toMatch(/wasteflow_projection_lag\{projection="trace"\} 0/);
    expect(metrics).toMatch(/wasteflow_projection_leader 1/);
    const standby = await b.health();
    expect(standby).toMatchObject({
      status: 200,
      body: { status: 'standby', state: 'standby', leader: false },
    });
    expect(await b.metrics()).toMatch(/wasteflow_projection_leader 0/);

    const second = await generate(2);
    expect((await trace(second.traceCode, second.position).expect(200)).body.heldKg).toBe(2);

    // graceful stop: the batch in flight commits, the lease goes back, the standby takes over
    expect(await a.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(a.output.join('')).toContain('SIGTERM: stopping');
    await b.until((h) => h.leader === true, 'taking over', 20_000);
    const third = await generate(3);
    expect((await trace(third.traceCode, third.position).expect(200)).body.heldKg).toBe(3);

    // the api's own view of the lag and its metrics come from the checkpoints the projector commits
    const after = (await app.t.http.get('/health').expect(200)).body;
    expect(after).toMatchObject({
      status: 'ok',
      projections: { state: 'stopped', leader: false, lag: '0', eventsBehind: 0 },
    });
    expect(after.projections.checkpoint).toBe(third.position);
    expect(
      (await app.t.http.get('/metrics').set('Authorization', `Bearer ${app.t.adminToken}`).expect(200)).text,
    ).toMatch(/wasteflow_projection_lag\{projection="trace"\} 0/);
    expect(await b.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 120_000);
});
