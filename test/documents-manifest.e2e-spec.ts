import {
  batchBody,
  describeEachStore,
  expect201,
  extraUscc,
  issueToken,
  Keys,
  PARTIES,
  PLATE,
  RECEIVER_PERMIT,
  registerExtraParty,
  send,
} from './support/fixtures';
import { getDocument, printEnv } from './support/documents';
import { seededApp } from './support/seeded-app';
import { decodeQr, readPdf, renderFirstPage } from './support/pdf-reading';

/**
 * The 转移联单 print over HTTP (issue 14 item 3): the three parts filled from the events at each stage,
 * read back with pdf.js (text, A4), its QR code decoded from the rendered page; the refusals.
 */
const SUITE = 'documents-manifest';
const PUBLIC_URL = 'https://trace.wasteflow.example.cn';

describeEachStore(SUITE, '转移联单 print (%s)', (kind) => {
  const app = seededApp(kind, SUITE, __filename, SUITE, { env: printEnv(PUBLIC_URL) });

  // every read waits for the read models to reach the head of the log (the api's read-your-writes)
  const get = (path: string, token: string | undefined) => getDocument(app.t, path, token);
  const textOf = async (manifestNo: string, token = app.world.tokens.generator) => {
    const response = await get(`/v1/manifests/${manifestNo}.pdf`, token);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const read = await readPdf(response.body as Buffer);
    return { read, text: read.pages.join('\n').replace(/\s+/g, ''), pdf: response.body as Buffer };
  };

  it('fills the three parts from the events: shipper and lines, the carrier and its plate, the receiver, its permit and the verdict', async () => {
    const created = await send(
      app.t,
      '/v1/batches',
      app.world.tokens.generator,
      {
        ...batchBody(42.5),
        description: '废液压油',
        physicalForm: 'liquid',
        packagingType: '铁桶',
        packageCount: 2,
      },
      `${SUITE}-${kind}-facts`,
    );
    expect(created.status).toBe(201);
    const code = created.body.traceCode as string;
    const manifestNo = await app.build.issue([code]);

    const issued = await textOf(manifestNo);
    expect(issued.read.sizesMm[0].width).toBeCloseTo(210, 0);
    expect(issued.read.sizesMm[0].height).toBeCloseTo(297, 0);
    for (const value of [
      '危险废物转移联单',
      `联单编号：${manifestNo}`,
      '第一部分移出人填写',
      `单位名称：${PARTIES.generator.name}`,
      `统一社会信用代码：${PARTIES.generator.uscc}`,
      '废液压油',
      '900-249-08',
      '毒性、易燃性',
      '液态',
      '铁桶×2',
      '42.5kg',
      '第二部分承运人填写',
      PARTIES.carrier.name,
      '第三部分接受人填写',
      PARTIES.receiver.name,
      `危险废物经营许可证编号：${RECEIVER_PERMIT.permitNo}`,
      '状态：已签发，待起运',
    ]) {
      expect(issued.text).toContain(value);
    }
    expect(issued.text).not.toContain('是否存在重大差异：否');

    await app.build.pickUp(manifestNo);
    const inTransit = await textOf(manifestNo, app.world.tokens.carrier);
    expect(inTransit.text).toContain(`车牌号：${PLATE}`);
    expect(inTransit.text).toContain('交付时间：2026-03-0210:01');
    expect(inTransit.text).toContain('状态：运输中');

    await expect201(
      send(
        app.t,
        `/v1/manifests/${manifestNo}/receipt`,
        app.world.tokens.receiver,
        {
          occurredAt: '2026-03-02T10:02:00+08:00',
          lines: [{ traceCode: code, receivedKg: 40, acceptedKg: 40 }],
        },
        `${SUITE}-${kind}-receipt`,
      ),
    );
    const received = await textOf(manifestNo, app.world.tokens.regulator);
    expect(received.text).toContain('状态：已接收');
    expect(received.text).toContain('接收时间：2026-03-0210:02');
    expect(received.text).toContain('接收量：40kg');
    // 2.5 of 42.5 kg lost is beyond the 5 % tolerance: a significant discrepancy
    expect(received.text).toContain('是否存在重大差异：是');
    expect(received.text).toContain('到达时间：2026-03-0210:02');
    const qr = decodeQr(await renderFirstPage(received.pdf, `manifest-${kind}`, 2));
    expect(qr).toBe(`${PUBLIC_URL}/v1/manifests/${manifestNo}`);
  });

  it('prints the shipper’s address and emergency phone recorded at registration (PartyRegistered v2)', async () => {
    const uscc = extraUscc('330106', 14);
    const admin = (path: string, body: object) =>
      expect201(send(app.t, path, app.t.adminToken, body, `${SUITE}-${kind}-${path}-${uscc}`));
    await admin('/v1/parties', {
      uscc,
      name: '杭州西湖表面处理有限公司',
      roles: ['generator'],
      districtCode: '330106',
      address: '杭州市西湖区文三路 90 号',
      emergencyPhone: '0571-88880000',
      occurredAt: '2026-03-02T08:00:00+08:00',
    });
    const token = (await admin('/v1/tokens', { kind: 'party', partyUscc: uscc })).body.token as string;
    const batch = await expect201(
      send(app.t, '/v1/batches', token, batchBody(5), `${SUITE}-${kind}-b-${uscc}`),
    );
    const manifest = await expect201(
      send(
        app.t,
        '/v1/manifests',
        token,
        app.build.manifestBody([batch.body.traceCode as string]),
        `${SUITE}-${kind}-m-${uscc}`,
      ),
    );
    const { text } = await textOf(manifest.body.manifestNo as string, token);
    expect(text).toContain('单位地址：杭州市西湖区文三路90号');
    expect(text).toContain('应急联系电话：0571-88880000');
  });

  it('prints 跨省转移批准文号 with the approval a manifest across a province was issued under (ManifestIssued v4); a manifest within Zhejiang has no such row', async () => {
    const keys = new Keys(`${SUITE}-approval-${kind}`);
    const kunshan = {
      uscc: extraUscc('320583', 42),
      name: '昆山危险废物处置有限公司',
      roles: ['receiver'],
      districtCode: '320583',
    };
    const zhejiang = await issueToken(app.t, keys, {
      kind: 'regulator',
      districts: ['33'],
      categories: ['hazardous'],
    });
    const jiangsu = await issueToken(app.t, keys, {
      kind: 'regulator',
      districts: ['32'],
      categories: ['hazardous'],
    });
    await registerExtraParty(app.t, keys, kunshan, {
      by: jiangsu,
      body: { ...RECEIVER_PERMIT, permitNo: '3205830042' },
    });
    const approvalNo = '浙环危转〔2026〕27号';
    await expect201(
      send(
        app.t,
        '/v1/transfer-approvals',
        zhejiang,
        {
          approvalNo,
          shipperUscc: PARTIES.generator.uscc,
          receiverUscc: kunshan.uscc,
          wasteCodes: ['900-249-08'],
          approvedKg: 50,
          validFrom: '2026-03-01',
          validTo: '2027-02-28',
        },
        keys.next('grant'),
      ),
    );
    const code = await app.build.generate(6);
    const issued = await expect201(
      send(
        app.t,
        '/v1/manifests',
        app.world.tokens.generator,
        { ...app.build.manifestBody([code]), receiverUscc: kunshan.uscc, transferApprovalNo: approvalNo },
        keys.next('manifest'),
      ),
    );
    const across = await textOf(issued.body.manifestNo as string);
    expect(across.text).toContain(`跨省转移批准文号：${approvalNo}`);
    expect(across.text).toContain(kunshan.name);
    const [stored] = await app.t.store.readStream(`manifest-${issued.body.manifestNo as string}`, {
      limit: 1,
    });
    expect(stored).toMatchObject({
      type: 'ManifestIssued',
      schemaVersion: 4,
      data: { transferApprovalNo: approvalNo },
    });

    const within = await textOf(await app.build.issue([await app.build.generate(2)]));
    expect(within.text).toContain('计划转移时间');
    expect(within.text).not.toContain('跨省转移批准文号');
  });

  it('prints 否 when the receipt matches, and refuses a stranger (403), a malformed number (400), an unknown one (404)', async () => {
    const { traceCode, manifestNo } = await app.build.inTransit(10);
    await app.build.receiveInFull(manifestNo, [{ traceCode, massKg: 10 }]);
    expect((await textOf(manifestNo, app.world.tokens.receiver)).text).toContain('是否存在重大差异：否');
    expect((await get(`/v1/manifests/${manifestNo}.pdf`, app.world.tokens.otherGenerator)).status).toBe(403);
    expect((await get(`/v1/manifests/${manifestNo}.pdf`, app.world.tokens.outsideRegulator)).status).toBe(
      403,
    );
    expect((await get(`/v1/manifests/${manifestNo}.pdf`, undefined)).status).toBe(401);
    expect((await get('/v1/manifests/12345.pdf', app.world.tokens.generator)).status).toBe(400);
    expect(
      (await get(`/v1/manifests/${manifestNo.slice(0, 8)}999999.pdf`, app.world.tokens.generator)).status,
    ).toBe(404);
  });
});
