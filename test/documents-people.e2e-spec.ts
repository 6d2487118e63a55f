import { readFileSync } from 'node:fs';
import {
  batchBody,
  describeEachStore,
  expect201,
  expectProblem,
  extraUscc,
  PARTIES,
  PLATE,
  sendCommands,
  send,
} from './support/fixtures';
import { getDocument } from './support/documents';
import { readPdf } from './support/pdf-reading';
import { seededApp } from './support/seeded-app';
import { filesUnder, manifestPdfText, storedTextContaining } from './support/stored-text';
import { cliOn } from './support/store-cli';

/**
 * Personal data apart from the facts (issue 14 item 1, ADR 14) over HTTP on both stores: a pickup names its
 * driver and escort, the 联单 prints them (read with pdf.js), an admin erases the driver, the print then
 * shows 已删除, the stored data holds the name nowhere in clear (SQLite files / every PostgreSQL table of the
 * app), and the integrity verifier (CLI `verify`, the audit endpoint) still passes.
 */
const SUITE = 'documents-people';
const DRIVER = { name: '赵铁柱', phone: '13912345678' };
const ESCORT = { name: '钱押运', phone: '13787654321' };
const CONTACT = { name: '孙联络', phone: '13655556666' };
const LICENCE = '浙交运管许可杭字330100001234号';

