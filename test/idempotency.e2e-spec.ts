import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { batchStream, manifestStream, partyStream } from '@wasteflow/domain';
import { ManualClock } from '@wasteflow/event-store';
import {
  appendedSince,
  AT,
  batchBody,
  Builders,
  CLOCK_START,
  consolidationBody,
  correctionBody,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  extraUscc,
  grantPermit,
  heldGrams,
  Keys,
  PARTIES,
  pickupBody,
  receiptBody,
  registerParty,
  requireStore,
  send,
  sendCommands,
  splitBody,
  streamEvents,
  streamLengths,
  treatmentBody,
} from './support/fixtures';
import { dropSchemas, uniqueSchemaPrefix } from './support/postgres';
import { startTestApp, type TestApp, type TestStore } from './support/test-app';
import { seededApp, startSeededApp } from './support/seeded-app';

/**
 * DESIGN.md §4 "Writes take an Idempotency-Key header: the same key with the same body returns the first
 * response and appends nothing; the same key with another body is refused (422)", on every write path,
 * across a restart, under 50 concurrent retries, and without the header (400 naming it).
 */

interface WriteCase {
  readonly route: string;
  readonly path: string;
  readonly token: string;
  readonly body: unknown;
  /** Another body for the same path (same key → 422). */
  readonly otherBody: unknown;
  /** The streams it writes. */
  readonly streams: readonly string[];
}

