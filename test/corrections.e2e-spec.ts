import { composeTraceCode } from '@wasteflow/domain';
import { ManualClock } from '@wasteflow/event-store';
import {
  AT,
  CLOCK_START,
  correctionBody,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  Keys,
  PARTIES,
  send,
  sendCommands,
  streamEvents,
  type PrincipalName,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';

const SUITE = 'two-party mass corrections (issue 10 row 4, ADR 0018)';

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'corrections', {
    clock: new ManualClock(new Date(CLOCK_START)),
  });
  const keys = new Keys(`corrections-${kind}`);
  const tok = (name: PrincipalName) => app.world.tokens[name] as string;

  const requestCorrection = (
    code: string,
    token: string,
    body: Record<string, unknown> = correctionBody(-1),
  ) => send(app.t, `/v1/batches/${code}/correction-requests`, token, body, keys.next('request'));
  const decide = (
    code: string,
    requestId: string,
    how: 'approve' | 'reject',
    token: string,
    body: Record<string, unknown> = how === 'reject' ? { reason: '无复磅凭证' } : {},
    key = keys.next(how),
  ) => send(app.t, `/v1/batches/${code}/correction-requests/${requestId}/${how}`, token, body, key);
  const get = async (path: string, token: string, position?: string) => {
    const sep = path.includes('?') ? '&' : '?';
    return app.t.http
      .get(position ? `${path}${sep}minPosition=${position}` : path)
      .set('Authorization', `Bearer ${token}`);
  };
  const generatedKg = async (position: string): Promise<number> => {
    const response = await get(
      '/v1/indicators?region=330106&category=hazardous&from=2026-03&to=2026-03',
      tok('regulator'),
      position,
    );
    expect(response.status).toBe(200);
    return response.body.generatedKg as number;
  };
  const types = async (code: string) => (await streamEvents(app.t, `batch-${code}`)).map((e) => e.type);

  it('the receiver asks, the shipper of the manifest approves: the mass changes only then, and the indicators follow', async () => {
    const code = await app.build.atReceiver(10);
    const before = await generatedKg(String(await app.t.headPosition()));
    const asked = await expect201(
      requestCorrection(code, tok('receiver'), { ...correctionBody(-2.5), occurredAt: AT.treated }),
    );
    expect(asked.body).toMatchObject({
      traceCode: code,
      requestId: 'cr-1',
      status: 'pending',
      deltaKg: -2.5,
      heldKg: 10,
    });
    const pending = await get(`/v1/batches/${code}`, tok('receiver'), asked.headers['x-ledger-position']);
    expect(pending.body.heldKg).toBe(10);
    expect(pending.body.corrections).toEqual([
      expect.objectContaining({
        requestId: 'cr-1',
        status: 'pending',
        requestedBy: PARTIES.receiver.uscc,
        deltaKg: -2.5,
      }),
    ]);
    expect(await generatedKg(asked.headers['x-ledger-position'])).toBe(before);

    const approved = await expect201(
      decide(code, 'cr-1', 'approve', tok('generator'), { note: '已核对地磅单' }),
    );
    expect(approved.body).toMatchObject({
      requestId: 'cr-1',
      status: 'approved',
      deltaKg: -2.5,
      massKgAfter: 7.5,
    });
    const position = approved.headers['x-ledger-position'];
    const trace = await get(`/v1/batches/${code}`, tok('generator'), position);
    expect(trace.body.heldKg).toBe(7.5);
    const corrected = trace.body.steps.find((s: { type: string }) => s.type === 'MassCorrected');
    expect(corrected).toMatchObject({
      massKg: -2.5,
      requestId: 'cr-1',
      decidedBy: { kind: 'party', uscc: PARTIES.generator.uscc },
    });
    expect(await generatedKg(position)).toBe(before - 2.5);
    const listed = await get(`/v1/batches/${code}/correction-requests`, tok('regulator'), position);
    expect(listed.status).toBe(200);
    expect(listed.body.requests).toEqual([
      expect.objectContaining({
        requestId: 'cr-1',
        status: 'approved',
        decidedBy: { kind: 'party', uscc: PARTIES.generator.uscc },
        decisionReason: '已核对地磅单',
      }),
    ]);
    expect(await types(code)).toEqual(
      expect.arrayContaining(['MassCorrectionRequested', 'MassCorrectionApproved', 'MassCorrected']),
    );
    const stored = (await streamEvents(app.t, `batch-${code}`)).find((e) => e.type === 'MassCorrected');
    expect(stored?.schemaVersion).toBe(2);
  });

  it('never the requester: self-approval and self-rejection are refused, nothing appended', async () => {
    const code = await app.build.generate(10);
    await expect201(requestCorrection(code, tok('generator'), correctionBody(1_000_000)));
    const head = await app.t.headPosition();
    expectProblem(await decide(code, 'cr-1', 'approve', tok('generator')), 403, {
      rule: 'correction-self-approval',
    });
    expectProblem(await decide(code, 'cr-1', 'reject', tok('generator')), 403, {
      rule: 'correction-self-approval',
    });
    await expectHeadUnchanged(app.t, head, 'self-approval');
  });

  it('no free-text approvals: an approvals list, an approver named in the body (the own USCC in lower case too) are 400, nothing appended', async () => {
    const code = await app.build.generate(10);
    const head = await app.t.headPosition();
    const lower = PARTIES.generator.uscc.toLowerCase();
    expectProblem(
      await requestCorrection(code, tok('generator'), {
        ...correctionBody(1_000_000),
        approvals: [{ approverId: 'nobody-at-all', role: 'regulator', approvedAt: '2099-01-01T00:00:00Z' }],
      }),
      400,
      { fields: ['approvals'] },
    );
    expectProblem(
      await requestCorrection(code, tok('generator'), {
        ...correctionBody(1),
        approvals: [{ approverId: lower, role: 'generator', approvedAt: AT.approved }],
      }),
      400,
      { fields: ['approvals'] },
    );
    await expectHeadUnchanged(app.t, head, 'free-text approvals');
    await expect201(requestCorrection(code, tok('generator')));
    const asked = await app.t.headPosition();
    expectProblem(await decide(code, 'cr-1', 'approve', tok('generator'), { approverId: lower }), 400, {
      fields: ['approverId'],
    });
    expectProblem(await decide(code, 'cr-1', 'approve', tok('generator'), { note: 'ok' }), 403, {
      rule: 'correction-self-approval',
    });
    await expectHeadUnchanged(app.t, asked, 'approver in the body');
    // the old route is gone: no way left to write a correction with approvals
    expectProblem(
      await send(app.t, `/v1/batches/${code}/corrections`, tok('generator'), correctionBody(1), keys.next()),
      404,
      { rule: 'route-not-found' },
    );
    await expectHeadUnchanged(app.t, asked, 'old route');
  });

  it('without standing, one answer: a stranger party, the carrier, a regulator out of scope — for an existing request, an unknown one and an unknown batch', async () => {
    const code = await app.build.atReceiver(10);
    await expect201(
      requestCorrection(code, tok('receiver'), { ...correctionBody(-1), occurredAt: AT.treated }),
    );
    const unknownBatch = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '260302',
      randomPart: 'ZZZZ9999',
    });
    const head = await app.t.headPosition();
    for (const who of ['otherGenerator', 'carrier', 'otherReceiver', 'outsideRegulator'] as const) {
      const answers = [
        await decide(code, 'cr-1', 'approve', tok(who)),
        await decide(code, 'cr-1', 'reject', tok(who)),
        await decide(code, 'cr-9', 'approve', tok(who)),
      ];
      for (const a of answers) expectProblem(a, 403, { rule: 'no-standing-for-correction' });
      // a batch that does not exist: the same answer, naming nothing else
      const other = expectProblem(await decide(unknownBatch, 'cr-1', 'approve', tok(who)), 403, {
        rule: 'no-standing-for-correction',
      });
      expect(Object.keys(other).sort()).toEqual(Object.keys(answers[0].body).sort());
      expect(JSON.stringify(other)).not.toContain(PARTIES.otherGenerator.uscc);
    }
    await expectHeadUnchanged(app.t, head, 'no standing');
    // admin and auditor tokens may not decide at all
    expectProblem(await decide(code, 'cr-1', 'approve', app.t.adminToken), 403);
    expectProblem(await decide(code, 'cr-1', 'approve', tok('auditor')), 403);
    // a reader out of scope cannot list the requests either
    expectProblem(await get(`/v1/batches/${code}/correction-requests`, tok('otherGenerator')), 403);
    await expectHeadUnchanged(app.t, head, 'other tokens');
  });

  it("a regulator in scope approves a generator's own batch; a rejection leaves the mass unchanged", async () => {
    const code = await app.build.generate(10);
    await expect201(requestCorrection(code, tok('generator'), correctionBody(-4)));
    const rejected = await expect201(decide(code, 'cr-1', 'reject', tok('regulator')));
    expect(rejected.body).toMatchObject({ requestId: 'cr-1', status: 'rejected' });
    const after = await get(`/v1/batches/${code}`, tok('generator'), rejected.headers['x-ledger-position']);
    expect(after.body.heldKg).toBe(10);
    expect(after.body.corrections).toEqual([
      expect.objectContaining({ status: 'rejected', decisionReason: '无复磅凭证' }),
    ]);
    expect(await types(code)).not.toContain('MassCorrected');
    // decided once; the next request is cr-2, and the regulator approves it
    expectProblem(await decide(code, 'cr-1', 'approve', tok('regulator')), 409, {
      rule: 'correction-already-decided',
    });
    const second = await expect201(requestCorrection(code, tok('generator'), correctionBody(2)));
    expect(second.body.requestId).toBe('cr-2');
    expectProblem(await requestCorrection(code, tok('generator')), 409, {
      rule: 'correction-request-pending',
    });
    const approved = await expect201(decide(code, 'cr-2', 'approve', tok('regulator')));
    expect(approved.body.massKgAfter).toBe(12);
  });

  it('a correction that would take the batch below zero is refused (422), at the request and at the approval', async () => {
    const code = await app.build.generate(10);
    const head = await app.t.headPosition();
    expectProblem(await requestCorrection(code, tok('generator'), correctionBody(-10.001)), 422, {
      rule: 'mass-not-conserved',
    });
    await expectHeadUnchanged(app.t, head, 'below zero');
    await expect201(requestCorrection(code, tok('generator'), correctionBody(-8)));
    await expect201(
      send(
        app.t,
        `/v1/batches/${code}/split`,
        tok('generator'),
        { partsKg: [5], occurredAt: AT.corrected },
        keys.next(),
      ),
    );
    const split = await app.t.headPosition();
    expectProblem(await decide(code, 'cr-1', 'approve', tok('regulator')), 422, {
      rule: 'mass-not-conserved',
    });
    await expectHeadUnchanged(app.t, split, 'below zero at approval');
  });

  it('a retried approval is applied once: the same key replays the answer, another key is 409', async () => {
    const code = await app.build.generate(10);
    await expect201(requestCorrection(code, tok('generator'), correctionBody(-1)));
    const key = keys.next('retry');
    const first = await expect201(decide(code, 'cr-1', 'approve', tok('regulator'), {}, key));
    const head = await app.t.headPosition();
    const again = await expect201(decide(code, 'cr-1', 'approve', tok('regulator'), {}, key));
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expectProblem(await decide(code, 'cr-1', 'approve', tok('regulator'), {}), 409, {
      rule: 'correction-already-decided',
    });
    await expectHeadUnchanged(app.t, head, 'retried approval');
    expect((await types(code)).filter((type) => type === 'MassCorrected')).toHaveLength(1);
  });

  it('in bulk (POST /v1/commands): request, then approve, each with its own key', async () => {
    const code = await app.build.generate(10);
    const asked = await sendCommands(app.t, tok('generator'), [
      {
        type: 'request-mass-correction',
        idempotencyKey: keys.next('bulk'),
        body: { ...correctionBody(-3), traceCode: code },
      },
    ]);
    expect(asked.status).toBe(200);
    expect(asked.body.results[0]).toMatchObject({ status: 201, body: { requestId: 'cr-1' } });
    const approved = await sendCommands(app.t, tok('regulator'), [
      {
        type: 'approve-mass-correction',
        idempotencyKey: keys.next('bulk'),
        body: { traceCode: code, requestId: 'cr-1' },
      },
      {
        type: 'approve-mass-correction',
        idempotencyKey: keys.next('bulk'),
        body: { traceCode: code, requestId: 'cr-1', approvals: [] },
      },
    ]);
    expect(approved.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400]);
    expect(approved.body.results[0].body).toMatchObject({ massKgAfter: 7 });
  });
});
