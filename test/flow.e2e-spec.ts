import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { composeUscc, manifestStream, partyStream, batchStream } from '@wasteflow/domain';
import { ManualClock, verifyStreamIntegrity, type RecordedEvent } from '@wasteflow/event-store';
import { ManifestCustodyProcessManager, MANIFEST_CUSTODY_ACTOR } from '@wasteflow/ledger';
import { expectProblem } from './support/fixtures';
import { eventsOf, everything, expectNothingAppended, post, typesOf } from './support/ledger-client';
import { postgresAvailable } from './support/postgres';
import { startTestApp, type TestApp, type TestAppOptions, type TestStore } from './support/test-app';
import { createApp } from '../apps/api/src/create-app';
import { loadApiConfig } from '../apps/api/src/config/api-config';

/**
 * The whole flow of DESIGN.md on the real app, event by event: register parties → permit → generate →
 * consolidate → manifest → pickup → receipt with a loss and a partial rejection → treatment; with the
 * refusals that must append nothing on the way, and the metadata and hash chain of every event.
 */
const GENERATOR = composeUscc('91330106MA27Y5XK0'); // 杭州西湖精细化工有限公司, 西湖区
const CARRIER = composeUscc('91330109MA2H3KT71'); // 萧山区
const RECEIVER = composeUscc('91330114MA2CJ8RL5'); // 钱塘区, incinerator
const ADMIN_ACTOR = 'admin:bootstrap-admin';

/** The composition of the flow's waste oil (HW08, generated in Xihu in March 2026), `grams` of it. */
function oilComposition(grams: number) {
  return [
    {
      districtCode: '330106',
      category: 'hazardous',
      wasteCode: '900-249-08',
      generatedMonth: '2026-03',
      grams,
    },
  ];
}

const kinds: TestStore[] = ['sqlite', 'postgres'];

/**
 * The app of a describe block on `kind`, started before all and closed after all, and `step`, a test of the
 * block: on PostgreSQL only when it is reachable, every step passing without running otherwise.
 */
function flowApp(
  kind: TestStore,
  options: TestAppOptions,
): { readonly app: { readonly t: TestApp }; step(name: string, fn: () => Promise<void>): void } {
  const app = {} as { t: TestApp };
  let skip = false;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresAvailable(`${__filename} (postgres)`))) {
      skip = true;
      return;
    }
    app.t = await startTestApp(kind, options);
  });
  afterAll(async () => {
    if (!skip) await app.t?.close();
  });
  const step = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      if (skip) return;
      await fn();
    });
  return { app, step };
}