/** One prepared write per path of DESIGN.md §4 (bulk aside), each on its own target. */
async function writeCases(b: Builders, salt: number): Promise<WriteCase[]> {
  const t = b.t;
  const tok = b.world.tokens;
  const newParty = extraUscc('330106', 500 + salt);
  const permitParty = extraUscc('330114', 600 + salt);
  const permit = {
    permitNo: `3301009${String(salt).padStart(3, '0')}`,
    hwCategories: ['HW08'],
    operations: ['R9'],
    annualCapacityKg: 5000,
    validFrom: '2026-01-01',
    validTo: '2028-12-31',
  };
  const revokeParty = extraUscc('330114', 700 + salt);
  for (const [uscc, name] of [
    [permitParty, '杭州钱塘资源利用有限公司'],
    [revokeParty, '杭州钱塘资源利用二厂'],
  ])
    await registerParty(t, b.keys, { uscc, name, roles: ['receiver'], districtCode: '330114' });
  await grantPermit(t, b.keys, revokeParty, { by: tok.regulator as string, body: permit });
  const toSplit = await b.generate(10);
  const [c1, c2] = [await b.generate(4), await b.generate(6)];
  const toShip = await b.generate(10);
  const toPickUp = await b.consigned(10);
  const toReceive = await b.inTransit(10);
  const toCancel = await b.consigned(10);
  const toTreat = await b.atReceiver(10);
  const toCorrect = await b.generate(10);
  // a pending correction request of the generator's, for a regulator in scope to approve
  const toApprove = await b.generate(10);
  await expect201(
    send(
      t,
      `/v1/batches/${toApprove}/correction-requests`,
      tok.generator,
      correctionBody(-1),
      b.keys.next('cr'),
    ),
  );
  return [
    {
      route: 'POST /v1/parties',
      path: '/v1/parties',
      token: t.adminToken,
      body: {
        uscc: newParty,
        name: '杭州西湖再生资源回收有限公司',
        roles: ['collector', 'carrier'],
        districtCode: '330106',
      },
      otherBody: {
        uscc: newParty,
        name: '杭州西湖再生资源回收有限公司',
        roles: ['collector'],
        districtCode: '330106',
      },
      streams: [partyStream(newParty)],
    },
    {
      route: 'POST /v1/parties/{uscc}/permits',
      path: `/v1/parties/${permitParty}/permits`,
      token: tok.regulator as string,
      body: permit,
      otherBody: { ...permit, annualCapacityKg: 5000.001 },
      streams: [partyStream(permitParty)],
    },
    {
      route: 'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
      path: `/v1/parties/${revokeParty}/permits/${permit.permitNo}/revoke`,
      token: tok.regulator as string,
      body: { reason: '超出许可范围经营' },
      otherBody: { reason: '超出许可范围经营。' },
      streams: [partyStream(revokeParty)],
    },
    {
      route: 'POST /v1/tokens',
      path: '/v1/tokens',
      token: t.adminToken,
      body: { kind: 'regulator', districts: ['330106'], categories: ['hazardous'] },
      otherBody: { kind: 'regulator', districts: ['330106'], categories: ['hazardous', 'industrial'] },
      streams: [],
    },
    {
      route: 'POST /v1/batches',
      path: '/v1/batches',
      token: tok.generator as string,
      body: batchBody(12.5),
      otherBody: batchBody(12.501),
      streams: [],
    },
    {
      route: 'POST /v1/batches/{code}/split',
      path: `/v1/batches/${toSplit}/split`,
      token: tok.generator as string,
      body: splitBody([1, 2]),
      otherBody: splitBody([2, 1]),
      streams: [batchStream(toSplit)],
    },
    {
      route: 'POST /v1/consolidations',
      path: '/v1/consolidations',
      token: tok.generator as string,
      body: consolidationBody([
        { traceCode: c1, massKg: 4 },
        { traceCode: c2, massKg: 6 },
      ]),
      otherBody: {
        ...consolidationBody([
          { traceCode: c1, massKg: 4 },
          { traceCode: c2, massKg: 6 },
        ]),
        occurredAt: AT.split,
      },
      streams: [batchStream(c1), batchStream(c2)],
    },
    {
      route: 'POST /v1/manifests',
      path: '/v1/manifests',
      token: tok.generator as string,
      body: b.manifestBody([toShip]),
      otherBody: { ...b.manifestBody([toShip]), plannedAt: '2026-03-02T14:00:00+08:00' },
      streams: [batchStream(toShip)],
    },
    {
      route: 'POST /v1/manifests/{no}/pickup',
      path: `/v1/manifests/${toPickUp.manifestNo}/pickup`,
      token: tok.carrier as string,
      body: pickupBody(),
      otherBody: { ...pickupBody(), vehiclePlate: '浙A54321' },
      streams: [manifestStream(toPickUp.manifestNo), batchStream(toPickUp.traceCode)],
    },
    {
      route: 'POST /v1/manifests/{no}/receipt',
      path: `/v1/manifests/${toReceive.manifestNo}/receipt`,
      token: tok.receiver as string,
      body: receiptBody([{ traceCode: toReceive.traceCode, massKg: 10 }]),
      otherBody: receiptBody([{ traceCode: toReceive.traceCode, massKg: 9.999 }]),
      streams: [manifestStream(toReceive.manifestNo), batchStream(toReceive.traceCode)],
    },
    {
      route: 'POST /v1/manifests/{no}/cancel',
      path: `/v1/manifests/${toCancel.manifestNo}/cancel`,
      token: tok.generator as string,
      body: { reason: '车辆故障，改期转移' },
      otherBody: { reason: '接收单位停产检修' },
      streams: [manifestStream(toCancel.manifestNo), batchStream(toCancel.traceCode)],
    },
    {
      route: 'POST /v1/batches/{code}/treatments',
      path: `/v1/batches/${toTreat}/treatments`,
      token: tok.receiver as string,
      body: treatmentBody(3),
      otherBody: treatmentBody(3, 'R9'),
      streams: [batchStream(toTreat)],
    },
    {
      route: 'POST /v1/batches/{code}/correction-requests',
      path: `/v1/batches/${toCorrect}/correction-requests`,
      token: tok.generator as string,
      body: correctionBody(-1),
      otherBody: correctionBody(1),
      streams: [batchStream(toCorrect)],
    },
    {
      route: 'POST /v1/batches/{code}/correction-requests/{requestId}/approve',
      path: `/v1/batches/${toApprove}/correction-requests/cr-1/approve`,
      token: tok.regulator as string,
      body: { note: '已核对地磅单' },
      otherBody: { note: '已核对' },
      streams: [batchStream(toApprove)],
    },
  ];
}

