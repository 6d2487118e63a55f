import { composeTraceCode } from '@wasteflow/domain';
import { batchBody, describeEachStore, PARTIES, send, streamEvents } from './support/fixtures';
import { getDocument, printEnv } from './support/documents';
import { seededApp } from './support/seeded-app';
import { decodeQr, decodeSvgQr, readPdf, renderFirstPage } from './support/pdf-reading';

/**
 * HJ 1276-2022 labels over HTTP (issue 14 item 2): the PDF read back with pdf.js (text, page size in mm,
 * the CJK font embedded as a subset), its first page rendered and its QR code decoded to the public trace
 * URL of the configuration; the SVG's QR code decoded too; the sheet; the refusals.
 */
const SUITE = 'documents-labels';
const PUBLIC_URL = 'https://trace.wasteflow.example.cn/zj';

describeEachStore(SUITE, 'HJ 1276 labels (%s)', (kind) => {
  const app = seededApp(kind, SUITE, __filename, SUITE, { env: printEnv(`${PUBLIC_URL}/`) });

  // every read waits for the read models to reach the head of the log (the api's read-your-writes)
  const get = (path: string, token: string | undefined) => getDocument(app.t, path, token);

  it('prints a 100 mm label: every field the ledger holds, the pictograms named, the 数字识别码, the font embedded as a subset, a QR code of the public page', async () => {
    const code = await app.build.generate(12.345);
    const response = await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.generator);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = response.body as Buffer;
    const read = await readPdf(pdf);
    expect(read.pages).toHaveLength(1);
    expect(read.sizesMm[0].width).toBeCloseTo(100, 1);
    expect(read.sizesMm[0].height).toBeCloseTo(100, 1);
    const text = read.pages[0].replace(/\s+/g, '');
    for (const field of [
      '危险废物',
      '废物名称',
      '废物类别：HW08',
      '废物代码：900-249-08',
      '废物形态',
      '危险特性：毒性、易燃性',
      '主要成分',
      '有害成分',
      '注意事项',
      '产生/收集单位',
      '联系人和联系方式',
      '废物重量：12.345kg',
      '数字识别码',
    ]) {
      expect(text).toContain(field);
    }
    // the catalogue's name of the code (no description given), the unit, the date, the pictograms' names
    expect(text).toContain('其他生产、销售、使用过程中产生的废矿物油');
    expect(text).toContain(PARTIES.generator.name);
    expect(text).toContain('产生日期：2026-03-02');
    // 数字识别码: USCC + code digits + date + serial (the first HW08 batch of that day)
    const serial = text.match(
      new RegExp(`${PARTIES.generator.uscc}90024908 20260302(\\d{4})`.replace(' ', '')),
    );
    expect(serial).not.toBeNull();
    expect(text).toContain(`浙固码${code}`);
    // Noto Sans SC embedded as subsets (ABCDEF+name), regular and bold; small because only used glyphs are in
    expect(read.fontNames.length).toBeGreaterThanOrEqual(2);
    for (const name of read.fontNames) expect(name).toMatch(/^[A-Z]{6}\+NotoSansSC/);
    expect(read.fontFiles).toBe(read.fontNames.length);
    expect(pdf.length).toBeLessThan(200_000);
    const qr = decodeQr(await renderFirstPage(pdf, `label-100-${kind}`));
    expect(qr).toBe(`${PUBLIC_URL}/v1/trace/${encodeURIComponent(code)}`);
  });

  it('prints the facts recorded at generation (v2): form, packaging, components, precautions, facility, and sizes the label by the container volume', async () => {
    const response = await send(
      app.t,
      '/v1/batches',
      app.world.tokens.generator,
      {
        ...batchBody(80),
        description: '废切削液',
        physicalForm: 'liquid',
        packagingType: '铁桶',
        packageCount: 4,
        containerVolume: 'upTo450L',
        mainComponents: '矿物油、水',
        hazardousComponents: '石油烃',
        precautions: '远离火源，防止泄漏',
        facilityCode: 'SC-01',
      },
      `${SUITE}-${kind}-facts`,
    );
    expect(response.status).toBe(201);
    const code = response.body.traceCode as string;
    const [generated] = await streamEvents(app.t, `batch-${code}`);
    expect(generated.schemaVersion).toBe(3);
    expect(generated.data).toMatchObject({ physicalForm: 'liquid', packageCount: 4, hazards: ['T', 'I'] });
    const read = await readPdf(
      (await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.generator)).body as Buffer,
    );
    expect(read.sizesMm[0].width).toBeCloseTo(150, 1);
    const text = read.pages[0].replace(/\s+/g, '');
    for (const value of [
      '废物名称：废切削液',
      '废物形态：液态',
      '主要成分：矿物油、水',
      '有害成分：石油烃',
      '注意事项：远离火源，防止泄漏',
      '包装：铁桶×4',
      '产生设施：SC-01',
    ]) {
      expect(text).toContain(value);
    }
    await renderFirstPage(
      (await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.generator)).body as Buffer,
      `label-150-facts-${kind}`,
      2,
    );
  });

  it('refuses malformed generation facts with a 400 naming the field, appending nothing', async () => {
    const before = await app.t.headPosition();
    for (const [field, value] of [
      ['physicalForm', 'plasma'],
      ['containerVolume', '1000L'],
      ['packageCount', 0],
      ['precautions', 'x\u0000y'],
    ] as const) {
      const response = await send(
        app.t,
        '/v1/batches',
        app.world.tokens.generator,
        { ...batchBody(1), [field]: value },
        `${SUITE}-${kind}-bad-${field}-${typeof value}-${String(value).length}`,
      );
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain(field);
    }
    expect(await app.t.headPosition()).toBe(before);
  });

  it('numbers the batches of one unit, code and day in the 数字识别码 (0001, 0002 …)', async () => {
    const first = await app.build.generate(1);
    const second = await app.build.generate(2);
    const idOf = async (code: string) => {
      const text = (
        await readPdf((await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.generator)).body as Buffer)
      ).pages[0].replace(/\s+/g, '');
      return new RegExp(`${PARTIES.generator.uscc}9002490820260302(\\d{4})`).exec(text)?.[1];
    };
    const [a, b] = [Number(await idOf(first)), Number(await idOf(second))];
    expect(b).toBe(a + 1);
  });

  it('prints 150 and 200 mm labels when asked, and the SVG at its size with a QR code that decodes to the public page', async () => {
    const code = await app.build.generate(3);
    for (const size of [150, 200]) {
      const read = await readPdf(
        (await get(`/v1/batches/${code}/label.pdf?size=${size}`, app.world.tokens.regulator)).body as Buffer,
      );
      expect(read.sizesMm[0].width).toBeCloseTo(size, 1);
      expect(read.pages[0]).toContain('危险废物');
    }
    const svg = await get(`/v1/batches/${code}/label.svg`, app.world.tokens.auditor);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const body = (svg.body as Buffer).toString('utf8');
    expect(body).toContain('width="100mm" height="100mm"');
    expect(body).toContain('危险废物');
    expect(body).toContain('900-249-08');
    expect(decodeSvgQr(body)).toBe(`${PUBLIC_URL}/v1/trace/${encodeURIComponent(code)}`);
  });

  it('prints a sheet of labels on A4 (four 100 mm labels to a page)', async () => {
    const codes = [
      await app.build.generate(1),
      await app.build.generate(2),
      await app.build.generate(3),
      await app.build.generate(4),
      await app.build.generate(5),
    ];
    const response = await get(
      `/v1/labels.pdf?codes=${codes.map(encodeURIComponent).join(',')}`,
      app.world.tokens.generator,
    );
    expect(response.status).toBe(200);
    const read = await readPdf(response.body as Buffer);
    expect(read.pages).toHaveLength(2);
    expect(read.sizesMm[0].width).toBeCloseTo(210, 0);
    expect(read.sizesMm[0].height).toBeCloseTo(297, 0);
    const all = read.pages.join('\n').replace(/\s+/g, '');
    for (const code of codes) expect(all).toContain(code);
    expect(read.pages[0].match(/危险废物/g)).toHaveLength(4);
    await renderFirstPage(response.body as Buffer, `label-sheet-${kind}`, 1.5);
  });

  it('refuses a stranger (403), a mistyped code (400), a bad size (400), an empty or too long list (400), and an unknown batch (404)', async () => {
    const code = await app.build.generate(1);
    expect((await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.otherGenerator)).status).toBe(403);
    expect((await get(`/v1/batches/${code}/label.pdf`, app.world.tokens.outsideRegulator)).status).toBe(403);
    expect((await get(`/v1/batches/${code}/label.pdf`, undefined)).status).toBe(401);
    expect(
      (await get(`/v1/batches/${code.slice(0, -1)}Z/label.svg`, app.world.tokens.generator)).status,
    ).toBe(400);
    const badSize = await get(`/v1/batches/${code}/label.pdf?size=120`, app.world.tokens.generator);
    expect(badSize.status).toBe(400);
    expect(JSON.parse((badSize.body as Buffer).toString()).errors[0]).toMatchObject({ field: 'size' });
    expect((await get('/v1/labels.pdf', app.world.tokens.generator)).status).toBe(400);
    expect(
      (await get(`/v1/labels.pdf?codes=${Array(81).fill(code).join(',')}`, app.world.tokens.generator))
        .status,
    ).toBe(400);
    const mixed = await get(
      `/v1/labels.pdf?codes=${code},${await app.build.generate(1, 'otherGenerator')}`,
      app.world.tokens.generator,
    );
    expect(mixed.status).toBe(403);
    const unknown = composeTraceCode({
      districtCode: '330106',
      category: 'hazardous',
      date: '260302',
      randomPart: '00000000',
    });
    expect(
      (await get(`/v1/batches/${encodeURIComponent(unknown)}/label.pdf`, app.world.tokens.generator)).status,
    ).toBe(404);
  });
});
