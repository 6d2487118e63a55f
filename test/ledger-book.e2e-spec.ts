import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { BOOK_TABLES } from '../apps/api/src/documents-ledger-book/ledger-book.columns';
import {
  batchBody,
  bytesOf,
  describeEachStore,
  expect201,
  extraUscc,
  PARTIES,
  problemShapeErrors,
  send,
  splitBody,
  treatmentBody,
  type PrincipalName,
} from './support/fixtures';
import { bookTableRows, loadWorkbook } from './support/documents';
import { facilityBody } from './support/extra-fixtures';
import { seededApp } from './support/seeded-app';

/**
 * GET /v1/ledger-book over HTTP on the real app: the produced workbook and CSV read back with real
 * spreadsheet readers (exceljs, csv-parse), every cell checked against the event it names (its id in a
 * hidden column) and against the API's own answers (trace view, indicators), to the gram.
 */
const SUITE = 'ledger-book e2e';

type Binary = Response & { body: Buffer };

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'ledger-book');
  const G = PARTIES.generator.uscc;
  const R = PARTIES.receiver.uscc;
  const FACILITY = 'ZJ-330114-F007';
  const GENERATION_FACTS = { packagingType: '铁桶', packageCount: 2, facilityCode: 'SC-01' };
  let codes: { a: string; b: string; part: string; c: string };
  let manifestNo: string;

  const book = async (who: PrincipalName, query: Record<string, string>): Promise<Binary> => {
    const position = (await app.t.headPosition()).toString();
    return (await app.t.http
      .get('/v1/ledger-book')
      .query({ from: '2026-03', to: '2026-03', minPosition: position, ...query })
      .set('Authorization', `Bearer ${app.world.tokens[who] as string}`)
      .buffer(true)
      .parse(bytesOf)) as Binary;
  };

  beforeAll(async () => {
    const { t, build, world } = app;
    const a = await build.generate(10.123);
    const b = await build.generate(5.5);
    // a generation with its containers and facility (WasteGenerated v2): tables 1 and 2 print them
    const c = (
      await expect201(
        send(
          t,
          '/v1/batches',
          world.tokens.generator,
          { ...batchBody(2.001), ...GENERATION_FACTS },
          build.keys.next('facts'),
        ),
      )
    ).body.traceCode as string;
    const split = await expect201(
      send(t, `/v1/batches/${b}/split`, world.tokens.generator, splitBody([1.25]), build.keys.next('split')),
    );
    const part = (split.body.children as string[])[0];
    manifestNo = await build.issue([a]);
    await build.pickUp(manifestNo);
    await build.receiveInFull(manifestNo, [{ traceCode: a, massKg: 10.123 }]);
    // the receiver's incinerator, registered by the regulator: its treatment names it (issue 14, table 4)
    await expect201(
      send(
        t,
        `/v1/parties/${R}/facilities`,
        world.tokens.regulator,
        facilityBody(FACILITY, ['D10']),
        build.keys.next('facility'),
      ),
    );
    const treated = await expect201(
      send(
        t,
        `/v1/batches/${a}/treatments`,
        world.tokens.receiver,
        { ...treatmentBody(4.2, 'D10'), facilityCode: FACILITY },
        build.keys.next('t'),
      ),
    );
    expect(treated.body.facilityCode).toBe(FACILITY);
    codes = { a, b, part, c };
  });

  it('gives the generator its five tables; every row names its event and equals it to the gram', async () => {
    const res = await book('generator', { party: G });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = await loadWorkbook(res.body);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['说明', ...BOOK_TABLES.map((t) => t.sheet)]);
    // the hidden columns are hidden
    const sheet1 = workbook.getWorksheet(BOOK_TABLES[0].sheet) as ExcelJS.Worksheet;
    BOOK_TABLES[0].columns.forEach((c, i) => expect(sheet1.getColumn(i + 1).hidden).toBe(c.hidden === true));

    const events = new Map((await app.t.store.readAll()).map((e) => [e.id, e]));
    const t1 = bookTableRows(workbook, 1);
    expect(t1.map((r) => [r.traceCode, r.grams, r.tonnes])).toEqual([
      [codes.a, 10_123, 0.01],
      [codes.b, 5_500, 0.006],
      [codes.c, 2_001, 0.002],
    ]);
    for (const row of t1) {
      const event = events.get(row.eventId as string);
      expect(event).toMatchObject({ type: 'WasteGenerated', position: BigInt(row.position as string) });
      expect(event?.data).toMatchObject({
        traceCode: row.traceCode,
        massGrams: row.grams,
        wasteCode: row.wasteCode,
      });
      expect(row).toMatchObject({ wasteClass: 'HW08', unit: '吨', occurredAt: '2026-03-02 09:00:00' });
      // 容器/包装类型, 数量 and 产生危险废物设施编码 are the generation's (blank where it recorded none)
      expect([row.containerType, row.containerCount, row.facilityCode]).toEqual(
        row.traceCode === codes.c ? ['铁桶', 2, 'SC-01'] : [null, null, null],
      );
      expect(event?.data).toMatchObject(
        row.traceCode === codes.c ? GENERATION_FACTS : { traceCode: row.traceCode },
      );
      // and the trace view of the API says the same mass
      const trace = await app.t.http
        .get(`/v1/batches/${row.traceCode as string}`)
        .set('Authorization', `Bearer ${app.world.tokens.generator as string}`);
      expect(Math.round(trace.body.generatedKg * 1000)).toBe(row.grams);
    }
    const t2 = bookTableRows(workbook, 2);
    expect(t2.map((r) => [r.traceCode, r.movement, r.linkedCodes, r.grams])).toEqual([
      [codes.a, '产生', codes.a, 10_123],
      [codes.b, '产生', codes.b, 5_500],
      [codes.c, '产生', codes.c, 2_001],
      [codes.part, '拆分', codes.b, 1_250],
    ]);
    expect(t2.map((r) => [r.containerType, r.containerCount])).toEqual([
      [null, null],
      [null, null],
      ['铁桶', 2],
      [null, null],
    ]);
    const t3 = bookTableRows(workbook, 3);
    expect(t3.map((r) => [r.traceCode, r.movement, r.grams, r.manifestNo, r.note])).toEqual([
      [codes.b, '拆分', 1_250, null, codes.part],
      [codes.a, '转移', 10_123, manifestNo, null],
    ]);
    expect(t3[1]).toMatchObject({ carrier: PARTIES.carrier.name, vehiclePlate: '浙A12345' });
    expect(bookTableRows(workbook, 4)).toEqual([]);
    const t5 = bookTableRows(workbook, 5);
    expect(t5).toEqual([
      expect.objectContaining({
        traceCode: codes.a,
        grams: 4_200,
        tonnes: 0.004,
        operation: 'D10',
        mode: '焚烧',
        receiver: PARTIES.receiver.name,
        receiverUscc: R,
        manifestNo,
        eventType: 'WasteDisposed',
      }),
    ]);
    for (const row of [...t2, ...t3, ...t5]) {
      const event = events.get(row.eventId as string);
      expect(event?.type).toBe(row.eventType);
      expect(event?.position).toBe(BigInt(row.position as string));
    }
    // the ledger position the book was read at is in 说明 and in the header
    const about = workbook.getWorksheet('说明') as ExcelJS.Worksheet;
    const facts = new Map<unknown, unknown>();
    about.eachRow((row) => facts.set(row.getCell(1).value, row.getCell(2).value));
    expect(facts.get('账本位置')).toBe(res.headers['x-ledger-position']);
    expect(facts.get('统一社会信用代码')).toBe(G);
  });

  it('sums table 1 to the generatedKg of the indicators of its district (the only generator there)', async () => {
    const workbook = await loadWorkbook((await book('regulator', { party: G })).body);
    const grams = bookTableRows(workbook, 1).reduce((sum, r) => sum + (r.grams as number), 0);
    const indicators = await app.t.http
      .get('/v1/indicators')
      .query({ region: '330106', category: 'hazardous', from: '2026-03', to: '2026-03' })
      .set('Authorization', `Bearer ${app.world.tokens.regulator as string}`);
    expect(indicators.status).toBe(200);
    expect(Math.round(indicators.body.generatedKg * 1000)).toBe(grams);
  });

  it('gives the receiver its receipt (table 2) and its own disposal (tables 3 and 4)', async () => {
    const workbook = await loadWorkbook((await book('receiver', { party: R })).body);
    expect(bookTableRows(workbook, 2)).toEqual([
      expect.objectContaining({
        traceCode: codes.a,
        movement: '接收',
        grams: 10_123,
        counterparty: PARTIES.generator.name,
      }),
    ]);
    expect(bookTableRows(workbook, 3).map((r) => [r.movement, r.grams, r.operation])).toEqual([
      ['自行利用/处置', 4_200, 'D10'],
    ]);
    const t4 = bookTableRows(workbook, 4);
    expect(t4).toEqual([
      expect.objectContaining({ traceCode: codes.a, grams: 4_200, operation: 'D10', linkedCodes: codes.a }),
    ]);
    // 自行利用/处置设施编码: the facility the treatment named, as its event (WasteDisposed v3) records it
    expect(t4[0].facilityCode).toBe(FACILITY);
    const [event] = (await app.t.store.readAll()).filter((e) => e.id === t4[0].eventId);
    expect(event).toMatchObject({
      type: 'WasteDisposed',
      schemaVersion: 4,
      data: { facilityCode: FACILITY },
    });
  });

  it('writes one table as CSV with the same cells', async () => {
    const res = await book('auditor', { party: G, format: 'csv', table: '1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = res.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text, { bom: true }) as string[][];
    expect(header).toEqual(BOOK_TABLES[0].columns.map((c) => c.header));
    const at = (key: string) => BOOK_TABLES[0].columns.findIndex((c) => c.key === key);
    expect(rows.map((r) => [r[at('traceCode')], r[at('tonnes')], r[at('grams')]])).toEqual([
      [codes.a, '0.01', '10123'],
      [codes.b, '0.006', '5500'],
      [codes.c, '0.002', '2001'],
    ]);
  });

  it('reads under the one scope rule: a party its own, a regulator its regions, never an admin', async () => {
    expect((await book('otherGenerator', { party: G })).status).toBe(403);
    expect((await book('outsideRegulator', { party: G })).status).toBe(403);
    expect((await book('admin', { party: G })).status).toBe(403);
    expect((await book('auditor', { party: R })).status).toBe(200);
  });

  it('refuses bad questions with small problem documents', async () => {
    const problem = async (query: Record<string, string>, status: number, field: string) => {
      const res = await book('auditor', query);
      const body = JSON.parse(res.body.toString('utf8')) as { errors?: { field: string }[] };
      expect(res.status).toBe(status);
      expect(problemShapeErrors(res.headers['content-type'], body, status)).toEqual([]);
      expect((body.errors ?? []).map((e) => e.field)).toContain(field);
    };
    await problem({ party: G, from: '2026-02-30' }, 400, 'from');
    await problem({ party: G, from: '2026-04', to: '2026-03' }, 400, 'to');
    await problem({ party: G, format: 'csv' }, 400, 'table');
    await problem({ party: G, format: 'pdf' }, 400, 'format');
    await problem({ party: 'not-a-uscc' }, 400, 'party');
    await problem(
      { party: PARTIES.generator.uscc.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      400,
      'party',
    );
    // an unknown party: an auditor learns 404; anyone else is refused as for a party it may not read
    expect((await book('auditor', { party: extraUscc('330106', 99) })).status).toBe(404);
    expect((await book('regulator', { party: extraUscc('330106', 99) })).status).toBe(403);
  });
});