/** `201`, or the status and rule of a refusal (readable in a failed comparison). */
function outcome(response: Response): string {
  return response.status === 201 ? '201' : `${response.status} ${response.body?.rule}`;
}

/** What a client sees of an answer: status, body, X-Ledger-Position. */
function answer(response: Response): { status: number; body: unknown; position: string | undefined } {
  return { status: response.status, body: response.body, position: response.headers['x-ledger-position'] };
}

/** A token is shown once: its replay answers everything but the secret (nothing secret is ever stored). */
function withoutSecret(route: string, body: Record<string, unknown>): Record<string, unknown> {
  if (route !== 'POST /v1/tokens') return body;
  const { token: _token, ...rest } = body;
  return rest;
}

/** The idempotency record kept for a party's key, beside the log (docs/adr/0008). */
async function recordOf(t: TestApp, uscc: string, key: string): Promise<Record<string, unknown> | undefined> {
  return (await t.store.bookkeeping.readIdempotencyRecord(`party:${uscc}`, key))?.record;
}

const SUITE = 'idempotency';
describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'idem');
  const keys = new Keys(`idem-${kind}`);

  describe('the same key with the same body: the first answer again, nothing appended', () => {
    let cases: WriteCase[];
    const first = new Map<string, Response>();
    const key = (c: WriteCase) => `replay-${kind}-${c.route}`;

    beforeAll(async () => {
      cases = await writeCases(app.build, 1);
      for (const c of cases)
        first.set(c.route, await expect201(send(app.t, c.path, c.token, c.body, key(c))));
    });

    it.each([
      'POST /v1/parties',
      'POST /v1/parties/{uscc}/permits',
      'POST /v1/parties/{uscc}/permits/{permitNo}/revoke',
      'POST /v1/tokens',
      'POST /v1/batches',
      'POST /v1/batches/{code}/split',
      'POST /v1/consolidations',
      'POST /v1/manifests',
      'POST /v1/manifests/{no}/pickup',
      'POST /v1/manifests/{no}/receipt',
      'POST /v1/manifests/{no}/cancel',
      'POST /v1/batches/{code}/treatments',
      'POST /v1/batches/{code}/correction-requests',
      'POST /v1/batches/{code}/correction-requests/{requestId}/approve',
    ])('%s', async (route) => {
      const c = cases.find((x) => x.route === route) as WriteCase;
      const original = first.get(route) as Response;
      const before = await app.t.headPosition();
      const lengths = await streamLengths(app.t, c.streams);
      // the state has moved on since (a fresh decision would now be refused): the replay does not decide again
      const replay = await send(app.t, c.path, c.token, c.body, key(c));
      expect(answer(replay)).toEqual({ ...answer(original), body: withoutSecret(route, original.body) });
      expect(replay.headers['idempotency-replayed']).toBe('true');
      // key order and whitespace are not part of the body
      const reordered = Object.fromEntries(Object.entries(c.body as object).reverse());
      const again = await app.t.http
        .post(c.path)
        .set('Authorization', `Bearer ${c.token}`)
        .set('Idempotency-Key', key(c))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(reordered, null, 2));
      expect(answer(again)).toEqual(answer(replay));
      await expectHeadUnchanged(app.t, before, route);
      expect(await streamLengths(app.t, c.streams)).toEqual(lengths);
    });

    it('the same key with another body: 422 idempotency-key-reused naming the header, nothing appended (every path)', async () => {
      for (const c of cases) {
        const before = await app.t.headPosition();
        const response = await send(app.t, c.path, c.token, c.otherBody, key(c));
        const problem = expectProblem(response, 422, { rule: 'idempotency-key-reused' });
        expect({ route: c.route, field: problem.field }).toEqual({
          route: c.route,
          field: 'Idempotency-Key',
        });
        await expectHeadUnchanged(app.t, before, c.route);
      }
    });

    it('the same key on another route or another target is another request: 422, nothing appended', async () => {
      const split = cases.find((c) => c.route === 'POST /v1/batches/{code}/split') as WriteCase;
      const other = await app.build.generate(10);
      const before = await app.t.headPosition();
      expectProblem(
        await send(app.t, `/v1/batches/${other}/split`, split.token, split.body, key(split)),
        422,
        {
          rule: 'idempotency-key-reused',
        },
      );
      expectProblem(await send(app.t, '/v1/batches', split.token, batchBody(1), key(split)), 422, {
        rule: 'idempotency-key-reused',
      });
      await expectHeadUnchanged(app.t, before);
    });

    it('the path parameter in another spelling (lower case, hyphens) is the same request: the first answer', async () => {
      const split = cases.find((c) => c.route === 'POST /v1/batches/{code}/split') as WriteCase;
      const code = split.path.split('/')[3];
      const display =
        `${code.slice(0, 6)}-${code.slice(6, 7)}-${code.slice(7, 13)}-${code.slice(13)}`.toLowerCase();
      const before = await app.t.headPosition();
      const replay = await send(app.t, `/v1/batches/${display}/split`, split.token, split.body, key(split));
      expect(answer(replay)).toEqual(answer(first.get(split.route) as Response));
      await expectHeadUnchanged(app.t, before);
    });

    it('a key is the caller’s own: another principal’s request under the same key is its own write', async () => {
      const batches = cases.find((c) => c.route === 'POST /v1/batches') as WriteCase;
      const mine = first.get(batches.route) as Response;
      const theirs = await expect201(
        send(app.t, '/v1/batches', app.world.tokens.otherGenerator, batches.body, key(batches)),
      );
      expect(theirs.body.traceCode).not.toBe(mine.body.traceCode);
      expect(theirs.body.generatorUscc).toBe(PARTIES.otherGenerator.uscc);
    });
  });

  describe('POST /v1/commands: each item under its own key', () => {
    it('a repeated bulk request replays every item and appends nothing; a reused item key with another body is 422', async () => {
      const code = await app.build.generate(10);
      const commands = [
        { type: 'generate-waste', idempotencyKey: keys.next('bulk'), body: batchBody(3) },
        {
          type: 'split-batch',
          idempotencyKey: keys.next('bulk'),
          body: { traceCode: code, partsKg: [1], occurredAt: AT.split },
        },
      ];
      const firstBulk = await sendCommands(app.t, app.world.tokens.generator, commands);
      expect(firstBulk.status).toBe(200);
      const results = firstBulk.body.results as { status: number; body: Record<string, unknown> }[];
      expect(results.map((r) => r.status)).toEqual([201, 201]);
      const before = await app.t.headPosition();
      const again = await sendCommands(app.t, app.world.tokens.generator, commands);
      expect(again.status).toBe(200);
      expect(again.body.results).toEqual(
        results.map((r, index) => ({ ...r, replayed: true, index, type: commands[index].type })),
      );
      const reused = await sendCommands(app.t, app.world.tokens.generator, [
        { ...commands[0], body: batchBody(3.5) },
        { ...commands[1], body: { traceCode: code, partsKg: [2], occurredAt: AT.split } },
      ]);
      expect(reused.status).toBe(200);
      for (const result of reused.body.results as { status: number; body: Record<string, unknown> }[]) {
        expect({ status: result.status, rule: result.body.rule }).toEqual({
          status: 422,
          rule: 'idempotency-key-reused',
        });
      }
      await expectHeadUnchanged(app.t, before);
      // the replayed single request and its bulk item are one request: same key, same body → the first answer
      const single = await send(
        app.t,
        `/v1/batches/${code}/split`,
        app.world.tokens.generator,
        splitBody([1]),
        commands[1].idempotencyKey,
      );
      expect(single.status).toBe(201);
      expect(single.body).toEqual(results[1].body);
      await expectHeadUnchanged(app.t, before);
    });

    it('two items of one request under one key: the second replays the first (same body) or is 422 (another body)', async () => {
      const key = keys.next('bulk-dup');
      const before = await app.t.headPosition();
      const response = await sendCommands(app.t, app.world.tokens.generator, [
        { type: 'generate-waste', idempotencyKey: key, body: batchBody(2) },
        { type: 'generate-waste', idempotencyKey: key, body: batchBody(2) },
        { type: 'generate-waste', idempotencyKey: key, body: batchBody(2.5) },
      ]);
      const results = response.body.results as {
        status: number;
        replayed?: boolean;
        body: Record<string, unknown>;
      }[];
      expect(results.map((r) => r.status)).toEqual([201, 201, 422]);
      expect(results[1]).toMatchObject({ replayed: true, body: results[0].body });
      expect(results[2].body.rule).toBe('idempotency-key-reused');
      const added = await appendedSince(app.t, before);
      expect(added.filter((e) => e.type === 'WasteGenerated')).toHaveLength(1);
    });

    it('an item without its key is 400 naming commands[i].idempotencyKey; nothing of it appended', async () => {
      const before = await app.t.headPosition();
      const response = await sendCommands(app.t, app.world.tokens.generator, [
        { type: 'generate-waste', body: batchBody(2) },
        { type: 'generate-waste', idempotencyKey: '', body: batchBody(2) },
      ]);
      expect(response.status).toBe(200);
      for (const result of response.body.results as { status: number; body: Record<string, unknown> }[]) {
        expect(result.status).toBe(400);
        expect((result.body.errors as { field: string }[]).map((e) => e.field)).toContain('idempotencyKey');
      }
      await expectHeadUnchanged(app.t, before);
    });
  });

  describe('without a usable Idempotency-Key: 400 naming the header, nothing appended', () => {
    let cases: WriteCase[];
    beforeAll(async () => {
      cases = await writeCases(app.build, 2);
    });

    it('missing, on every write path', async () => {
      for (const c of cases) {
        const before = await app.t.headPosition();
        const response = await send(app.t, c.path, c.token, c.body, null);
        const problem = expectProblem(response, 400, { fields: ['Idempotency-Key'] });
        expect({ route: c.route, rule: (problem.errors as { rule: string }[])[0].rule }).toEqual({
          route: c.route,
          rule: 'idempotency-key-required',
        });
        await expectHeadUnchanged(app.t, before, c.route);
      }
    });

    it.each([
      ['empty', ''],
      ['only spaces', '   '],
      ['201 characters', 'k'.repeat(201)],
      ['not ASCII (latin-1 é)', 'cl\u00e9'],
    ])('malformed: %s', async (_name, value) => {
      const c = cases.find((x) => x.route === 'POST /v1/batches') as WriteCase;
      const before = await app.t.headPosition();
      const response = await send(app.t, c.path, c.token, c.body, value);
      expectProblem(response, 400, { fields: ['Idempotency-Key'] });
      await expectHeadUnchanged(app.t, before);
    });

    it('200 printable characters is a usable key', async () => {
      const c = cases.find((x) => x.route === 'POST /v1/batches') as WriteCase;
      const key = `${'~'.repeat(100)}${' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}'.repeat(4)}`.slice(0, 200);
      expect(key).toHaveLength(200);
      const response = await expect201(send(app.t, c.path, c.token, c.body, key));
      const replay = await send(app.t, c.path, c.token, c.body, key);
      expect(answer(replay)).toEqual(answer(response));
    });
  });

  describe('concurrent retries', () => {
    /** The same request 50 times at once under one key: every answer 201, all of them the same body. */
    async function fiftyAtOnce(request: () => Promise<Response>): Promise<Response[]> {
      const responses = await Promise.all(Array.from({ length: 50 }, () => request()));
      expect(responses.map(outcome)).toEqual(Array(50).fill('201'));
      expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
      return responses;
    }

    it('50 concurrent requests under one key (a new batch): one set of events, 50 identical answers', async () => {
      const key = keys.next('concurrent-generate');
      const before = await app.t.headPosition();
      const responses = await fiftyAtOnce(() =>
        send(app.t, '/v1/batches', app.world.tokens.generator, batchBody(7.25), key),
      );
      expect(new Set(responses.map((r) => r.headers['x-ledger-position']))).toEqual(
        new Set([responses[0].body.position]),
      );
      const traceCode = responses[0].body.traceCode as string;
      expect((await streamEvents(app.t, batchStream(traceCode))).map((e) => e.type)).toEqual([
        'WasteGenerated',
      ]);
      const added = await appendedSince(app.t, before);
      // the batch's event, nothing else in the log; the key's record beside it, once
      expect(added.map((e) => e.stream).sort()).toEqual([batchStream(traceCode)]);
      expect(await recordOf(app.t, PARTIES.generator.uscc, key)).toMatchObject({
        result: { traceCode },
        writes: [{ stream: batchStream(traceCode), revision: '0' }],
      });
      if (kind === 'sqlite') expect((await app.t.headPosition()) - before).toBe(1n);
    });

    it('50 concurrent requests under one key (a split of an existing batch): one split, 50 identical answers', async () => {
      const code = await app.build.generate(10);
      const key = keys.next('concurrent-split');
      const before = await app.t.headPosition();
      const responses = await fiftyAtOnce(() =>
        send(app.t, `/v1/batches/${code}/split`, app.world.tokens.generator, splitBody([2.5]), key),
      );
      const events = await streamEvents(app.t, batchStream(code));
      expect(events.map((e) => e.type)).toEqual(['WasteGenerated', 'BatchSplit']);
      const [child] = responses[0].body.children as string[];
      expect((await streamEvents(app.t, batchStream(child))).map((e) => e.type)).toEqual(['BatchSplitOff']);
      // the split and its child, nothing else in the log; the key's record beside it
      expect((await appendedSince(app.t, before)).length).toBe(2);
      if (kind === 'sqlite') expect((await app.t.headPosition()) - before).toBe(2n);
      expect(await recordOf(app.t, PARTIES.generator.uscc, key)).toMatchObject({
        result: { children: [child] },
      });
    });

    it('50 concurrent requests under one key (a manifest): one manifest number allocated, 50 identical answers', async () => {
      const code = await app.build.generate(10);
      const key = keys.next('concurrent-manifest');
      const before = await app.t.headPosition();
      const responses = await fiftyAtOnce(() =>
        send(app.t, '/v1/manifests', app.world.tokens.generator, app.build.manifestBody([code]), key),
      );
      const added = await appendedSince(app.t, before);
      expect(added.map((e) => e.type).sort()).toEqual(
        ['BatchConsigned', 'ManifestIssued', 'ManifestSerialAllocated'].sort(),
      );
      expect(await recordOf(app.t, PARTIES.generator.uscc, key)).toMatchObject({
        result: { manifestNo: responses[0].body.manifestNo },
      });
      expect(added.find((e) => e.type === 'ManifestIssued')?.stream).toBe(
        manifestStream(responses[0].body.manifestNo),
      );
    });

    it('concurrent requests under one key with two different bodies: one body wins everywhere, the other is 422', async () => {
      const key = keys.next('concurrent-two-bodies');
      const before = await app.t.headPosition();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(app.t, '/v1/batches', app.world.tokens.generator, batchBody(i % 2 === 0 ? 1 : 2), key),
        ),
      );
      const won = responses.filter((r) => r.status === 201);
      const lost = responses.filter((r) => r.status !== 201);
      expect(won.length).toBeGreaterThan(0);
      expect(new Set(won.map((r) => JSON.stringify(r.body))).size).toBe(1);
      const winningMass = won[0].body.massKg as number;
      responses.forEach((r, i) => {
        const mass = i % 2 === 0 ? 1 : 2;
        if (mass === winningMass) expect(outcome(r)).toBe('201');
        else expectProblem(r, 422, { rule: 'idempotency-key-reused' });
      });
      expect(won.length + lost.length).toBe(20);
      expect((await appendedSince(app.t, before)).filter((e) => e.type === 'WasteGenerated')).toHaveLength(1);
    });
  });
});