describe.each(kinds)('the whole flow of DESIGN.md (%s)', (kind) => {
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z')); // Monday 10:00 in Hangzhou
  const { app, step } = flowApp(kind, { suiteFile: __filename, clock });
  const tokens: Record<'generator' | 'carrier' | 'receiver' | 'regulator', string> = {
    generator: '',
    carrier: '',
    receiver: '',
    regulator: '',
  };
  const code: Record<'a' | 'b' | 'c' | 'x' | 'returned', string> = {
    a: '',
    b: '',
    c: '',
    x: '',
    returned: '',
  };
  let manifestNo = '';
  let receiptKey = '';
  let receiptBody: unknown;
  let receiptAnswer: { status: number; body: unknown; position: string };

  /** The common metadata of an event written by a request. */
  function expectRequestMetadata(event: RecordedEvent, actor: string, idempotencyKey?: string): void {
    expect(event.metadata).toMatchObject({
      actor,
      correlationId: expect.any(String),
      causationId: expect.any(String),
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/),
      recordedAt: clock.now().toISOString(),
      schemaVersion: event.schemaVersion,
      prevHash: event.revision === 0n ? null : expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    if (idempotencyKey !== undefined) expect(event.metadata.idempotencyKey).toBe(idempotencyKey);
  }

  /** Checks the 201 envelope and X-Ledger-Position against the store's head. */
  async function expectWritten(
    response: { status: number; body: Record<string, unknown>; headers: Record<string, string> },
    ownStream: string,
  ) {
    expect(response.status).toBe(201);
    expect(response.body.stream).toBe(ownStream);
    expect(response.headers['x-ledger-position']).toBe(response.body.position);
    expect(response.body.position).toBe((await app.t.headPosition()).toString());
    const streams = response.body.streams as {
      stream: string;
      revision: string;
      position: string;
      eventIds: string[];
    }[];
    expect(streams[0]).toEqual({
      stream: ownStream,
      revision: response.body.revision,
      position: expect.any(String),
      eventIds: response.body.eventIds,
    });
    const highest = streams.map((s) => BigInt(s.position)).reduce((a, b) => (a > b ? a : b));
    expect(highest.toString()).toBe(response.body.position);
    for (const s of streams) {
      const stored = await eventsOf(app.t, s.stream);
      const last = stored[Number(s.revision)];
      expect(last.position.toString()).toBe(s.position);
      expect(stored.slice(-s.eventIds.length).map((e) => e.id)).toEqual(s.eventIds);
    }
  }

  step('registers the generator, the carrier and the receiver (admin)', async () => {
    const parties = [
      { uscc: GENERATOR, name: '杭州西湖精细化工有限公司', roles: ['generator'], districtCode: '330106' },
      { uscc: CARRIER, name: '杭州萧山危险货物运输有限公司', roles: ['carrier'], districtCode: '330109' },
      { uscc: RECEIVER, name: '杭州钱塘固废处置有限公司', roles: ['receiver'], districtCode: '330114' },
    ];
    for (const party of parties) {
      const key = `register-${party.uscc}`;
      const response = await post(app.t, '/v1/parties', app.t.adminToken, party, key);
      await expectWritten(response, partyStream(party.uscc));
      expect(response.body).toMatchObject({ ...party, revision: '0' });
      const [registered, ...rest] = await eventsOf(app.t, partyStream(party.uscc));
      expect(rest).toEqual([]);
      expect(registered.type).toBe('PartyRegistered');
      expect(registered.data).toEqual({ ...party, occurredAt: clock.now().toISOString(), late: false });
      expectRequestMetadata(registered, ADMIN_ACTOR, key);
      expect(registered.metadata.tokenId).toBe('bootstrap-admin');
    }
    // a party token may not register parties: 403, nothing appended
    await expectNothingAppended(app.t, async () => {
      const response = await post(
        app.t,
        '/v1/parties',
        'wf_aaaaaaaaaaaaaaaaaaaa_' + 'a'.repeat(43),
        parties[0],
      );
      expect(response.status).toBe(401);
    });
  });

  step(
    'issues a party token to each and a regulator token for Hangzhou hazardous waste (admin)',
    async () => {
      for (const [role, uscc] of [
        ['generator', GENERATOR],
        ['carrier', CARRIER],
        ['receiver', RECEIVER],
      ] as const) {
        const response = await post(app.t, '/v1/tokens', app.t.adminToken, {
          kind: 'party',
          partyUscc: uscc,
          label: role,
        });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ kind: 'party', partyUscc: uscc, label: role, revision: '0' });
        tokens[role] = response.body.token;
        const [issued] = await eventsOf(app.t, `token-${response.body.tokenId}`);
        expect(issued.type).toBe('TokenIssued');
        const secret = (response.body.token as string).slice('wf_'.length + 20 + 1);
        expect(issued.data).toEqual({
          tokenId: response.body.tokenId,
          secretHash: createHash('sha256').update(secret).digest('hex'),
          scope: { kind: 'party', partyUscc: uscc },
          label: role,
          // a year after its issue on the test's clock (issue 10 row 6: every token expires)
          expiresAt: '2027-03-02T02:00:00.000Z',
        });
        expect(response.body.expiresAt).toBe('2027-03-02T02:00:00.000Z');
      }
      const regulator = await post(app.t, '/v1/tokens', app.t.adminToken, {
        kind: 'regulator',
        districts: ['3301'],
        categories: ['hazardous'],
        label: '杭州市生态环境局',
      });
      expect(regulator.status).toBe(201);
      tokens.regulator = regulator.body.token;
      // the secret is nowhere in the log (nor in the idempotency records beside it: write-loop.unit.spec.ts)
      const log = JSON.stringify((await everything(app.t)).map((e) => [e.data, e.metadata]));
      for (const token of Object.values(tokens))
        expect(log).not.toContain(token.slice('wf_'.length + 20 + 1));
      // a token for an unknown party: 404, nothing appended
      await expectNothingAppended(app.t, async () => {
        const response = await post(app.t, '/v1/tokens', app.t.adminToken, {
          kind: 'party',
          partyUscc: composeUscc('91330102MA2XY0000'),
        });
        expectProblem(response, 404, { rule: 'party-not-found' });
      });
    },
  );

  step('grants the receiver a permit for HW08 incineration (regulator of Hangzhou)', async () => {
    const permit = {
      permitNo: '3301000012',
      hwCategories: ['HW08'],
      operations: ['D10', 'store'],
      annualCapacityKg: 30000000,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
    };
    // a regulator of Xihu only: outside its jurisdiction → 403, nothing appended
    const xihu = await post(app.t, '/v1/tokens', app.t.adminToken, {
      kind: 'regulator',
      districts: ['330106'],
      categories: ['hazardous'],
    });
    await expectNothingAppended(app.t, async () => {
      const response = await post(app.t, `/v1/parties/${RECEIVER}/permits`, xihu.body.token, permit);
      expectProblem(response, 403, { rule: 'outside-jurisdiction' });
    });
    const key = 'permit-3301000012';
    const response = await post(app.t, `/v1/parties/${RECEIVER}/permits`, tokens.regulator, permit, key);
    await expectWritten(response, partyStream(RECEIVER));
    expect(response.body).toMatchObject({ ...permit, uscc: RECEIVER, revision: '1' });
    const events = await eventsOf(app.t, partyStream(RECEIVER));
    expect(events.map((e) => e.type)).toEqual(['PartyRegistered', 'PermitGranted']);
    expect(events[1].data).toEqual({
      uscc: RECEIVER,
      permitNo: '3301000012',
      wasteCodes: [],
      hwCategories: ['HW08'],
      operations: ['D10', 'store'],
      annualCapacityGrams: 30000000000,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
      occurredAt: clock.now().toISOString(),
      late: false,
    });
    const regulatorTokenId = tokens.regulator.slice('wf_'.length, 'wf_'.length + 20);
    expectRequestMetadata(events[1], `regulator:${regulatorTokenId}`, key);
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
  });

  step('records three hazardous batches (generator)', async () => {
    const batches = [
      ['a', 1250.5, '2026-03-02T09:00:00+08:00'],
      ['b', 749.5, '2026-03-02T09:10:00+08:00'],
      ['c', 500, '2026-03-02T09:20:00+08:00'],
    ] as const;
    for (const [name, massKg, occurredAt] of batches) {
      const key = `generate-${name}`;
      const body = {
        category: 'hazardous',
        wasteCode: '900-249-08',
        description: '废矿物油',
        massKg,
        occurredAt,
      };
      const response = await post(app.t, '/v1/batches', tokens.generator, body, key);
      code[name] = response.body.traceCode;
      expect(code[name]).toMatch(/^330106W260302[0-9A-Z]{8}.$/);
      await expectWritten(response, batchStream(code[name]));
      expect(response.body).toMatchObject({
        traceCode: code[name],
        category: 'hazardous',
        wasteCode: '900-249-08',
        massKg,
        generatorUscc: GENERATOR,
        districtCode: '330106',
        late: false,
      });
      const [generated] = await eventsOf(app.t, batchStream(code[name]));
      expect(generated.type).toBe('WasteGenerated');
      expect(generated.data).toEqual({
        traceCode: code[name],
        generatorUscc: GENERATOR,
        districtCode: '330106',
        category: 'hazardous',
        wasteCode: '900-249-08',
        description: '废矿物油',
        massGrams: massKg * 1000,
        composition: oilComposition(massKg * 1000),
        occurredAt,
        late: false,
      });
      expectRequestMetadata(generated, `party:${GENERATOR}`, key);
      expect(generated.metadata.occurredAt).toBe(occurredAt);
    }
    // the carrier holds no generator role: 403, nothing appended
    await expectNothingAppended(app.t, async () => {
      const response = await post(app.t, '/v1/batches', tokens.carrier, {
        category: 'hazardous',
        wasteCode: '900-249-08',
        massKg: 1,
        occurredAt: '2026-03-02T09:00:00+08:00',
      });
      expectProblem(response, 403, { rule: 'actor-lacks-role' });
    });
  });

  step('consolidates A and B into a new batch X (小箱进大箱)', async () => {
    const occurredAt = '2026-03-02T09:40:00+08:00';
    const response = await post(
      app.t,
      '/v1/consolidations',
      tokens.generator,
      {
        lines: [
          { traceCode: code.a, massKg: 1250.5 },
          { traceCode: code.b.toLowerCase(), massKg: 749.5 },
        ],
        occurredAt,
      },
      'consolidate-a-b',
    );
    code.x = response.body.traceCode;
    await expectWritten(response, batchStream(code.x));
    expect(response.body).toMatchObject({ massKg: 2000 });
    expect(response.body.streams.map((s: { stream: string }) => s.stream)).toEqual([
      batchStream(code.x),
      ...[code.a, code.b].sort().map(batchStream),
    ]);
    const [created] = await eventsOf(app.t, batchStream(code.x));
    expect(created.type).toBe('BatchesConsolidated');
    expect(created.data).toMatchObject({
      traceCode: code.x,
      custodianUscc: GENERATOR,
      category: 'hazardous',
      wasteCode: '900-249-08',
      inputs: [
        { traceCode: code.a, massGrams: 1250500 },
        { traceCode: code.b, massGrams: 749500 },
      ].sort((p, q) => (p.traceCode < q.traceCode ? -1 : 1)),
      massGrams: 2000000,
      composition: oilComposition(2000000),
      occurredAt,
      late: false,
    });
    for (const [input, grams] of [
      [code.a, 1250500],
      [code.b, 749500],
    ] as const) {
      const events = await eventsOf(app.t, batchStream(input));
      expect(events.map((e) => e.type)).toEqual(['WasteGenerated', 'BatchConsolidatedInto']);
      expect(events[1].data).toMatchObject({ intoTraceCode: code.x, massGrams: grams, remainingGrams: 0 });
      expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    }
  });

  step(
    'issues a manifest of X and C to the receiver, carrier named (allocating 20263301000001)',
    async () => {
      const body = {
        lines: [{ traceCode: code.x, massKg: 2000 }, { traceCode: code.c }],
        carrierUscc: CARRIER,
        receiverUscc: RECEIVER,
        plannedAt: '2026-03-02T13:00:00+08:00',
      };
      const response = await post(app.t, '/v1/manifests', tokens.generator, body, 'manifest-1');
      manifestNo = response.body.manifestNo;
      expect(manifestNo).toBe('20263301000001');
      await expectWritten(response, manifestStream(manifestNo));
      expect(response.body).toMatchObject({ shipperUscc: GENERATOR, totalKg: 2500 });
      const [issued] = await eventsOf(app.t, manifestStream(manifestNo));
      expect(issued.type).toBe('ManifestIssued');
      expect(issued.data).toEqual({
        manifestNo,
        shipperUscc: GENERATOR,
        carrierUscc: CARRIER,
        receiverUscc: RECEIVER,
        plannedAt: '2026-03-02T13:00:00+08:00',
        lines: [
          { traceCode: code.x, category: 'hazardous', wasteCode: '900-249-08', massGrams: 2000000 },
          { traceCode: code.c, category: 'hazardous', wasteCode: '900-249-08', massGrams: 500000 },
        ].sort((p, q) => (p.traceCode < q.traceCode ? -1 : 1)),
        totalGrams: 2500000,
        hazardous: true,
        occurredAt: clock.now().toISOString(),
        late: false,
      });
      for (const batch of [code.x, code.c]) {
        const events = await eventsOf(app.t, batchStream(batch));
        expect(events.at(-1)?.type).toBe('BatchConsigned');
        expect(events.at(-1)?.data).toMatchObject({
          manifestNo,
          shipperUscc: GENERATOR,
          carrierUscc: CARRIER,
          receiverUscc: RECEIVER,
        });
      }
      const [serial] = await eventsOf(app.t, '$manifest-serial-20263301');
      expect(serial.data).toEqual({ manifestNo, year: 2026, cityCode: '3301', serial: 1 });
      // C is locked on the open manifest: it cannot be shipped twice (409), nothing appended
      await expectNothingAppended(app.t, async () => {
        const again = await post(app.t, '/v1/manifests', tokens.generator, {
          ...body,
          lines: [{ traceCode: code.c }],
        });
        expectProblem(again, 409, { rule: 'batch-on-open-manifest' });
      });
    },
  );

  step('the named carrier picks it up; both batches are in transit in the same commit', async () => {
    clock.set('2026-03-02T05:05:00Z');
    // only the carrier named on it (403), nothing appended
    await expectNothingAppended(app.t, async () => {
      const response = await post(app.t, `/v1/manifests/${manifestNo}/pickup`, tokens.generator, {
        vehiclePlate: '浙A·D12345',
        occurredAt: '2026-03-02T13:00:00+08:00',
      });
      expectProblem(response, 403, { rule: 'not-manifest-carrier' });
    });
    const response = await post(
      app.t,
      `/v1/manifests/${manifestNo}/pickup`,
      tokens.carrier,
      { vehiclePlate: '浙A·D12345', occurredAt: '2026-03-02T13:00:00+08:00', weighedKg: 2503.5 },
      'pickup-1',
    );
    await expectWritten(response, manifestStream(manifestNo));
    expect(response.body).toMatchObject({
      status: 'picked_up',
      vehiclePlate: '浙AD12345',
      shippedKg: 2500,
      weighedKg: 2503.5,
    });
    expect(response.body.streams).toHaveLength(3);
    const manifest = await eventsOf(app.t, manifestStream(manifestNo));
    expect(manifest.map((e) => e.type)).toEqual(['ManifestIssued', 'ManifestPickedUp']);
    expect(manifest[1].data).toEqual({
      manifestNo,
      shipperUscc: GENERATOR,
      carrierUscc: CARRIER,
      receiverUscc: RECEIVER,
      vehiclePlate: '浙AD12345',
      weighedGrams: 2503500,
      shippedGrams: 2500000,
      traceCodes: [code.x, code.c].sort(),
      // ManifestPickedUp v2 (ADR 0009): the weighed load judged (2,503.5 of 2,500 kg: within 5 %)
      lines: [code.x, code.c].sort().map((traceCode) => ({ traceCode, discrepancy: false })),
      discrepancy: false,
      tolerance: 0.05,
      occurredAt: '2026-03-02T13:00:00+08:00',
      late: false,
    });
    expect(manifest[1].schemaVersion).toBe(3);
    expectRequestMetadata(manifest[1], `party:${CARRIER}`, 'pickup-1');
    for (const [batch, grams] of [
      [code.x, 2000000],
      [code.c, 500000],
    ] as const) {
      const events = await eventsOf(app.t, batchStream(batch));
      const shipped = events.at(-1) as RecordedEvent;
      expect(shipped.type).toBe('BatchShipped');
      expect(shipped.data).toEqual({
        traceCode: batch,
        manifestNo,
        shipperUscc: GENERATOR,
        carrierUscc: CARRIER,
        vehiclePlate: '浙AD12345',
        massGrams: grams,
        occurredAt: '2026-03-02T13:00:00+08:00',
        late: false,
      });
      // written by the pickup request itself, in its commit
      expect(response.body.streams).toContainEqual(
        expect.objectContaining({ stream: batchStream(batch), position: shipped.position.toString() }),
      );
      expectRequestMetadata(shipped, `party:${CARRIER}`, 'pickup-1');
    }
  });

  step(
    'the receiver weighs in: X lost 120 kg in transit (a discrepancy), C partly rejected back to the shipper',
    async () => {
      clock.set('2026-03-02T07:05:00Z');
      receiptKey = 'receipt-1';
      receiptBody = {
        occurredAt: '2026-03-02T15:00:00+08:00',
        lines: [
          { traceCode: code.x, receivedKg: 1880, acceptedKg: 1880 },
          { traceCode: code.c, receivedKg: 500, acceptedKg: 420, reason: '含水率超标，部分拒收' },
        ],
      };
      // refused, nothing appended: rejecting without a reason (400), receiving more than was shipped (422)
      for (const [x, c, status, rule] of [
        [[1880, 1880], [500, 420], 400, 'rejection-reason-required'],
        [[2000.001, 2000], [500, 500], 422, 'received-exceeds-shipped'],
      ] as const) {
        await expectNothingAppended(app.t, async () => {
          const response = await post(app.t, `/v1/manifests/${manifestNo}/receipt`, tokens.receiver, {
            occurredAt: '2026-03-02T15:00:00+08:00',
            lines: [
              { traceCode: code.x, receivedKg: x[0], acceptedKg: x[1] },
              { traceCode: code.c, receivedKg: c[0], acceptedKg: c[1] },
            ],
          });
          expectProblem(response, status, { rule });
        });
      }
      const response = await post(
        app.t,
        `/v1/manifests/${manifestNo}/receipt`,
        tokens.receiver,
        receiptBody,
        receiptKey,
      );
      await expectWritten(response, manifestStream(manifestNo));
      receiptAnswer = {
        status: response.status,
        body: response.body,
        position: response.headers['x-ledger-position'],
      };
      const lineOf = (traceCode: string) =>
        (response.body.lines as { traceCode: string }[]).find((l) => l.traceCode === traceCode);
      expect(lineOf(code.x)).toEqual({
        traceCode: code.x,
        outcome: 'accepted',
        shippedKg: 2000,
        receivedKg: 1880,
        acceptedKg: 1880,
        rejectedKg: 0,
        lostKg: 120,
        discrepancy: true,
      });
      // the child back with the shipper: c's prefix, a random part of its own, 22 characters
      code.returned = String(
        (response.body.lines as { traceCode: string; returnedTraceCode?: string }[]).find(
          (l) => l.traceCode === code.c,
        )?.returnedTraceCode,
      );
      expect(code.returned).toHaveLength(22);
      expect(code.returned.slice(0, 13)).toBe(code.c.slice(0, 13));
      expect(lineOf(code.c)).toEqual({
        traceCode: code.c,
        outcome: 'partial',
        shippedKg: 500,
        receivedKg: 500,
        acceptedKg: 420,
        rejectedKg: 80,
        lostKg: 0,
        discrepancy: false,
        returnedTraceCode: code.returned,
      });
      const manifest = await eventsOf(app.t, manifestStream(manifestNo));
      expect(manifest.map((e) => e.type)).toEqual(['ManifestIssued', 'ManifestPickedUp', 'ManifestReceived']);
      expect(manifest[2].data).toMatchObject({ manifestNo, receiverUscc: RECEIVER, tolerance: 0.05 });

      expect(await typesOf(app.t, batchStream(code.x))).toEqual([
        'BatchesConsolidated',
        'BatchConsigned',
        'BatchShipped',
        'BatchLostInTransit',
        'BatchReceived',
      ]);
      const x = await eventsOf(app.t, batchStream(code.x));
      expect(x[3].data).toMatchObject({ manifestNo, lostGrams: 120000, remainingGrams: 1880000 });
      expect(x[4].data).toEqual({
        traceCode: code.x,
        manifestNo,
        receiverUscc: RECEIVER,
        previousCustodianUscc: GENERATOR,
        massGrams: 1880000,
        occurredAt: '2026-03-02T15:00:00+08:00',
        late: false,
      });

      expect(await typesOf(app.t, batchStream(code.c))).toEqual([
        'WasteGenerated',
        'BatchConsigned',
        'BatchShipped',
        'BatchRejectionSplitOff',
        'BatchReceived',
      ]);
      const c = await eventsOf(app.t, batchStream(code.c));
      expect(c[3].data).toMatchObject({
        manifestNo,
        childTraceCode: code.returned,
        childIndex: 0,
        massGrams: 80000,
        reason: '含水率超标，部分拒收',
        remainingGrams: 420000,
      });
      expect(c[4].data).toMatchObject({ receiverUscc: RECEIVER, massGrams: 420000 });

      const [returned, ...more] = await eventsOf(app.t, batchStream(code.returned));
      expect(more).toEqual([]);
      expect(returned.type).toBe('BatchReturnedFromRejection');
      expect(returned.data).toMatchObject({
        traceCode: code.returned,
        parentTraceCode: code.c,
        manifestNo,
        custodianUscc: GENERATOR,
        massGrams: 80000,
        reason: '含水率超标，部分拒收',
      });
      expect(returned.metadata.prevHash).toBeNull();
      expectRequestMetadata(returned, `party:${RECEIVER}`, receiptKey);
    },
  );

  step(
    'a retry of the receipt gets the first answer again and appends nothing; another body under its key is 422',
    async () => {
      await expectNothingAppended(app.t, async () => {
        const again = await post(
          app.t,
          `/v1/manifests/${manifestNo}/receipt`,
          tokens.receiver,
          receiptBody,
          receiptKey,
        );
        expect(again.status).toBe(receiptAnswer.status);
        expect(again.body).toEqual(receiptAnswer.body);
        expect(again.headers['idempotency-replayed']).toBe('true');
        expect(again.headers['x-ledger-position']).toBe(receiptAnswer.position);
        const reused = await post(
          app.t,
          `/v1/manifests/${manifestNo}/receipt`,
          tokens.receiver,
          { ...(receiptBody as object), occurredAt: '2026-03-02T15:01:00+08:00' },
          receiptKey,
        );
        expectProblem(reused, 422, { rule: 'idempotency-key-reused' });
      });
    },
  );

  step(
    'the receiver incinerates what it accepted (D10); the shipper cannot treat the returned part without a permit',
    async () => {
      clock.set('2026-03-03T02:00:00Z');
      const treated: [string, number][] = [
        [code.x, 1880],
        [code.c, 420],
      ];
      for (const [batch, massKg] of treated) {
        const key = `treat-${batch}`;
        const response = await post(
          app.t,
          `/v1/batches/${batch}/treatments`,
          tokens.receiver,
          { operation: 'd10', massKg, occurredAt: '2026-03-03T09:30:00+08:00' },
          key,
        );
        await expectWritten(response, batchStream(batch));
        expect(response.body).toMatchObject({
          traceCode: batch,
          event: 'WasteDisposed',
          operation: 'D10',
          mode: 'incineration',
          massKg,
          remainingKg: 0,
          permitNo: '3301000012',
        });
        const last = (await eventsOf(app.t, batchStream(batch))).at(-1) as RecordedEvent;
        expect(last.type).toBe('WasteDisposed');
        expect(last.data).toEqual({
          traceCode: batch,
          custodianUscc: RECEIVER,
          operation: 'D10',
          mode: 'incineration',
          massGrams: massKg * 1000,
          composition: oilComposition(massKg * 1000),
          permitNo: '3301000012',
          remainingGrams: 0,
          occurredAt: '2026-03-03T09:30:00+08:00',
          late: false,
        });
        expectRequestMetadata(last, `party:${RECEIVER}`, key);
      }
      await expectNothingAppended(app.t, async () => {
        const response = await post(app.t, `/v1/batches/${code.returned}/treatments`, tokens.generator, {
          operation: 'D10',
          massKg: 80,
          occurredAt: '2026-03-03T09:30:00+08:00',
        });
        expectProblem(response, 422, { rule: 'no-permit' });
      });
      // nothing left at the receiver: treating again exceeds what it holds (batch depleted)
      await expectNothingAppended(app.t, async () => {
        const response = await post(app.t, `/v1/batches/${code.x}/treatments`, tokens.receiver, {
          operation: 'D10',
          massKg: 1,
          occurredAt: '2026-03-03T09:40:00+08:00',
        });
        expectProblem(response, 422, { rule: 'batch-depleted' });
      });
    },
  );

  step('the process manager found every batch in step already: it wrote nothing', async () => {
    const pm = app.t.app.get(ManifestCustodyProcessManager);
    const [received] = (await eventsOf(app.t, manifestStream(manifestNo))).slice(-1);
    await pm.waitFor(received.position);
    expect(pm.status()).toMatchObject({ running: true, written: 0, skipped: 0 });
    const log = await everything(app.t);
    expect(log.filter((e) => e.metadata.actor === MANIFEST_CUSTODY_ACTOR)).toEqual([]);
  });

  step(
    'every stream verifies: hash chain over JCS, prevHash linking each event to the one before',
    async () => {
      const log = await everything(app.t);
      const streams = [...new Set(log.map((e) => e.stream))];
      // parties, tokens, batches, the manifest and its city's serial counter (idempotency records are
      // bookkeeping beside the log, no longer streams of their own)
      expect(streams.length).toBeGreaterThan(14);
      for (const stream of streams) {
        if (stream.startsWith('$checkpoint-')) continue;
        const report = verifyStreamIntegrity(await eventsOf(app.t, stream));
        expect({ stream, verified: report.verified, firstBreak: report.firstBreak }).toEqual({
          stream,
          verified: true,
          firstBreak: null,
        });
      }
      // every event id is unique, and the domain streams hold exactly what the flow wrote
      expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
      const domain = log.filter((e) => /^(party|batch|manifest)-/.test(e.stream));
      // parties 3, permit 1, generated 3, consolidation 3, issue 3, pickup 3, receipt 6 + its draw on the
      // receiver's permit capacity 1, treatments 2
      expect(domain).toHaveLength(25);
    },
  );
});

