import * as QRCode from 'qrcode';
import { composeTraceCode, formatTraceCode } from '@wasteflow/domain';
import { describeEachStore, expect201, expectProblem, PARTIES, PLATE, send } from './support/fixtures';
import { readSideSuite, STEPS_OF_A } from './support/read-side-suite';

/** A well-formed trace code nobody generated, whose check character is `check` (to test percent-decoding). */
function unknownCodeEndingWith(check: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  for (let i = 0; i < 100_000; i += 1) {
    let n = i;
    let random = '';
    for (let k = 0; k < 8; k += 1) {
      random += alphabet[n % 32];
      n = Math.floor(n / 32);
    }
    const code = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '260302',
      randomPart: random,
    });
    if (code.endsWith(check)) return code;
  }
  throw new Error(`no code ending with ${check}`);
}

/** The same code with its check character replaced: well-formed, but mistyped. */
function mistyped(code: string): string {
  const check = code.slice(-1);
  return code.slice(0, -1) + (check === '0' ? '1' : '0');
}

const SUITE = 'trace view (GET /v1/batches/{code}, /v1/trace/{code}, qr.svg)';

/** The api's own HTML page (no console built); the console's page is tested in console.e2e and test/browser. */
const OWN_PAGE_ENV = {
  WASTEFLOW_PUBLIC_URL: 'https://wasteflow.example.cn/',
  WASTEFLOW_CONSOLE_DIR: '/nonexistent/console',
};