describeEachStore(`${SUITE} across a restart`, (kind: TestStore) => {
  const clock = new ManualClock(new Date(CLOCK_START));
  let dataDir: string;
  let schemaPrefix: string;
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  let cases: WriteCase[] = [];
  const answers = new Map<string, ReturnType<typeof answer>>();
  const key = (c: WriteCase) => `restart-${kind}-${c.route}`;

  beforeAll(async () => {
    await requireStore(kind, `${__filename} restart (${kind})`);
    dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-e2e-restart-'));
    schemaPrefix = `${uniqueSchemaPrefix(__filename)}_r`;
    const seeded = await startSeededApp(kind, 'restart', {
      suiteFile: __filename,
      clock,
      dataDir,
      schemaPrefix,
    });
    first = seeded.t;
    cases = await writeCases(seeded.build, 3);
    for (const c of cases)
      answers.set(c.route, answer(await expect201(send(first, c.path, c.token, c.body, key(c)))));
    await first.close();
    first = undefined;
    clock.advance(24 * 3_600_000); // a day later: a fresh decision would be dated differently
    second = await startTestApp(kind, { suiteFile: __filename, clock, dataDir, schemaPrefix });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchemas(schemaPrefix);
  });

  it('every write retried after the restart gets its first answer, and appends nothing', async () => {
    const t = second as TestApp;
    const before = await t.headPosition();
    for (const c of cases) {
      const replay = await send(t, c.path, c.token, c.body, key(c));
      const original = answers.get(c.route) as ReturnType<typeof answer>;
      expect({ route: c.route, ...answer(replay) }).toEqual({
        route: c.route,
        ...original,
        body: withoutSecret(c.route, original.body as Record<string, unknown>),
      });
    }
    await expectHeadUnchanged(t, before);
  });

  it('another body under a used key is still 422 after the restart, nothing appended', async () => {
    const t = second as TestApp;
    const before = await t.headPosition();
    for (const c of cases) {
      expectProblem(await send(t, c.path, c.token, c.otherBody, key(c)), 422, {
        rule: 'idempotency-key-reused',
      });
    }
    await expectHeadUnchanged(t, before);
  });
});

