import {
  AT,
  bytesOf,
  describeEachStore,
  expect201,
  expectProblem,
  extraUscc,
  Keys,
  PARTIES,
  PLATE,
  registerExtraParty,
  send,
} from '../support/fixtures';
import { readPdf } from '../support/pdf-reading';
import { sendBulk } from '../support/extra-fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'rules: several carriers, a manifest handed over in transit (多式联运, issue 16 item 5)';

const PLATE_2 = '浙B67890';
const PLACE = '宁波北仑港联运站';
/** Between the fixtures' pickup (10:01) and receipt (10:02). */
const HANDED_OVER = '2026-03-02T10:01:30+08:00';

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'multimodal');
  const keys = new Keys(`multimodal-${kind}`);
  /** A registered carrier that is on no manifest of this suite. */
  const strangerCarrier = extraUscc('330105', 77);
  let strangerToken: string;

  beforeAll(async () => {
    strangerToken = await registerExtraParty(app.t, keys, {
      uscc: strangerCarrier,
      name: '杭州拱墅危险货物运输有限公司',
      roles: ['carrier'],
      districtCode: '330105',
    });
  });

  const handOver = (manifestNo: string, token: string | undefined, body: Record<string, unknown> = {}) =>
    send(
      app.t,
      `/v1/manifests/${manifestNo}/handover`,
      token,
      {
        nextCarrierUscc: PARTIES.otherCarrier.uscc,
        vehiclePlate: PLATE_2,
        place: PLACE,
        occurredAt: HANDED_OVER,
        ...body,
      },
      keys.next(),
    );
  const read = async (path: string, token: string | undefined) =>
    app.t.http
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${await app.t.headPosition()}`)
      .set('Authorization', `Bearer ${token}`);

  it('pickup by carrier 1, hand-over to carrier 2, receipt from carrier 2: the manifest, the trace, the inventory and the 联单 show both legs', async () => {
    const code = await app.build.generate(12);
    const manifestNo = await app.build.issue([code]);
    await app.build.pickUp(manifestNo);

    const handed = await expect201(handOver(manifestNo, app.world.tokens.carrier));
    expect(handed.body).toMatchObject({
      manifestNo,
      status: 'picked_up',
      leg: 2,
      fromCarrierUscc: PARTIES.carrier.uscc,
      carrierUscc: PARTIES.otherCarrier.uscc,
      vehiclePlate: PLATE_2,
      place: PLACE,
      traceCodes: [code],
    });

    // carrier 1 has handed it on: it cannot hand it over again; nor can a party that was never its carrier
    expectProblem(await handOver(manifestNo, app.world.tokens.carrier), 403, { rule: 'not-current-carrier' });
    expectProblem(await handOver(manifestNo, strangerToken, { nextCarrierUscc: strangerCarrier }), 403, {
      rule: 'not-current-carrier',
    });
    expectProblem(await handOver(manifestNo, app.world.tokens.generator), 403, {
      rule: 'not-current-carrier',
    });

    // the custody in transit is with carrier 2 (legal custody stays with the shipper until receipt)
    const inventory = await read(`/v1/inventory`, app.world.tokens.generator);
    expect(inventory.status).toBe(200);
    const held = (inventory.body.batches as { traceCode: string }[]).find((b) => b.traceCode === code);
    expect(held).toMatchObject({
      status: 'in_transit',
      inTransitKg: 12,
      manifest: { manifestNo, carrierUscc: PARTIES.otherCarrier.uscc },
    });

    // the new carrier reads the manifest and the trace; a carrier not on the chain still cannot
    const manifest = await read(`/v1/manifests/${manifestNo}`, app.world.tokens.otherCarrier);
    expect(manifest.status).toBe(200);
    expect(manifest.body.currentCarrierUscc).toBe(PARTIES.otherCarrier.uscc);
    expect(manifest.body.legs).toEqual([
      {
        leg: 1,
        carrier: { uscc: PARTIES.carrier.uscc, name: PARTIES.carrier.name },
        vehiclePlate: PLATE,
        startedAt: AT.pickedUp,
      },
      {
        leg: 2,
        carrier: { uscc: PARTIES.otherCarrier.uscc, name: PARTIES.otherCarrier.name },
        vehiclePlate: PLATE_2,
        startedAt: HANDED_OVER,
        place: PLACE,
      },
    ]);
    const listed = await read(`/v1/manifests?status=picked_up`, app.world.tokens.otherCarrier);
    expect((listed.body.items as { manifestNo: string }[]).map((m) => m.manifestNo)).toContain(manifestNo);
    expect((await read(`/v1/batches/${code}`, app.world.tokens.otherCarrier)).status).toBe(200);
    expect((await read(`/v1/manifests/${manifestNo}`, strangerToken)).status).toBe(403);
    expect((await read(`/v1/batches/${code}`, strangerToken)).status).toBe(403);

    await app.build.receiveInFull(manifestNo, [{ traceCode: code, massKg: 12 }]);
    expectProblem(
      await handOver(manifestNo, app.world.tokens.otherCarrier, { nextCarrierUscc: PARTIES.carrier.uscc }),
      409,
      { rule: 'manifest-already-received' },
    );

    const trace = await read(`/v1/batches/${code}`, app.world.tokens.receiver);
    expect(trace.status).toBe(200);
    const legs = (trace.body.steps as { type: string }[]).filter(
      (s) => s.type === 'BatchShipped' || s.type === 'BatchHandedOver',
    );
    expect(legs).toMatchObject([
      { type: 'BatchShipped', actorUscc: PARTIES.carrier.uscc, vehiclePlate: PLATE, massKg: 12 },
      {
        type: 'BatchHandedOver',
        actorUscc: PARTIES.carrier.uscc,
        counterpartyUscc: PARTIES.otherCarrier.uscc,
        carrierUscc: PARTIES.otherCarrier.uscc,
        vehiclePlate: PLATE_2,
        place: PLACE,
        leg: 2,
        occurredAt: HANDED_OVER,
        massKg: 12,
      },
    ]);
    expect(trace.body).toMatchObject({ custodianUscc: PARTIES.receiver.uscc, heldKg: 12, status: 'held' });

    const audit = await read(`/v1/audit/streams/manifest-${manifestNo}`, app.world.tokens.auditor);
    expect(audit.status).toBe(200);
    const received = (audit.body.events as { type: string; data: Record<string, unknown> }[]).find(
      (e) => e.type === 'ManifestReceived',
    );
    // the receiver received from the last carrier
    expect(received?.data.carrierUscc).toBe(PARTIES.otherCarrier.uscc);

    const pdf = await app.t.http
      .get(`/v1/manifests/${manifestNo}.pdf?minPosition=${await app.t.headPosition()}`)
      .set('Authorization', `Bearer ${app.world.tokens.otherCarrier}`)
      .buffer(true)
      .parse(bytesOf);
    expect(pdf.status).toBe(200);
    const text = (await readPdf(pdf.body as Buffer)).pages.join('\n').replace(/\s+/g, '');
    for (const value of [
      `车牌号：${PLATE}`,
      `运输终点：${PLACE}`,
      `第2程承运人：${PARTIES.otherCarrier.name}`,
      `统一社会信用代码：${PARTIES.otherCarrier.uscc}`,
      `车牌号：${PLATE_2}`,
      `交接地点：${PLACE}`,
      '交接时间：2026-03-0210:01',
      '到达时间：2026-03-0210:02',
    ])
      expect(text).toContain(value);
  });

  it('refuses a hand-over before pickup (409), to itself or to a party without the carrier role (422), or without a place (400), each naming the rule and appending nothing', async () => {
    const code = await app.build.generate(3);
    const manifestNo = await app.build.issue([code]);
    expectProblem(await handOver(manifestNo, app.world.tokens.carrier), 409, {
      rule: 'manifest-not-picked-up',
    });
    await app.build.pickUp(manifestNo);
    expectProblem(
      await handOver(manifestNo, app.world.tokens.carrier, { nextCarrierUscc: PARTIES.carrier.uscc }),
      422,
      { rule: 'handover-to-self' },
    );
    expectProblem(
      await handOver(manifestNo, app.world.tokens.carrier, { nextCarrierUscc: PARTIES.receiver.uscc }),
      422,
      { rule: 'carrier-role-required' },
    );
    expectProblem(
      await handOver(manifestNo, app.world.tokens.carrier, { occurredAt: '2026-03-02T10:00:00+08:00' }),
      422,
      { rule: 'occurred-out-of-order' },
    );
    const { place: _place, ...withoutPlace } = {
      nextCarrierUscc: PARTIES.otherCarrier.uscc,
      vehiclePlate: PLATE_2,
      place: PLACE,
      occurredAt: HANDED_OVER,
    };
    expectProblem(
      await send(
        app.t,
        `/v1/manifests/${manifestNo}/handover`,
        app.world.tokens.carrier,
        withoutPlace,
        keys.next(),
      ),
      400,
      { fields: ['place'] },
    );
    const manifest = await read(`/v1/manifests/${manifestNo}`, app.world.tokens.carrier);
    expect(manifest.body.legs).toHaveLength(1);
    expect(manifest.body.currentCarrierUscc).toBe(PARTIES.carrier.uscc);
  });

  it('hands over in a bulk request (POST /v1/commands, type hand-over-manifest) like the single route', async () => {
    const code = await app.build.generate(2);
    const manifestNo = await app.build.issue([code]);
    await app.build.pickUp(manifestNo);
    const handOver = {
      manifestNo,
      nextCarrierUscc: PARTIES.otherCarrier.uscc,
      vehiclePlate: PLATE_2,
      place: PLACE,
      occurredAt: HANDED_OVER,
    };
    const response = await sendBulk(
      app.t,
      app.world.tokens.carrier,
      [{ type: 'hand-over-manifest', idempotencyKey: keys.next(), body: handOver }],
      keys.next(),
    );
    expect(response.status).toBeLessThan(300);
    expect(response.body.results[0]).toMatchObject({
      status: 201,
      body: { manifestNo, leg: 2, carrierUscc: PARTIES.otherCarrier.uscc },
    });
  });
});
