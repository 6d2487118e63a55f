import { ManualClock } from '@wasteflow/event-store';
import {
  CLOCK_START,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  getOk,
  Keys,
  PARTIES,
  send,
  type PrincipalName,
} from '../support/fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: the alert lifecycle, open → acknowledged → closed (issue 16 item 7)';

/** 10:00 CST on Tuesday 10 March 2026: a pickup of Monday 2 March is overdue from 00:00 today. */
const OVERDUE_NOW = '2026-03-10T02:00:00Z';

describeEachStore(SUITE, (kind) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  const keys = new Keys(`alert-lifecycle-${kind}`);
  const app = seededApp(kind, SUITE, __filename, 'alert-lifecycle', { clock });
  const path = (alertId: string, step = '') => `/v1/alerts/${encodeURIComponent(alertId)}${step}`;
  const get = (url: string, token: string | undefined) => getOk(app.t, url, token);
  /** `by` posts `body` to an alert's step (acknowledge or close). */
  const post = (
    alertId: string,
    step: '/acknowledge' | '/close',
    by: PrincipalName,
    body: Record<string, unknown>,
    key = keys.next(),
  ) => send(app.t, path(alertId, step), app.world.tokens[by], body, key);

  /** A hazardous batch shipped on a manifest picked up at 10:01 on Monday 2 March and never received. */
  async function overdueManifest(): Promise<{ manifestNo: string; alertId: string }> {
    clock.set(CLOCK_START);
    const manifestNo = await app.build.issue([await app.build.generate(2)]);
    const pickup = await app.build.pickUp(manifestNo);
    clock.set(OVERDUE_NOW);
    const { alerts } = await get(
      `/v1/alerts?kind=overdue_manifest&minPosition=${pickup.headers['x-ledger-position']}`,
      app.world.tokens.regulator,
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

  const idsByState = async (state: string, token = app.world.tokens.regulator, minPosition = '0') =>
    (
      await get(`/v1/alerts?kind=overdue_manifest&state=${state}&minPosition=${minPosition}`, token)
    ).alerts.map((a: { id: string }) => a.id);

  it('given an overdue manifest, when its carrier acknowledges with a note and a Hangzhou regulator closes it with a finding, then each step is an event with its actor, the state filters follow, and the history is in the alert and the audit trail', async () => {
    const { alertId } = await overdueManifest();
    expect(await idsByState('open')).toContain(alertId);

    const note = '车辆途中故障，已安排备用车辆';
    const acknowledged = await expect201(post(alertId, '/acknowledge', 'carrier', { note }));
    expect(acknowledged.body).toMatchObject({
      alertId,
      state: 'acknowledged',
      acknowledgedBy: PARTIES.carrier.uscc,
      role: 'carrier',
      stream: `alert-${alertId}`,
      revision: '0',
    });
    const afterAck = acknowledged.headers['x-ledger-position'];
    expect(await idsByState('acknowledged', app.world.tokens.regulator, afterAck)).toContain(alertId);
    expect(await idsByState('open')).not.toContain(alertId);
    // the parties see it too, in the state it is in
    expect(await idsByState('acknowledged', app.world.tokens.generator)).toContain(alertId);

    const finding = '经核实系车辆故障，已责令承运单位整改';
    const closed = await expect201(post(alertId, '/close', 'regulator', { finding }));
    expect(closed.body).toMatchObject({
      alertId,
      state: 'closed',
      closedFrom: 'acknowledged',
      revision: '1',
    });
    const afterClose = closed.headers['x-ledger-position'];
    expect(await idsByState('closed', app.world.tokens.regulator, afterClose)).toContain(alertId);
    expect(await idsByState('acknowledged')).not.toContain(alertId);
    expect(await idsByState('open')).not.toContain(alertId);

    const one = await get(`${path(alertId)}?minPosition=${afterClose}`, app.world.tokens.receiver);
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
      app.world.tokens.auditor,
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
    expect(await feedOf(app.world.tokens.receiver)).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(await feedOf(app.world.tokens.regulator)).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(await feedOf(app.world.tokens.otherGenerator)).toEqual([]);
    expect(await feedOf(app.world.tokens.outsideRegulator)).toEqual([]);
  });

  it('given an overdue manifest nobody acknowledged, then a regulator in scope may close it straight from open', async () => {
    const { alertId } = await overdueManifest();
    const closed = await expect201(
      post(alertId, '/close', 'regulator', { finding: '现场核查：已送达未登记' }),
    );
    expect(closed.body).toMatchObject({ state: 'closed', closedFrom: 'open', revision: '0' });
  });

  it('refuses a party not concerned, a regulator out of scope, an unknown alert, a second acknowledgement and a second closure with problem documents naming the rule, appending nothing', async () => {
    const { alertId } = await overdueManifest();
    const unknown = 'overdue_manifest:20263301999999';
    /** `by` posts `body` to the alert's `step`: refused with `status` and `rule`, nothing appended. */
    const refused = async (
      alert: string,
      step: '/acknowledge' | '/close',
      by: PrincipalName,
      body: Record<string, unknown>,
      status: number,
      rule: string,
      fields?: string[],
    ) => {
      const before = await app.t.headPosition();
      const problem = expectProblem(await post(alert, step, by, body), status, { rule, fields });
      await expectHeadUnchanged(app.t, before, `${path(alert, step)} (${rule})`);
      return problem;
    };
    const note = { note: '与我无关' };
    const finding = { finding: '越权关闭' };

    const notConcerned = 'alert-not-concerning-party';
    const outOfScope = 'alert-outside-jurisdiction';
    const stranger = await refused(alertId, '/acknowledge', 'otherGenerator', note, 403, notConcerned);
    const unknownToParty = await refused(unknown, '/acknowledge', 'otherGenerator', note, 403, notConcerned);
    // "not yours" and "no such alert" read the same to a party
    expect((unknownToParty.detail as string).replace('20263301999999', 'X')).toBe(
      (stranger.detail as string).replace(alertId.split(':')[1], 'X'),
    );
    await refused(alertId, '/acknowledge', 'regulator', note, 403, 'forbidden');
    await refused(alertId, '/close', 'carrier', finding, 403, 'forbidden');

    const outside = await refused(alertId, '/close', 'outsideRegulator', finding, 403, outOfScope);
    const unknownToRegulator = await refused(unknown, '/close', 'outsideRegulator', finding, 403, outOfScope);
    expect(Object.keys(unknownToRegulator)).toEqual(Object.keys(outside));

    await refused(alertId, '/acknowledge', 'carrier', { note: '  ' }, 400, 'invalid-request', ['note']);
    await refused(alertId, '/close', 'regulator', {}, 400, 'invalid-request', ['finding']);
    await refused('no colon', '/acknowledge', 'carrier', { note: 'x' }, 400, 'invalid-alert-id');

    await expect201(post(alertId, '/acknowledge', 'receiver', { note: '尚未到货' }));
    const again = { note: '再次确认' };
    await refused(alertId, '/acknowledge', 'carrier', again, 409, 'alert-already-acknowledged');
    await expect201(post(alertId, '/close', 'regulator', { finding: '已处理' }));
    await refused(alertId, '/close', 'regulator', { finding: '再次关闭' }, 409, 'alert-already-closed');
    await refused(alertId, '/acknowledge', 'generator', { note: '补充说明' }, 409, 'alert-already-closed');

    // the alert of a manifest not overdue yet is not raised: refused as unknown
    clock.set(CLOCK_START);
    await refused(alertId, '/close', 'regulator', { finding: '提前关闭' }, 403, outOfScope);
  });

  it('replays an acknowledgement under the same Idempotency-Key, and answers an unknown alert by id as not readable', async () => {
    const { alertId } = await overdueManifest();
    const key = keys.next();
    const first = await expect201(post(alertId, '/acknowledge', 'generator', { note: '已联系' }, key));
    const before = await app.t.headPosition();
    const again = await post(alertId, '/acknowledge', 'generator', { note: '已联系' }, key);
    expect(again.status).toBe(201);
    expect(again.body.eventIds).toEqual(first.body.eventIds);
    await expectHeadUnchanged(app.t, before, 'replay');

    const read = (id: string, by: PrincipalName) =>
      app.t.http.get(path(id)).set('Authorization', `Bearer ${app.world.tokens[by]}`);
    const unknown = 'overdue_manifest:20263301999999';
    expectProblem(await read(unknown, 'regulator'), 403);
    expectProblem(await read(unknown, 'auditor'), 404, { rule: 'alert-not-found' });
    expectProblem(await read(alertId, 'outsideRegulator'), 403);
  });
});