describeEachStore(`${SUITE} after the retention period`, (kind: TestStore) => {
  const app = seededApp(kind, `${SUITE} after the retention period`, __filename, 'expired');

  it('no write puts its record in the log: every record is beside it, none in a $idempotency stream', async () => {
    await expect201(send(app.t, '/v1/batches', app.world.tokens.generator, batchBody(2), 'beside-the-log'));
    const streams = new Set((await app.t.store.readAll()).map((e) => e.stream));
    expect([...streams].filter((stream) => stream.startsWith('$idempotency-'))).toEqual([]);
    expect(await recordOf(app.t, PARTIES.generator.uscc, 'beside-the-log')).toBeDefined();
  });

  it('once the records are purged, a retry is still refused by the event ids of its key, nothing appended', async () => {
    const generation = await expect201(
      send(app.t, '/v1/batches', app.world.tokens.generator, batchBody(4), 'generated-then-expired'),
    );
    const code = await app.build.atReceiver(10);
    await expect201(
      send(
        app.t,
        `/v1/batches/${code}/treatments`,
        app.world.tokens.receiver,
        treatmentBody(3),
        'treated-then-expired',
      ),
    );
    // the retention period passes (the store's own purge would do this after 30 days)
    const purged = await app.t.store.bookkeeping.purgeIdempotencyRecords(new Date(Date.now() + 1000));
    expect(purged).toBeGreaterThan(2);
    const before = await app.t.headPosition();
    // the same generation again: the same trace code, whose stream exists — the domain refuses it
    expectProblem(
      await send(app.t, '/v1/batches', app.world.tokens.generator, batchBody(4), 'generated-then-expired'),
      409,
      { rule: 'batch-already-exists' },
    );
    // the same treatment again: the domain would take it (7 kg left), the ids of its events are stored
    const treatment = expectProblem(
      await send(
        app.t,
        `/v1/batches/${code}/treatments`,
        app.world.tokens.receiver,
        treatmentBody(3),
        'treated-then-expired',
      ),
      409,
      { rule: 'idempotency-record-expired' },
    );
    expect(treatment.detail).toMatch(/no longer kept/);
    await expectHeadUnchanged(app.t, before);
    expect(await heldGrams(app.t, code)).toBe(7000);
    expect(generation.body.traceCode).toEqual(expect.any(String));
  });
});