describeEachStore(SUITE, (kind) => {
  const suite = readSideSuite(kind, SUITE, __filename, 'trace', { env: OWN_PAGE_ENV });
  const { app, h, regulators, get, tokenOf } = suite;

  it('shows a batch through its whole life: origin, custody, every step with actor, time, mass, vehicle, manifest, operation', async () => {
    const response = await get(`/v1/batches/${h.a}?minPosition=${h.position}`, tokenOf('generator')).expect(
      200,
    );
    const view = response.body;
    expect(view).toMatchObject({
      traceCode: h.a,
      category: 'hazardous',
      subtype: null,
      wasteCode: '900-249-08',
      origin: {
        generatorUscc: PARTIES.generator.uscc,
        districtCode: '330106',
        generatedAt: '2026-03-02T09:00:00+08:00',
        creation: 'generated',
        composition: [
          {
            districtCode: '330106',
            category: 'hazardous',
            wasteCode: '900-249-08',
            generatedMonth: '2026-03',
            kg: 10,
          },
        ],
      },
      generatedKg: 10,
      heldKg: 0,
      custodianUscc: PARTIES.receiver.uscc,
      status: 'depleted',
      openManifest: null,
      parents: [],
      children: [h.a1],
      discrepancies: [],
    });
    expect(BigInt(view.position)).toBeGreaterThanOrEqual(BigInt(h.position));
    expect(view.steps.map((s: { type: string }) => s.type)).toEqual(STEPS_OF_A);
    const [generated, split, consigned, shipped, received, disposed, utilised] = view.steps;
    expect(generated).toMatchObject({
      actorUscc: PARTIES.generator.uscc,
      massKg: 10,
      late: false,
      occurredAt: '2026-03-02T09:00:00+08:00',
    });
    expect(generated.recordedAt).toBe('2026-03-02T02:00:00.000Z');
    expect(split).toMatchObject({ actorUscc: PARTIES.generator.uscc, massKg: 3, relatedTraceCodes: [h.a1] });
    expect(consigned).toMatchObject({
      actorUscc: PARTIES.generator.uscc,
      counterpartyUscc: PARTIES.receiver.uscc,
      carrierUscc: PARTIES.carrier.uscc,
      manifestNo: h.m1,
      massKg: 7,
    });
    expect(shipped).toMatchObject({
      actorUscc: PARTIES.carrier.uscc,
      counterpartyUscc: PARTIES.generator.uscc,
      manifestNo: h.m1,
      vehiclePlate: expect.stringMatching(/^浙A12345$/),
      massKg: 7,
    });
    expect(received).toMatchObject({
      actorUscc: PARTIES.receiver.uscc,
      counterpartyUscc: PARTIES.generator.uscc,
      manifestNo: h.m1,
      massKg: 7,
    });
    expect(disposed).toMatchObject({
      actorUscc: PARTIES.receiver.uscc,
      operation: 'D10',
      mode: 'incineration',
      massKg: 3,
      permitNo: '3301000101',
    });
    expect(utilised).toMatchObject({
      actorUscc: PARTIES.receiver.uscc,
      operation: 'R9',
      mode: 'utilisation',
      massKg: 4,
    });
    const positions = view.steps.map((s: { position: string }) => BigInt(s.position));
    expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
    expect(PLATE).toBe('浙A12345');
  });

  it('shows lineage both ways and the discrepancy of a consolidated batch lost and partly rejected in transit', async () => {
    const x = (await get(`/v1/batches/${h.x}`, tokenOf('generator')).expect(200)).body;
    expect(x).toMatchObject({
      parents: [h.b, h.c].sort(),
      children: [h.xReturned],
      origin: {
        generatorUscc: PARTIES.generator.uscc,
        districtCode: '330106',
        creation: 'consolidated',
        generatedAt: '2026-03-02T09:20:00+08:00',
      },
      generatedKg: 10,
      heldKg: 7,
      custodianUscc: PARTIES.receiver.uscc,
      status: 'held',
      discrepancies: [{ manifestNo: h.m1, shippedKg: 10, receivedKg: 9, lostKg: 1, toleranceExceeded: true }],
    });
    expect(x.origin.composition.reduce((sum: number, s: { kg: number }) => sum + s.kg, 0)).toBe(10);
    expect(x.steps.map((s: { type: string }) => s.type)).toEqual([
      'BatchesConsolidated',
      'BatchConsigned',
      'BatchShipped',
      'BatchLostInTransit',
      'BatchRejectionSplitOff',
      'BatchReceived',
    ]);
    expect(x.steps[0]).toMatchObject({ relatedTraceCodes: [h.b, h.c].sort(), massKg: 10 });
    expect(x.steps[3]).toMatchObject({
      actorUscc: PARTIES.receiver.uscc,
      counterpartyUscc: PARTIES.carrier.uscc,
      massKg: 1,
      manifestNo: h.m1,
    });
    expect(x.steps[4]).toMatchObject({
      massKg: 2,
      reason: '含水率超标，2 kg 拒收退回',
      relatedTraceCodes: [h.xReturned],
    });

    const b = (await get(`/v1/batches/${h.b}`, tokenOf('generator')).expect(200)).body;
    expect(b).toMatchObject({
      children: [h.x],
      heldKg: 0,
      status: 'depleted',
      custodianUscc: PARTIES.generator.uscc,
    });
    expect(b.steps.map((s: { type: string }) => s.type)).toEqual(['WasteGenerated', 'BatchConsolidatedInto']);

    const returned = (await get(`/v1/batches/${h.xReturned}`, tokenOf('generator')).expect(200)).body;
    expect(returned).toMatchObject({
      parents: [h.x],
      children: [],
      origin: { creation: 'returned', generatorUscc: PARTIES.generator.uscc, districtCode: '330106' },
      generatedKg: 2,
      heldKg: 2,
      custodianUscc: PARTIES.generator.uscc,
      status: 'held',
    });
    expect(returned.steps).toEqual([
      expect.objectContaining({
        type: 'BatchReturnedFromRejection',
        actorUscc: PARTIES.receiver.uscc,
        counterpartyUscc: PARTIES.generator.uscc,
        manifestNo: h.m1,
        massKg: 2,
        reason: '含水率超标，2 kg 拒收退回',
      }),
    ]);
  });

  it('shows a correction (signed mass), a cancelled manifest and a full rejection back to the shipper', async () => {
    const a1 = (await get(`/v1/batches/${h.a1}`, tokenOf('generator')).expect(200)).body;
    expect(a1).toMatchObject({
      parents: [h.a],
      generatedKg: 3,
      heldKg: 2,
      custodianUscc: PARTIES.generator.uscc,
      status: 'held',
    });
    expect(a1.steps.map((s: { type: string }) => s.type)).toEqual([
      'BatchSplitOff',
      'MassCorrectionRequested',
      'MassCorrectionApproved',
      'MassCorrected',
      'BatchConsigned',
      'BatchShipped',
      'BatchReturnedToShipper',
    ]);
    expect(a1.steps[1]).toMatchObject({ massKg: -1, requestId: 'cr-1', actorUscc: PARTIES.generator.uscc });
    expect(a1.steps[2]).toMatchObject({ massKg: 0, requestId: 'cr-1', decidedBy: { kind: 'regulator' } });
    expect(a1.steps[3]).toMatchObject({
      massKg: -1,
      reason: '地磅复核：原登记含包装桶皮重',
      actorUscc: PARTIES.generator.uscc,
      requestId: 'cr-1',
      decidedBy: { kind: 'regulator' },
    });
    expect(a1.corrections).toEqual([
      expect.objectContaining({ requestId: 'cr-1', status: 'approved', deltaKg: -1 }),
    ]);
    expect(a1.steps[6]).toMatchObject({
      actorUscc: PARTIES.otherReceiver.uscc,
      counterpartyUscc: PARTIES.generator.uscc,
      manifestNo: h.m3,
      reason: '包装破损，整批拒收',
      massKg: 2,
    });
    expect(a1.discrepancies).toEqual([]);
    const d = (await get(`/v1/batches/${h.d}`, tokenOf('generator')).expect(200)).body;
    expect(d.steps.map((s: { type: string }) => s.type)).toEqual([
      'WasteGenerated',
      'BatchConsigned',
      'BatchConsignmentReleased',
    ]);
    expect(d.steps[2]).toMatchObject({
      manifestNo: h.m2,
      reason: '车辆临时调度，改期转移',
      actorUscc: PARTIES.generator.uscc,
      massKg: 5,
    });
    expect(d).toMatchObject({ status: 'held', openManifest: null });
  });

  it('lets the parties on the chain, regulators of its origin and category, and auditors read it; 403 for everyone else', async () => {
    const status = async (code: string, token: string | undefined) =>
      (await get(`/v1/batches/${code}`, token)).status;
    // a: generator (origin), carrier (carried it), receiver (holds it); not the other generator, carrier or receiver
    await suite.expectChainReadsOnly(`/v1/batches/${h.a}`);
    expect(await status(h.a, regulators.xihu)).toBe(200); // the origin district
    // the receiver's district: one scope rule for every read (origin, custodian or receiving district)
    expect(await status(h.a, regulators.qiantang)).toBe(200);
    expect(await status(h.a, regulators.industrial)).toBe(403); // another category
    expect(await status(h.a, undefined)).toBe(401);
    // a1 was split off before a travelled: the carrier and receiver of a are not on its chain …
    expect(await status(h.a1, tokenOf('receiver'))).toBe(403);
    // … but the carrier and the other receiver of its own manifest are
    expect(await status(h.a1, tokenOf('carrier'))).toBe(200);
    expect(await status(h.a1, tokenOf('otherReceiver'))).toBe(200);
    // a1 never came to the receiver's district: not that regulator's
    expect(await status(h.a1, regulators.qiantang)).toBe(403);
    // the rejection child inherits its parent's chain; e is the other generator's alone
    expect(await status(h.xReturned, tokenOf('receiver'))).toBe(200);
    expect(await status(h.e, tokenOf('otherGenerator'))).toBe(200);
    expect(await status(h.e, tokenOf('generator'))).toBe(403);
  });

  it('refuses a mistyped code with 400, answers an unknown one with 404, decodes and normalises the path', async () => {
    expectProblem(await get(`/v1/batches/${mistyped(h.a)}`, tokenOf('auditor')), 400, {
      rule: 'invalid-trace-code',
      fields: ['code'],
    });
    expectProblem(await get('/v1/batches/330106W26', tokenOf('auditor')), 400, {
      rule: 'invalid-trace-code',
    });
    for (const check of ['$', '=', '*', '~', 'U']) {
      const unknown = unknownCodeEndingWith(check);
      const encoded = encodeURIComponent(unknown);
      const response = await get(`/v1/batches/${encoded}`, tokenOf('auditor'));
      expectProblem(response, 404, { rule: 'batch-not-found' });
      // a percent-encoded, mistyped code stays 400
      expectProblem(
        await get(`/v1/batches/${encodeURIComponent(mistyped(unknown))}`, tokenOf('auditor')),
        400,
        {
          rule: 'invalid-trace-code',
        },
      );
    }
    // lower case, display form with hyphens, every character percent-encoded: the same batch
    for (const spelling of [
      h.a.toLowerCase(),
      formatTraceCode(h.a),
      [...h.a].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    ]) {
      const response = await get(`/v1/batches/${spelling}`, tokenOf('auditor')).expect(200);
      expect(response.body.traceCode).toBe(h.a);
    }
  });

  it('serves a public trace page without a token: category, origin district, status, steps and days only', async () => {
    const response = await get(`/v1/trace/${encodeURIComponent(h.a)}`)
      .set('Accept', 'application/json')
      .expect(200);
    expect(response.body).toEqual({
      traceCode: h.a,
      category: 'hazardous',
      subtype: null,
      wasteCode: '900-249-08',
      origin: { districtCode: '330106', generatedOn: '2026-03-02' },
      status: 'depleted',
      steps: STEPS_OF_A.map((type) => ({ type, date: '2026-03-02' })),
      position: expect.any(String),
    });
    const text = JSON.stringify(response.body);
    for (const party of Object.values(PARTIES)) expect(text).not.toContain(party.uscc);
    expect(text).not.toContain(PLATE);
    const html = await get(`/v1/trace/${h.a.toLowerCase()}`)
      .set('Accept', 'text/html,application/xhtml+xml')
      .expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain(h.a);
    expect(html.text).toContain('危险废物');
    expect(html.text).toContain('西湖区');
    for (const party of Object.values(PARTIES)) expect(html.text).not.toContain(party.uscc);
    expectProblem(await get(`/v1/trace/${mistyped(h.a)}`), 400, { rule: 'invalid-trace-code' });
    expectProblem(await get(`/v1/trace/${unknownCodeEndingWith('$')}`), 404, { rule: 'batch-not-found' });
  });

  it('draws the QR code of the public page (SVG) for those who may read the batch, from WASTEFLOW_PUBLIC_URL only', async () => {
    // what the client says about host and scheme is never printed (issue 10 row 12)
    const response = await get(`/v1/batches/${h.a}/qr.svg`, tokenOf('generator'))
      .set('Host', 'evil.example')
      .set('X-Forwarded-Proto', 'javascript')
      .set('X-Forwarded-Host', 'evil.example')
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = response.text ?? response.body.toString();
    const expected = await QRCode.toString(
      `https://wasteflow.example.cn/v1/trace/${encodeURIComponent(h.a)}`,
      {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      },
    );
    expect(svg).toBe(expected);
    expect((await get(`/v1/batches/${h.a}/qr.svg`, tokenOf('otherGenerator'))).status).toBe(403);
    expect((await get(`/v1/batches/${mistyped(h.a)}/qr.svg`, tokenOf('generator'))).status).toBe(400);
  });

  it('reads its own writes with minPosition; a malformed minPosition is 400', async () => {
    const write = await expect201(
      send(
        app.t,
        '/v1/batches',
        tokenOf('generator'),
        { category: 'industrial', subtype: 'slag', massKg: 2.5, occurredAt: '2026-03-02T09:00:00+08:00' },
        `ryw-${kind}`,
      ),
    );
    const response = await get(
      `/v1/batches/${write.body.traceCode}?minPosition=${write.body.position}`,
      tokenOf('generator'),
    ).expect(200);
    expect(response.body).toMatchObject({
      category: 'industrial',
      subtype: 'slag',
      generatedKg: 2.5,
      heldKg: 2.5,
    });
    expect(BigInt(response.body.position)).toBeGreaterThanOrEqual(BigInt(write.body.position));
    expectProblem(await get(`/v1/batches/${h.a}?minPosition=abc`, tokenOf('generator')), 400, {
      fields: ['minPosition'],
    });
  });

  if (kind === 'sqlite') {
    it('answers 503 projection-behind with the lag when minPosition is not reached in time', async () => {
      const head = await app.t.headPosition();
      const response = await get(`/v1/batches/${h.a}?minPosition=${head + 1000n}`, tokenOf('generator'));
      const body = expectProblem(response, 503, { rule: 'projection-behind' });
      expect(body).toMatchObject({
        minPosition: (head + 1000n).toString(),
        checkpoint: head.toString(),
        lag: '0',
      });
    }, 20_000);
  }
});
