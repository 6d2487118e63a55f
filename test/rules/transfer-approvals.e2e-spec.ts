import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  issueToken,
  Keys,
  PARTIES,
  RECEIVER_PERMIT,
  registerExtraParty,
  send,
} from '../support/fixtures';
import { extraReceiver } from '../support/extra-fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: cross-province transfer approvals 跨省转移审批 (issue 16 item 4)';

/** A receiver in Kunshan, Jiangsu (province 32): the Hangzhou generator (33) ships to it across the border. */
const JIANGSU = extraReceiver('320583', 41, '昆山危险废物处置有限公司');
const APPROVAL_NO = '浙环危转〔2026〕12号';
const EXPIRED_NO = '浙环危转〔2026〕3号';
const APPROVAL = {
  approvalNo: APPROVAL_NO,
  shipperUscc: PARTIES.generator.uscc,
  receiverUscc: JIANGSU.uscc,
  wasteCodes: ['900-249-08'],
  approvedKg: 15,
  validFrom: '2026-03-01',
  validTo: '2027-02-28',
};

describeEachStore(SUITE, (kind) => {
  let receiver = '';
  let zhejiang = '';
  let jiangsu = '';
  const keys = new Keys(`transfer-${kind}`);
  const clock = new ManualClock(new Date(CLOCK_START));
  const app = seededApp(kind, SUITE, __filename, 'transfer', { clock });
  const path = (no: string) => `/v1/transfer-approvals/${encodeURIComponent(no)}`;

  const get = (url: string, token: string) => app.t.http.get(url).set('Authorization', `Bearer ${token}`);
  const grant = (body: Record<string, unknown>, token = zhejiang) =>
    send(app.t, '/v1/transfer-approvals', token, body, keys.next('grant'));
  const issue = (traceCode: string, extra: Record<string, unknown> = {}, receiverUscc = JIANGSU.uscc) =>
    send(
      app.t,
      '/v1/manifests',
      app.world.tokens.generator,
      { ...app.build.manifestBody([traceCode]), receiverUscc, ...extra },
      keys.next('manifest'),
    );
  const receive = (manifestNo: string, traceCode: string, receivedKg: number, acceptedKg = receivedKg) =>
    send(
      app.t,
      `/v1/manifests/${manifestNo}/receipt`,
      receiver,
      {
        occurredAt: AT.received,
        lines: [
          { traceCode, receivedKg, acceptedKg, ...(acceptedKg < receivedKg ? { reason: '超出审批量' } : {}) },
        ],
      },
      keys.next('receipt'),
    );

  /** A refused write: the problem document naming the rule, and nothing appended. */
  async function refused(pending: Promise<{ status: number }>, status: number, rule: string) {
    const before = await app.t.headPosition();
    const body = expectProblem((await pending) as never, status, { rule });
    await expectHeadUnchanged(app.t, before, rule);
    return body;
  }

  /** A manifest under the approval of a fresh batch of `massKg`, picked up: its number and line. */
  async function pickedUp(massKg: number) {
    const traceCode = await app.build.generate(massKg);
    const issued = await expect201(issue(traceCode, { transferApprovalNo: APPROVAL_NO }));
    expect(issued.body.transferApprovalNo).toBe(APPROVAL_NO);
    const manifestNo = issued.body.manifestNo as string;
    await app.build.pickUp(manifestNo);
    return { manifestNo, traceCode };
  }

  beforeAll(async () => {
    zhejiang = await issueToken(app.t, keys, {
      kind: 'regulator',
      districts: ['33'],
      categories: ['hazardous'],
    });
    jiangsu = await issueToken(app.t, keys, {
      kind: 'regulator',
      districts: ['32'],
      categories: ['hazardous'],
    });
    receiver = await registerExtraParty(app.t, keys, JIANGSU, {
      by: jiangsu,
      body: { ...RECEIVER_PERMIT, permitNo: '3205830041' },
    });
  });

  it('refuses a grant by a city regulator, beyond 12 months, or within one province, each naming its rule, nothing appended', async () => {
    await refused(
      grant(APPROVAL, app.world.tokens.regulator as string),
      403,
      'transfer-approval-outside-province',
    );
    await refused(grant(APPROVAL, jiangsu), 403, 'transfer-approval-outside-province');
    const long = await refused(
      grant({ ...APPROVAL, validTo: '2027-03-01' }),
      422,
      'transfer-approval-validity-exceeded',
    );
    expect(long).toMatchObject({ field: 'validTo', latestValidTo: '2027-02-28T23:59:59.999+08:00' });
    await refused(
      grant({ ...APPROVAL, receiverUscc: PARTIES.receiver.uscc }),
      422,
      'transfer-approval-same-province',
    );
    expectProblem(await grant({ ...APPROVAL, approvalNo: 'a/b' }), 400, { fields: ['approvalNo'] });
  });

  it('grants an approval (the Zhejiang regulator) and reads it back with its whole mass left', async () => {
    const granted = await expect201(grant(APPROVAL));
    expect(granted.body).toMatchObject({ ...APPROVAL, stream: `transfer-approval-${APPROVAL_NO}` });
    const position = granted.headers['x-ledger-position'];
    const read = await get(`${path(APPROVAL_NO)}?minPosition=${position}`, zhejiang);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ approvedKg: 15, drawnKg: 0, remainingKg: 15, draws: [] });
    await refused(grant(APPROVAL), 409, 'transfer-approval-already-granted');
    await expect201(
      grant({ ...APPROVAL, approvalNo: EXPIRED_NO, validFrom: '2026-01-01', validTo: '2026-02-28' }),
    );
  });

  it('refuses a hazardous manifest to Jiangsu without an approval, with an unknown, expired, not covering or too small one; a Hangzhou one needs none', async () => {
    const code = await app.build.generate(10);
    await refused(issue(code), 422, 'transfer-approval-required');
    await refused(
      issue(code, { transferApprovalNo: '浙环危转〔2026〕99号' }),
      422,
      'transfer-approval-unknown',
    );
    await refused(issue(code, { transferApprovalNo: EXPIRED_NO }), 422, 'transfer-approval-not-valid');
    const other = await app.build.generate(10, 'generator', '900-214-08');
    const notCovering = await refused(
      issue(other, { transferApprovalNo: APPROVAL_NO }),
      422,
      'transfer-approval-not-covering',
    );
    expect(notCovering).toMatchObject({ reason: 'wasteCode', value: '900-214-08' });
    const big = await app.build.generate(20);
    await refused(issue(big, { transferApprovalNo: APPROVAL_NO }), 422, 'transfer-approval-exceeded');
    // another shipper cannot use it: the same answer as a number that does not exist
    const others = await expect201(
      send(
        app.t,
        '/v1/batches',
        app.world.tokens.otherGenerator,
        { category: 'hazardous', wasteCode: '900-249-08', massKg: 1, occurredAt: AT.generated },
        keys.next('batch'),
      ),
    );
    await refused(
      send(
        app.t,
        '/v1/manifests',
        app.world.tokens.otherGenerator,
        {
          ...app.build.manifestBody([others.body.traceCode]),
          receiverUscc: JIANGSU.uscc,
          transferApprovalNo: APPROVAL_NO,
        },
        keys.next('manifest'),
      ),
      422,
      'transfer-approval-unknown',
    );
    await refused(
      issue(code, { transferApprovalNo: APPROVAL_NO }, PARTIES.receiver.uscc),
      422,
      'transfer-approval-not-applicable',
    );
    await expect201(issue(code, {}, PARTIES.receiver.uscc));
  });

  it('draws each receipt on the approval; a receipt beyond what is left is refused, nothing appended; the read shows what is left', async () => {
    // both issued while 15 kg are left
    const first = await pickedUp(10);
    const second = await pickedUp(10);
    await expect201(receive(first.manifestNo, first.traceCode, 10));
    const exceeded = await refused(
      receive(second.manifestNo, second.traceCode, 10),
      422,
      'transfer-approval-exceeded',
    );
    expect(exceeded).toMatchObject({ at: 'receipt', drawnKg: 10, requestedKg: 10, remainingKg: 5 });
    const partial = await expect201(receive(second.manifestNo, second.traceCode, 10, 5));
    const position = partial.headers['x-ledger-position'];
    const read = await get(`${path(APPROVAL_NO)}?minPosition=${position}`, receiver);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      approvalNo: APPROVAL_NO,
      approvedKg: 15,
      drawnKg: 15,
      remainingKg: 0,
      draws: [
        expect.objectContaining({ manifestNo: first.manifestNo, kg: 10 }),
        expect.objectContaining({ manifestNo: second.manifestNo, kg: 5 }),
      ],
    });
    expect(read.body).not.toHaveProperty('access');
    const manifest = await get(`/v1/manifests/${first.manifestNo}`, app.world.tokens.generator as string);
    expect(manifest.status).toBe(200);
  });

  it('reads are scoped: the shipper, the receiver and regulators of either province; to anyone else it is the same 403 as no such approval', async () => {
    for (const token of [
      app.world.tokens.generator,
      receiver,
      zhejiang,
      jiangsu,
      app.world.tokens.regulator,
    ]) {
      const read = await get(path(APPROVAL_NO), token as string);
      expect(read.status).toBe(200);
    }
    for (const token of [
      app.world.tokens.outsideRegulator,
      app.world.tokens.receiver,
      app.world.tokens.carrier,
    ]) {
      const hidden = expectProblem(await get(path(APPROVAL_NO), token as string), 403);
      const missing = expectProblem(await get(path('浙环危转〔2026〕99号'), token as string), 403);
      expect({ ...hidden, detail: undefined, instance: undefined }).toEqual({
        ...missing,
        detail: undefined,
        instance: undefined,
      });
    }
    expectProblem(await get(path('浙环危转〔2026〕99号'), app.world.tokens.auditor as string), 404, {
      rule: 'transfer-approval-not-found',
    });
    const listed = async (token: string) =>
      ((await get('/v1/transfer-approvals', token)).body.approvals as { approvalNo: string }[]).map(
        (a) => a.approvalNo,
      );
    expect(await listed(receiver)).toEqual([EXPIRED_NO, APPROVAL_NO]);
    expect(await listed(jiangsu)).toEqual([EXPIRED_NO, APPROVAL_NO]);
    expect(await listed(app.world.tokens.outsideRegulator as string)).toEqual([]);
    expect(await listed(app.world.tokens.receiver as string)).toEqual([]);
  });
});