describe.each(kinds)('POST /v1/commands (%s)', (kind) => {
  let generatorToken = '';
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  const { app, step } = flowApp(kind, { suiteFile: `${__filename}-bulk`, clock });
  /** POST /v1/commands with a bearer token. */
  const bulk = (token: string, commands: unknown) =>
    app.t.http.post('/v1/commands').set('Authorization', `Bearer ${token}`).send({ commands });
  /** The generator's registration, as the first item and its replays send it. */
  const registerGenerator = {
    type: 'register-party',
    idempotencyKey: 'bulk-register-g',
    body: {
      uscc: GENERATOR,
      name: '杭州西湖精细化工有限公司',
      roles: ['generator', 'carrier'],
      districtCode: '330106',
    },
  };
  const tenKg = {
    category: 'hazardous',
    wasteCode: '900-249-08',
    massKg: 10,
    occurredAt: '2026-03-02T09:00:00+08:00',
  };
  const splitFour = { partsKg: [4], occurredAt: '2026-03-02T09:05:00+08:00' };

  step(
    'runs items in order, each on its own: a later item uses an earlier one, refusals stand alone',
    async () => {
      const response = await bulk(app.t.adminToken, [
        registerGenerator,
        // depends on the item before it (the party must be registered)
        {
          type: 'issue-token',
          idempotencyKey: 'bulk-token-g',
          body: { kind: 'party', partyUscc: GENERATOR },
        },
        // the same key and request again inside the request: the first answer, nothing more
        registerGenerator,
        // the same key with another request: 422
        {
          type: 'register-party',
          idempotencyKey: 'bulk-register-g',
          body: { uscc: GENERATOR, name: 'x', roles: ['generator'], districtCode: '330106' },
        },
        // invalid body: 400 naming the field
        {
          type: 'register-party',
          idempotencyKey: 'bulk-bad',
          body: { uscc: GENERATOR, name: 'x', roles: ['pilot'], districtCode: '330106', extra: 1 },
        },
        // a kind the admin may not run: 403
        {
          type: 'generate-waste',
          idempotencyKey: 'bulk-generate',
          body: {
            category: 'household',
            subtype: 'other',
            massKg: 1,
            occurredAt: '2026-03-02T09:00:00+08:00',
          },
        },
        // a domain conflict: 409
        {
          type: 'register-party',
          idempotencyKey: 'bulk-register-g-again',
          body: {
            uscc: GENERATOR,
            name: '杭州西湖精细化工有限公司',
            roles: ['generator'],
            districtCode: '330106',
          },
        },
        { type: 'teleport-waste', idempotencyKey: 'bulk-unknown', body: {} },
      ]);
      expect(response.status).toBe(200);
      const results = response.body.results as {
        index: number;
        type: string;
        status: number;
        replayed?: boolean;
        body: Record<string, unknown>;
      }[];
      expect(results.map((r) => [r.index, r.status])).toEqual([
        [0, 201],
        [1, 201],
        [2, 201],
        [3, 422],
        [4, 400],
        [5, 403],
        [6, 409],
        [7, 400],
      ]);
      expect(results[0].body).toMatchObject({
        uscc: GENERATOR,
        stream: partyStream(GENERATOR),
        revision: '0',
      });
      expect(results[1].body).toMatchObject({
        kind: 'party',
        partyUscc: GENERATOR,
        token: expect.stringMatching(/^wf_/),
      });
      expect(results[2]).toMatchObject({ replayed: true, body: results[0].body });
      expect(results[3].body.rule).toBe('idempotency-key-reused');
      expect((results[4].body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'extra',
        'roles',
      ]);
      expect(results[5].body.rule).toBe('forbidden');
      expect(results[6].body.rule).toBe('party-already-registered');
      expect(results[7].body.errors).toEqual([expect.objectContaining({ field: 'type' })]);
      expect(response.headers['x-ledger-position']).toBe(results[1].body.position);
      expect(await typesOf(app.t, partyStream(GENERATOR))).toEqual(['PartyRegistered']);
      generatorToken = results[1].body.token as string;

      // the whole request again: every item answers as before, nothing appended (the token is shown once)
      await expectNothingAppended(app.t, async () => {
        const again = await bulk(app.t.adminToken, [registerGenerator]);
        expect(again.body.results[0]).toMatchObject({ status: 201, replayed: true, body: results[0].body });
      });
    },
  );

  step(
    'an item answers exactly like its single request: a bulk retry of a single request is a replay',
    async () => {
      const single = await post(app.t, '/v1/batches', generatorToken, tenKg, 'single-then-bulk');
      expect(single.status).toBe(201);
      const split = await post(
        app.t,
        `/v1/batches/${single.body.traceCode.toLowerCase()}/split`,
        generatorToken,
        splitFour,
        'split-single-then-bulk',
      );
      expect(split.status).toBe(201);
      await expectNothingAppended(app.t, async () => {
        const again = await bulk(generatorToken, [
          { type: 'generate-waste', idempotencyKey: 'single-then-bulk', body: tenKg },
          {
            type: 'split-batch',
            idempotencyKey: 'split-single-then-bulk',
            body: { traceCode: single.body.traceCode, ...splitFour },
          },
        ]);
        expect(again.body.results).toEqual([
          { index: 0, type: 'generate-waste', status: 201, replayed: true, body: single.body },
          { index: 1, type: 'split-batch', status: 201, replayed: true, body: split.body },
        ]);
      });
    },
  );

  step('refuses an empty or oversized request as a whole (400)', async () => {
    await expectNothingAppended(app.t, async () => {
      for (const commands of [
        [],
        Array.from({ length: 1001 }, () => ({ type: 'generate-waste', idempotencyKey: 'k', body: {} })),
        'x',
      ]) {
        const response = await bulk(generatorToken, commands);
        expect(response.status).toBe(400);
        expect(response.body.errors[0].field).toBe('commands');
      }
    });
  });

  step('ingests 1,000 generate-waste items in grouped commits (throughput printed)', async () => {
    const commands = Array.from({ length: 1000 }, (_, i) => ({
      type: 'generate-waste',
      idempotencyKey: `bulk-1000-${i}`,
      body: {
        category: i % 2 === 0 ? 'hazardous' : 'household',
        ...(i % 2 === 0 ? { wasteCode: '900-249-08' } : { subtype: 'perishable' }),
        massKg: 1 + (i % 97) / 10,
        occurredAt: '2026-03-02T09:00:00+08:00',
      },
    }));
    const before = await app.t.headPosition();
    const started = process.hrtime.bigint();
    const response = await bulk(generatorToken, commands);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(response.status).toBe(200);
    expect(response.body.results.filter((r: { status: number }) => r.status === 201)).toHaveLength(1000);
    const events = (await app.t.store.readAll({ after: before })).filter((e) => e.type === 'WasteGenerated');
    expect(events).toHaveLength(1000);
    expect(new Set(events.map((e) => e.stream)).size).toBe(1000);
    // each item's answer names exactly its own event: stream, revision, position, id
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const result of response.body.results as { body: Record<string, string & string[]> }[]) {
      const stored = byId.get(result.body.eventIds[0]);
      expect(stored && [stored.stream, stored.revision.toString(), stored.position.toString()]).toEqual([
        result.body.stream,
        result.body.revision,
        result.body.position,
      ]);
    }
    // grouped: far fewer commits than items (postgres positions carry the commit's transaction id)
    console.log(
      `[bulk ${kind}] 1,000 generate-waste items in ${seconds.toFixed(3)} s over HTTP: ${Math.round(1000 / seconds)} commands/s (1,000 events, their 1,000 idempotency records beside the log)`,
    );
  });
});