describeEachStore(SUITE, 'people in documents, erasure (%s)', (kind) => {
  const app = seededApp(kind, SUITE, __filename, SUITE);

  const verify = () => cliOn(kind, app.t, 'verify');

  it('pickup with driver and escort → the 联单 prints them → admin erases the driver → 已删除, nothing in clear, the chain verified', async () => {
    const { manifestNo } = await app.build.consigned(12);
    const picked = await send(
      app.t,
      `/v1/manifests/${manifestNo}/pickup`,
      app.world.tokens.carrier,
      {
        vehiclePlate: PLATE,
        occurredAt: '2026-03-02T10:01:00+08:00',
        driver: DRIVER,
        escort: ESCORT,
        vehicleType: '危险货物厢式运输车',
        transportLicenceNo: LICENCE,
      },
      `${SUITE}-${kind}-pickup`,
    );
    expect(picked.status).toBe(201);
    const driverId = picked.body.driverPersonId as string;
    const escortId = picked.body.escortPersonId as string;
    expect(driverId).toMatch(/^p-[0-9a-f]{32}$/);
    expect(escortId).toMatch(/^p-[0-9a-f]{32}$/);
    expect(JSON.stringify(picked.body)).not.toContain(DRIVER.name);

    // the event names the people by reference only
    const [pickup] = (await app.t.store.readStream(`manifest-${manifestNo}`)).filter(
      (e) => e.type === 'ManifestPickedUp',
    );
    expect(pickup).toMatchObject({
      schemaVersion: 3,
      data: { driverPersonId: driverId, escortPersonId: escortId, transportLicenceNo: LICENCE },
    });
    expect(JSON.stringify([pickup.data, pickup.metadata])).not.toContain(DRIVER.name);

    const before = await manifestPdfText(app.t, manifestNo, app.world.tokens.carrier);
    for (const value of [
      `驾驶员：${DRIVER.name}`,
      `联系电话：${DRIVER.phone}`,
      `押运员：${ESCORT.name}`,
      `联系电话：${ESCORT.phone}`,
      '运输工具：危险货物厢式运输车',
      `道路运输经营许可证号：${LICENCE}`,
    ])
      expect(before).toContain(value);
    const read = await app.t.http
      .get(`/v1/manifests/${manifestNo}?minPosition=${picked.body.position}`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .expect(200);
    expect(read.body.pickup).toEqual({
      vehicleType: '危险货物厢式运输车',
      transportLicenceNo: LICENCE,
      driver: { personId: driverId, status: 'present', ...DRIVER },
      escort: { personId: escortId, status: 'present', ...ESCORT },
    });
    // encrypted at rest: the name and phone are nowhere in clear even before the erasure
    expect(await storedTextContaining(app.t, kind, [DRIVER.name, DRIVER.phone, ESCORT.name])).toEqual([]);

    // only an admin erases
    const refused = await app.t.http
      .post(`/v1/people/${driverId}/erase`)
      .set('Authorization', `Bearer ${app.world.tokens.carrier}`);
    expectProblem(refused, 403, { rule: 'forbidden' });
    expect((await app.t.http.post(`/v1/people/${driverId}/erase`)).status).toBe(401);
    const head = await app.t.headPosition();
    const stored = (await app.t.store.personalData.read([driverId])).get(driverId);
    if (stored?.status !== 'present') throw new Error(`driver record not present: ${stored?.status}`);

    const erased = await app.t.http
      .post(`/v1/people/${driverId}/erase`)
      .set('Authorization', `Bearer ${app.t.adminToken}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ personId: driverId, status: 'erased', erasedNow: true });
    const again = await app.t.http
      .post(`/v1/people/${driverId}/erase`)
      .set('Authorization', `Bearer ${app.t.adminToken}`);
    expect(again.body).toEqual({ personId: driverId, status: 'erased', erasedNow: false });
    // an erasure appends nothing to the log
    expect(await app.t.headPosition()).toBe(head);

    const after = await manifestPdfText(app.t, manifestNo, app.world.tokens.carrier);
    expect(after).toContain('驾驶员：已删除');
    expect(after).not.toContain(DRIVER.name);
    expect(after).not.toContain(DRIVER.phone);
    expect(after).toContain(`押运员：${ESCORT.name}`);
    const reread = await app.t.http
      .get(`/v1/manifests/${manifestNo}`)
      .set('Authorization', `Bearer ${app.world.tokens.receiver}`)
      .expect(200);
    expect(reread.body.pickup.driver).toMatchObject({ personId: driverId, status: 'erased' });
    expect(JSON.stringify(reread.body)).not.toContain(DRIVER.name);

    expect(await storedTextContaining(app.t, kind, [DRIVER.name, DRIVER.phone])).toEqual([]);
    if (kind === 'sqlite') {
      const key = stored.key;
      const withKey = filesUnder(app.t.dataDir).filter((file) => readFileSync(file).includes(key));
      expect(withKey).toEqual([]);
    }
    expect((await app.t.store.personalData.read([driverId])).get(driverId)).toMatchObject({
      status: 'erased',
    });

    // the log is untouched: the chain verifies, the masses are as they were
    const verified = await verify();
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/every integrity chain holds/);
    const audit = await app.t.http
      .get(`/v1/audit/streams/manifest-${manifestNo}`)
      .set('Authorization', `Bearer ${app.world.tokens.auditor}`)
      .expect(200);
    expect(audit.body.integrity).toMatchObject({ verified: true, firstBreak: null });
    expect(read.body.totalKg).toBe(12);
    expect(reread.body.totalKg).toBe(12);
  });

  it('a hand-over names the next leg’s crew (ManifestHandedOver v2): the 联单 prints it under that leg, 已删除 after erasure', async () => {
    const { manifestNo } = await app.build.inTransit(4);
    const LEG_DRIVER = { name: '李接力', phone: '13511112222' };
    const handed = await send(
      app.t,
      `/v1/manifests/${manifestNo}/handover`,
      app.world.tokens.carrier,
      {
        nextCarrierUscc: PARTIES.otherCarrier.uscc,
        vehiclePlate: '浙B67890',
        place: '宁波北仑港联运站',
        occurredAt: '2026-03-02T10:01:30+08:00',
        driver: LEG_DRIVER,
        vehicleType: '危险货物罐式运输车',
        transportLicenceNo: '浙交运管许可甬字330200005678号',
      },
      `${SUITE}-${kind}-handover`,
    );
    expect(handed.status).toBe(201);
    const legDriver = handed.body.driverPersonId as string;
    expect(legDriver).toMatch(/^p-[0-9a-f]{32}$/);
    const [event] = (await app.t.store.readStream(`manifest-${manifestNo}`)).filter(
      (e) => e.type === 'ManifestHandedOver',
    );
    expect(event).toMatchObject({ schemaVersion: 2, data: { driverPersonId: legDriver } });
    const before = await manifestPdfText(app.t, manifestNo, app.world.tokens.otherCarrier);
    for (const value of [
      '第2程承运人',
      `驾驶员：${LEG_DRIVER.name}`,
      `联系电话：${LEG_DRIVER.phone}`,
      '运输工具：危险货物罐式运输车',
      '道路运输经营许可证号：浙交运管许可甬字330200005678号',
    ])
      expect(before).toContain(value);
    const read = await app.t.http
      .get(`/v1/manifests/${manifestNo}?minPosition=${handed.body.position}`)
      .set('Authorization', `Bearer ${app.world.tokens.otherCarrier}`)
      .expect(200);
    expect(read.body.pickup.legs['2'].driver).toEqual({
      personId: legDriver,
      status: 'present',
      ...LEG_DRIVER,
    });

    await app.t.http
      .post(`/v1/people/${legDriver}/erase`)
      .set('Authorization', `Bearer ${app.t.adminToken}`)
      .expect(200);
    const after = await manifestPdfText(app.t, manifestNo, app.world.tokens.otherCarrier);
    expect(after).not.toContain(LEG_DRIVER.name);
    expect(after.slice(after.indexOf('第2程承运人'))).toContain('驾驶员：已删除');
    expect(await storedTextContaining(app.t, kind, [LEG_DRIVER.name, LEG_DRIVER.phone])).toEqual([]);
  });

  it('in bulk (POST /v1/commands) a pickup names its driver the same way: a reference in the event, the name on the 联单', async () => {
    const { manifestNo } = await app.build.consigned(6);
    const BULK_DRIVER = { name: '郑批量', phone: '13322223333' };
    const bulk = await sendCommands(app.t, app.world.tokens.carrier, [
      {
        type: 'pick-up-manifest',
        idempotencyKey: `${SUITE}-${kind}-bulk-pickup`,
        body: {
          manifestNo,
          vehiclePlate: PLATE,
          occurredAt: '2026-03-02T10:01:00+08:00',
          driver: BULK_DRIVER,
        },
      },
    ]);
    expect(bulk.status).toBe(200);
    const [result] = bulk.body.results as { status: number; body: Record<string, unknown> }[];
    expect(result.status).toBe(201);
    expect(result.body.driverPersonId).toMatch(/^p-[0-9a-f]{32}$/);
    expect(await manifestPdfText(app.t, manifestNo, app.world.tokens.carrier)).toContain(
      `驾驶员：${BULK_DRIVER.name}`,
    );
    expect(await storedTextContaining(app.t, kind, [BULK_DRIVER.name, BULK_DRIVER.phone])).toEqual([]);
  });

  it('a stranger reads no person; an unknown person is 404, a malformed id 400; a bad phone or name is refused naming the field, nothing stored', async () => {
    const { manifestNo } = await app.build.inTransit(3);
    expect(
      (
        await app.t.http
          .get(`/v1/manifests/${manifestNo}`)
          .set('Authorization', `Bearer ${app.world.tokens.otherGenerator}`)
      ).status,
    ).toBe(403);
    const admin = (path: string) => app.t.http.post(path).set('Authorization', `Bearer ${app.t.adminToken}`);
    expectProblem(await admin(`/v1/people/p-${'0'.repeat(32)}/erase`), 404, { rule: 'person-not-found' });
    expectProblem(await admin('/v1/people/张三/erase'), 400, { fields: ['id'] });

    const { manifestNo: open } = await app.build.consigned(2);
    const head = await app.t.headPosition();
    const badPhone = await send(
      app.t,
      `/v1/manifests/${open}/pickup`,
      app.world.tokens.carrier,
      {
        vehiclePlate: PLATE,
        occurredAt: '2026-03-02T10:01:00+08:00',
        driver: { name: '周', phone: 'call me' },
      },
      `${SUITE}-${kind}-bad-phone`,
    );
    expectProblem(badPhone, 400, { fields: ['driver.phone'] });
    const badName = await send(
      app.t,
      `/v1/manifests/${open}/pickup`,
      app.world.tokens.carrier,
      { vehiclePlate: PLATE, occurredAt: '2026-03-02T10:01:00+08:00', escort: { name: 'a\u0000b' } },
      `${SUITE}-${kind}-bad-name`,
    );
    expectProblem(badName, 400, { fields: ['escort.name'] });
    expect(await app.t.headPosition()).toBe(head);
  });

  it('a refused pickup stores no person record (the domain refuses before anything is sealed)', async () => {
    const { manifestNo } = await app.build.consigned(2);
    const stranger = await send(
      app.t,
      `/v1/manifests/${manifestNo}/pickup`,
      app.world.tokens.generator,
      { vehiclePlate: PLATE, occurredAt: '2026-03-02T10:01:00+08:00', driver: { name: '吴未运' } },
      `${SUITE}-${kind}-stranger`,
    );
    expect(stranger.status).toBe(403);
    expect(await storedTextContaining(app.t, kind, ['吴未运'])).toEqual([]);
  });

  it('a contact person registered with the party (v3): the profile shows it to the party, not to others; the label and the 联单 print it, 已删除 after erasure', async () => {
    const uscc = extraUscc('330106', 21);
    const admin = (path: string, body: object) =>
      expect201(send(app.t, path, app.t.adminToken, body, `${SUITE}-${kind}-${path}-${uscc}`));
    const registered = await admin('/v1/parties', {
      uscc,
      name: '杭州西湖联络测试有限公司',
      roles: ['generator', 'carrier'],
      districtCode: '330106',
      contactPerson: CONTACT,
      occurredAt: '2026-03-02T08:00:00+08:00',
    });
    const contactId = registered.body.contactPersonId as string;
    expect(contactId).toMatch(/^p-[0-9a-f]{32}$/);
    const token = (await admin('/v1/tokens', { kind: 'party', partyUscc: uscc })).body.token as string;
    const profile = await app.t.http
      .get(`/v1/parties/${uscc}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(profile.body.contactPerson).toEqual({ personId: contactId, status: 'present', ...CONTACT });
    const byRegulator = await app.t.http
      .get(`/v1/parties/${uscc}`)
      .set('Authorization', `Bearer ${app.world.tokens.regulator}`)
      .expect(200);
    expect(byRegulator.body.contactPerson).toMatchObject({ status: 'present', name: CONTACT.name });
    // another party may read a carrier's register entry, not its people
    const byOther = await app.t.http
      .get(`/v1/parties/${uscc}`)
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .expect(200);
    expect(byOther.body.contactPerson).toBeUndefined();
    expect(JSON.stringify(byOther.body)).not.toContain(CONTACT.name);

    const batch = await expect201(
      send(app.t, '/v1/batches', token, batchBody(5), `${SUITE}-${kind}-b-${uscc}`),
    );
    const code = batch.body.traceCode as string;
    const manifest = await expect201(
      send(app.t, '/v1/manifests', token, app.build.manifestBody([code]), `${SUITE}-${kind}-m-${uscc}`),
    );
    const manifestNo = manifest.body.manifestNo as string;
    const print = await manifestPdfText(app.t, manifestNo, token);
    expect(print).toContain(`经办人：${CONTACT.name}`);
    expect(print).toContain(`联系电话：${CONTACT.phone}`);
    const labelText = async () => {
      const response = await getDocument(app.t, `/v1/batches/${code}/label.pdf`, token);
      expect(response.status).toBe(200);
      return (await readPdf(response.body as Buffer)).pages.join('\n').replace(/\s+/g, '');
    };
    expect(await labelText()).toContain(`${CONTACT.name}${CONTACT.phone}`);

    await app.t.http
      .post(`/v1/people/${contactId}/erase`)
      .set('Authorization', `Bearer ${app.t.adminToken}`)
      .expect(200);
    expect(await labelText()).toContain('联系人和联系方式：已删除');
    const erasedPrint = await manifestPdfText(app.t, manifestNo, token);
    expect(erasedPrint).toContain('经办人：已删除');
    expect(erasedPrint).not.toContain(CONTACT.name);
    const reread = await app.t.http
      .get(`/v1/parties/${uscc}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(reread.body.contactPerson).toMatchObject({ personId: contactId, status: 'erased' });
    expect(await storedTextContaining(app.t, kind, [CONTACT.name, CONTACT.phone])).toEqual([]);
  });
});
