import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  HW08_CODE,
  Keys,
  PARTIES,
  PLATE,
  requireStore,
  seedWorld,
  send,
  skippedPostgres,
  storesFor,
  type World,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const SUITE = 'rules: the alert lifecycle, open → acknowledged → closed (issue 16 item 7)';

/** 10:00 CST on Tuesday 10 March 2026: a pickup of Monday 2 March is overdue from 00:00 today. */
const OVERDUE_NOW = '2026-03-10T02:00:00Z';

describe.each(storesFor(SUITE))(`${SUITE} (%s)`, (kind) => {
  let t: TestApp;
  let world: World;
  const clock = new ManualClock(new Date(CLOCK_START));
  const keys = new Keys(`alert-lifecycle-${kind}`);
  const path = (alertId: string, step = '') => `/v1/alerts/${encodeURIComponent(alertId)}${step}`;

  const get = async (url: string, token: string | undefined) => {
    const response = await t.http.get(url).set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** A hazardous batch shipped on a manifest picked up at 10:01 on Monday 2 March and never received. */
  async function overdueManifest(): Promise<{ manifestNo: string; alertId: string }> {
    clock.set(CLOCK_START);
    const generator = world.tokens.generator as string;
    const traceCode = (
      await expect201(
        send(
          t,
          '/v1/batches',
          generator,
          { category: 'hazardous', wasteCode: HW08_CODE, massKg: 2, occurredAt: AT.generated },
          keys.next(),
        ),
      )
    ).body.traceCode;
    const manifestNo = (
      await expect201(
        send(
          t,
          '/v1/manifests',
          generator,
          {
            lines: [{ traceCode }],
            carrierUscc: PARTIES.carrier.uscc,
            receiverUscc: PARTIES.receiver.uscc,
            plannedAt: AT.planned,
          },
          keys.next(),
        ),
      )
    ).body.manifestNo;
    const pickup = await expect201(
      send(
        t,
        `/v1/manifests/${manifestNo}/pickup`,
        world.tokens.carrier,
        { vehiclePlate: PLATE, occurredAt: AT.pickedUp },
        keys.next(),
      ),
    );
    clock.set(OVERDUE_NOW);
    const { alerts } = await get(
      `/v1/alerts?kind=overdue_manifest&minPosition=${pickup.headers['x-ledger-position']}`,
      world.tokens.regulator,
    );
    const alert = alerts.find(
      (a: { subject: { manifestNo?: string } }) => a.subject.manifestNo === manifestNo,
    );
    expect(alert).toMatchObject({
      kind: 'overdue_manifest',
      status: 'open',
      state: 'open',
      acknowledged: null,
    });
    return { manifestNo, alertId: alert.id };
  }

  const idsByState = async (state: string, token = world.tokens.regulator, minPosition = '0') =>
    (
      await get(`/v1/alerts?kind=overdue_manifest&state=${state}&minPosition=${minPosition}`, token)
    ).alerts.map((a: { id: string }) => a.id);

  beforeAll(async () => {
    await requireStore(kind, SUITE);
    t = await startTestApp(kind, { suiteFile: __filename, clock });
    world = await seedWorld(t, new Keys(`alert-lifecycle-seed-${kind}`));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('given an overdue manifest, when its carrier acknowledges with a note and a Hangzhou regulator closes it with a finding, then each step is an event with its actor, the state filters follow, and the history is in the alert and the audit trail', async () => {
    const { alertId } = await overdueManifest();
    expect(await idsByState('open')).toContain(alertId);

    const note = '车辆途中故障，已安排备用车辆';
    const acknowledged = await expect201(
      send(t, path(alertId, '/acknowledge'), world.tokens.carrier, { note }, keys.next()),
    );
    expect(acknowledged.body).toMatchObject({
      alertId,
      state: 'acknowledged',
      acknowledgedBy: PARTIES.carrier.uscc,
      role: 'carrier',
      stream: `alert-${alertId}`,
      revision: '0',
    });
    const afterAck = acknowledged.headers['x-ledger-position'];
    expect(await idsByState('acknowledged', world.tokens.regulator, afterAck)).toContain(alertId);
    expect(await idsByState('open')).not.toContain(alertId);
    // the parties see it too, in the state it is in
    expect(await idsByState('acknowledged', world.tokens.generator)).toContain(alertId);

    const finding = '经核实系车辆故障，已责令承运单位整改';
    const closed = await expect201(
      send(t, path(alertId, '/close'), world.tokens.regulator, { finding }, keys.next()),
    );
    expect(closed.body).toMatchObject({
      alertId,
      state: 'closed',
      closedFrom: 'acknowledged',
      revision: '1',
    });
    const afterClose = closed.headers['x-ledger-position'];
    expect(await idsByState('closed', world.tokens.regulator, afterClose)).toContain(alertId);
    expect(await idsByState('acknowledged')).not.toContain(alertId);
    expect(await idsByState('open')).not.toContain(alertId);

    const one = await get(`${path(alertId)}?minPosition=${afterClose}`, world.tokens.receiver);
    expect(one).toMatchObject({
      id: alertId,
      state: 'closed',
      status: 'open',
      acknowledged: { by: PARTIES.carrier.uscc, role: 'carrier', note },
      closed: { finding, closedFrom: 'acknowledged', by: { districts: ['3301'], categories: ['hazardous'] } },
    });
    expect(one.history.map((s: { step: string; position: string }) => [s.step, s.position])).toEqual([
      ['acknowledged', afterAck],
      ['closed', afterClose],
    ]);

    const audit = await get(
      `/v1/audit/streams/${encodeURIComponent(`alert-${alertId}`)}`,
      world.tokens.auditor,
    );
    expect(audit.events.map((e: { type: string }) => e.type)).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(audit.events[0]).toMatchObject({
      data: {
        alertId,
        actorUscc: PARTIES.carrier.uscc,
        role: 'carrier',
        note,
        alert: { kind: 'overdue_manifest' },
      },
      metadata: { actor: `party:${PARTIES.carrier.uscc}` },
      stateAfter: { status: 'acknowledged' },
    });
    expect(audit.events[1]).toMatchObject({
      data: { finding, closedFrom: 'acknowledged', regulator: { districts: ['3301'] } },
      metadata: { actor: expect.stringMatching(/^regulator:/) },
      stateAfter: { status: 'closed' },
    });
    expect(audit.integrity).toMatchObject({ verified: true, eventsChecked: 2, firstBreak: null });

    // the feed (and so the webhooks) serves the steps to those who read the alert, scoped by the facts they carry
    const feedOf = async (token: string | undefined) =>
      (await get(`/v1/feed?after=0&limit=500&types=AlertAcknowledged,AlertClosed`, token)).events
        .filter((e: { stream: string }) => e.stream === `alert-${alertId}`)
        .map((e: { type: string }) => e.type);
    expect(await feedOf(world.tokens.receiver)).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(await feedOf(world.tokens.regulator)).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(await feedOf(world.tokens.otherGenerator)).toEqual([]);
    expect(await feedOf(world.tokens.outsideRegulator)).toEqual([]);
  });

  it('given an overdue manifest nobody acknowledged, then a regulator in scope may close it straight from open', async () => {
    const { alertId } = await overdueManifest();
    const closed = await expect201(
      send(
        t,
        path(alertId, '/close'),
        world.tokens.regulator,
        { finding: '现场核查：已送达未登记' },
        keys.next(),
      ),
    );
    expect(closed.body).toMatchObject({ state: 'closed', closedFrom: 'open', revision: '0' });
  });

  it('refuses a party not concerned, a regulator out of scope, an unknown alert, a second acknowledgement and a second closure with problem documents naming the rule, appending nothing', async () => {
    const { alertId } = await overdueManifest();
    const refused = async (
      url: string,
      token: string | undefined,
      body: Record<string, unknown>,
      status: number,
      rule: string,
      fields?: string[],
    ) => {
      const before = await t.headPosition();
      const problem = expectProblem(await send(t, url, token, body, keys.next()), status, { rule, fields });
      await expectHeadUnchanged(t, before, `${url} (${rule})`);
      return problem;
    };
    const note = { note: '与我无关' };
    const finding = { finding: '越权关闭' };

    const stranger = await refused(
      path(alertId, '/acknowledge'),
      world.tokens.otherGenerator,
      note,
      403,
      'alert-not-concerning-party',
    );
    const unknownToParty = await refused(
      path('overdue_manifest:20263301999999', '/acknowledge'),
      world.tokens.otherGenerator,
      note,
      403,
      'alert-not-concerning-party',
    );
    // "not yours" and "no such alert" read the same to a party
    expect((unknownToParty.detail as string).replace('20263301999999', 'X')).toBe(
      (stranger.detail as string).replace(alertId.split(':')[1], 'X'),
    );
    await refused(path(alertId, '/acknowledge'), world.tokens.regulator, note, 403, 'forbidden');
    await refused(path(alertId, '/close'), world.tokens.carrier, finding, 403, 'forbidden');

    const outside = await refused(
      path(alertId, '/close'),
      world.tokens.outsideRegulator,
      finding,
      403,
      'alert-outside-jurisdiction',
    );
    const unknownToRegulator = await refused(
      path('overdue_manifest:20263301999999', '/close'),
      world.tokens.outsideRegulator,
      finding,
      403,
      'alert-outside-jurisdiction',
    );
    expect(Object.keys(unknownToRegulator)).toEqual(Object.keys(outside));

    await refused(
      path(alertId, '/acknowledge'),
      world.tokens.carrier,
      { note: '  ' },
      400,
      'invalid-request',
      ['note'],
    );
    await refused(path(alertId, '/close'), world.tokens.regulator, {}, 400, 'invalid-request', ['finding']);
    await refused(
      path('no colon', '/acknowledge'),
      world.tokens.carrier,
      { note: 'x' },
      400,
      'invalid-alert-id',
    );

    await expect201(
      send(t, path(alertId, '/acknowledge'), world.tokens.receiver, { note: '尚未到货' }, keys.next()),
    );
    await refused(
      path(alertId, '/acknowledge'),
      world.tokens.carrier,
      { note: '再次确认' },
      409,
      'alert-already-acknowledged',
    );
    await expect201(
      send(t, path(alertId, '/close'), world.tokens.regulator, { finding: '已处理' }, keys.next()),
    );
    await refused(
      path(alertId, '/close'),
      world.tokens.regulator,
      { finding: '再次关闭' },
      409,
      'alert-already-closed',
    );
    await refused(
      path(alertId, '/acknowledge'),
      world.tokens.generator,
      { note: '补充说明' },
      409,
      'alert-already-closed',
    );

    // the alert of a manifest not overdue yet is not raised: refused as unknown
    clock.set(CLOCK_START);
    await refused(
      path(alertId, '/close'),
      world.tokens.regulator,
      { finding: '提前关闭' },
      403,
      'alert-outside-jurisdiction',
    );
  });

  it('replays an acknowledgement under the same Idempotency-Key, and answers an unknown alert by id as not readable', async () => {
    const { alertId } = await overdueManifest();
    const key = keys.next();
    const first = await expect201(
      send(t, path(alertId, '/acknowledge'), world.tokens.generator, { note: '已联系' }, key),
    );
    const before = await t.headPosition();
    const again = await send(
      t,
      path(alertId, '/acknowledge'),
      world.tokens.generator,
      { note: '已联系' },
      key,
    );
    expect(again.status).toBe(201);
    expect(again.body.eventIds).toEqual(first.body.eventIds);
    await expectHeadUnchanged(t, before, 'replay');

    const unknown = await t.http
      .get(path('overdue_manifest:20263301999999'))
      .set('Authorization', `Bearer ${world.tokens.regulator}`);
    expectProblem(unknown, 403);
    const toAuditor = await t.http
      .get(path('overdue_manifest:20263301999999'))
      .set('Authorization', `Bearer ${world.tokens.auditor}`);
    expectProblem(toAuditor, 404, { rule: 'alert-not-found' });
    const outside = await t.http
      .get(path(alertId))
      .set('Authorization', `Bearer ${world.tokens.outsideRegulator}`);
    expectProblem(outside, 403);
  });
});

skippedPostgres(SUITE);