describe('the write side at the edge (sqlite)', () => {
  let t: TestApp;
  let generatorToken = '';
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  const batch = {
    category: 'hazardous',
    wasteCode: '900-249-08',
    massKg: 12.5,
    occurredAt: '2026-03-02T09:00:00+08:00',
  };

  beforeAll(async () => {
    t = await startTestApp('sqlite', {
      suiteFile: `${__filename}-edge`,
      clock,
      env: { WASTEFLOW_HW_CATALOGUE: join(__dirname, '..', 'catalogue', 'hw-list-2021.csv') },
    });
    await post(t, '/v1/parties', t.adminToken, {
      uscc: GENERATOR,
      name: '杭州西湖精细化工有限公司',
      roles: ['generator', 'carrier'],
      districtCode: '330106',
    });
    await post(t, '/v1/parties', t.adminToken, {
      uscc: RECEIVER,
      name: '杭州钱塘固废处置有限公司',
      roles: ['receiver'],
      districtCode: '330114',
    });
    generatorToken = (await post(t, '/v1/tokens', t.adminToken, { kind: 'party', partyUscc: GENERATOR })).body
      .token;
  });
  afterAll(async () => t?.close());

  it('needs an Idempotency-Key on every write (400 naming the header), a token (401) and the right kind (403)', async () => {
    await expectNothingAppended(t, async () => {
      for (const key of [null, '', 'x'.repeat(201), 'tab\there']) {
        const response = await post(t, '/v1/batches', generatorToken, batch, key);
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.errors[0].field).toBe('Idempotency-Key');
      }
      expect((await post(t, '/v1/batches', undefined, batch)).status).toBe(401);
      expect((await post(t, '/v1/batches', 'Bearer-less', batch)).status).toBe(401);
      const wrongKind = await post(t, '/v1/parties', generatorToken, {
        uscc: CARRIER,
        name: 'x',
        roles: ['carrier'],
        districtCode: '330109',
      });
      expectProblem(wrongKind, 403, { rule: 'forbidden' });
    });
  });

  it('refuses malformed input with field-level problems and never answers 500', async () => {
    const cases: [string, unknown, number, string][] = [
      ['/v1/batches', { ...batch, massKg: 1.0001 }, 400, 'massKg'],
      ['/v1/batches', { ...batch, massKg: '12.5' }, 400, 'massKg'],
      ['/v1/batches', { ...batch, occurredAt: '2026-03-02 09:00' }, 400, 'occurredAt'],
      ['/v1/batches', { ...batch, wasteCode: '900-249-42' }, 400, 'wasteCode'],
      ['/v1/batches', { ...batch, extra: true }, 400, 'extra'],
      ['/v1/batches', [batch], 400, ''],
      ['/v1/batches', {}, 400, 'category'],
      [
        '/v1/batches/330106W2603027K2M9QXA0/split',
        { partsKg: [1], occurredAt: batch.occurredAt },
        400,
        'code',
      ],
      [
        '/v1/manifests/2026330100001/pickup',
        { vehiclePlate: '浙A12345', occurredAt: batch.occurredAt },
        400,
        'no',
      ],
      [
        '/v1/consolidations',
        { lines: [{ traceCode: 'x', massKg: 1 }, 'y'], occurredAt: batch.occurredAt },
        400,
        'lines',
      ],
    ];
    await expectNothingAppended(t, async () => {
      for (const [path, body, status, field] of cases) {
        const response = await post(t, path, generatorToken, body);
        expect({ path, body, status: response.status }).toEqual({ path, body, status });
        if (field !== '') {
          const fields = (response.body.errors ?? []).map((e: { field: string }) => e.field);
          expect(fields.some((f: string) => f.startsWith(field))).toBe(true);
        }
      }
      // not JSON at all
      const garbage = await t.http
        .post('/v1/batches')
        .set('Authorization', `Bearer ${generatorToken}`)
        .set('Idempotency-Key', 'garbage')
        .set('Content-Type', 'application/json')
        .send('{"category": ');
      expect(garbage.status).toBe(400);
      expect(garbage.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  it('checks hazardous codes against the loaded catalogue (WASTEFLOW_HW_CATALOGUE, edition from the file name)', async () => {
    await expectNothingAppended(t, async () => {
      const response = await post(t, '/v1/batches', generatorToken, { ...batch, wasteCode: '900-250-08' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ rule: 'unknown-waste-code', edition: '2021' });
    });
    const listed = await post(t, '/v1/batches', generatorToken, batch);
    expect(listed.status).toBe(201);
    const [generated] = await eventsOf(t, listed.body.stream);
    expect(generated.data.catalogueEdition).toBe('2021');
  });

  it('refuses to start with a catalogue file it cannot use, saying which and why', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'wasteflow-catalogue-'));
    try {
      const bad = join(dir, 'hw-list-2025.csv');
      writeFileSync(bad, 'code,category\n900-249-08,HW09\n');
      for (const [path, message] of [
        [join(dir, 'missing.csv'), /WASTEFLOW_HW_CATALOGUE=.*missing\.csv: cannot read/],
        [
          bad,
          /WASTEFLOW_HW_CATALOGUE=.*hw-list-2025\.csv: not a usable catalogue: .*2025 line 2: 900-249-08 does not end in the number of HW09/,
        ],
      ] as const) {
        const config = loadApiConfig({
          WASTEFLOW_DATA_DIR: dir,
          WASTEFLOW_ADMIN_TOKEN: 'x',
          WASTEFLOW_HW_CATALOGUE: path,
        });
        await expect(createApp({ config, logger: false })).rejects.toThrow(message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers concurrent duplicates (same key, same body) once: one event, the same 201 body for all', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(t, '/v1/batches', generatorToken, { ...batch, massKg: 7 }, 'concurrent-duplicate'),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(await typesOf(t, answers[0].body.stream)).toEqual(['WasteGenerated']);
  });

  it('never gives two manifests of one city the same number, also when issued concurrently', async () => {
    const permit = await post(t, '/v1/tokens', t.adminToken, {
      kind: 'regulator',
      districts: ['33'],
      categories: ['hazardous'],
    });
    await post(t, `/v1/parties/${RECEIVER}/permits`, permit.body.token, {
      permitNo: 'P-1',
      hwCategories: ['HW08'],
      operations: ['D10'],
      annualCapacityKg: 1000000,
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
    });
    const codes = await Promise.all(
      Array.from(
        { length: 6 },
        async () => (await post(t, '/v1/batches', generatorToken, batch)).body.traceCode as string,
      ),
    );
    const issued = await Promise.all(
      codes.map((code) =>
        post(t, '/v1/manifests', generatorToken, {
          lines: [{ traceCode: code }],
          carrierUscc: GENERATOR,
          receiverUscc: RECEIVER,
          plannedAt: '2026-03-02T13:00:00+08:00',
        }),
      ),
    );
    expect(issued.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(issued.map((r) => r.body.manifestNo).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `20263301${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('serves the OpenAPI document at /docs and /docs-json: bearer auth, an example for every body, problems as problem+json', async () => {
    const html = await t.http.get('/docs');
    expect(html.status).toBe(200);
    expect(html.text).toContain('swagger');
    const { body: doc } = await t.http.get('/docs-json').expect(200);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const writes = Object.entries(doc.paths as Record<string, { post?: Record<string, unknown> }>).filter(
      ([, p]) => p.post,
    );
    expect(writes.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        '/v1/parties',
        '/v1/parties/{uscc}/permits',
        '/v1/parties/{uscc}/permits/{permitNo}/revoke',
        '/v1/tokens',
        '/v1/batches',
        '/v1/batches/{code}/split',
        '/v1/consolidations',
        '/v1/manifests',
        '/v1/manifests/{no}/pickup',
        '/v1/manifests/{no}/receipt',
        '/v1/manifests/{no}/cancel',
        '/v1/batches/{code}/treatments',
        '/v1/batches/{code}/correction-requests',
        '/v1/batches/{code}/correction-requests/{requestId}/approve',
        '/v1/batches/{code}/correction-requests/{requestId}/reject',
        '/v1/commands',
      ]),
    );
    const schemas = doc.components.schemas as Record<
      string,
      { properties?: Record<string, { example?: unknown }> }
    >;
    for (const [path, item] of writes) {
      const post = item.post as {
        security: unknown[];
        requestBody: { content: { 'application/json': { schema: { $ref: string }; examples?: unknown } } };
        responses: Record<string, { content?: Record<string, unknown> }>;
      };
      expect({ path, security: post.security }).toEqual({ path, security: [{ bearer: [] }] });
      // a file upload (POST /v1/imports) has no JSON body to give examples for
      if (!post.requestBody?.content?.['application/json']) continue;
      const json = post.requestBody.content['application/json'];
      const schema = schemas[json.schema.$ref.split('/').pop() as string];
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        expect({ path, name, hasExample: property.example !== undefined }).toEqual({
          path,
          name,
          hasExample: true,
        });
      }
      for (const status of ['400', '401', '403']) {
        expect({ path, status, content: Object.keys(post.responses[status]?.content ?? {}) }).toEqual({
          path,
          status,
          content: ['application/problem+json'],
        });
      }
    }
  });
});
