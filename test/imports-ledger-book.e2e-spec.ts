import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { verifyStreamIntegrity } from '@wasteflow/event-store';
import { BOOK_TABLES } from '../apps/api/src/documents-ledger-book/ledger-book.columns';
import {
  AT,
  describeEachStore,
  PARTIES,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  extraUscc,
  send,
  streamEvents,
  treatmentBody,
} from './support/fixtures';
import { bookTableRows, loadWorkbook } from './support/documents';
import { binary, importReportSheet, type Binary } from './support/import-sheets';
import { seededApp, type SeededApp } from './support/seeded-app';

/**
 * The import of a whole 台账 (issue 14 item 6): a generator's book exported from one ledger with its five
 * tables filled — waste generated (1) into its store (2), one batch shipped (3: the carrier's pickup) and
 * disposed of by the receiver (5), another treated by the generator itself on its registered facility
 * (4, and 3) — imported into a fresh ledger that holds only the registry (parties, permits, the facility):
 * tables 1 and 4 are applied as the generator's own commands, tables 2, 3 and 5 reconciled with the book the
 * fresh ledger writes — matched, or unmatched naming who records the act (待承运/接收单位记录), nothing
 * invented. A re-run applies nothing; the book imported back into its own ledger matches every row and
 * leaves the head where it was; a bad row of table 4 refuses the file naming sheet, row and column.
 */
const SUITE = 'imports ledger-book e2e';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const G = PARTIES.generator.uscc;
const FACILITY = {
  facilityCode: 'ZJ-330106-F001',
  operations: ['R5', 'C2'],
  validFrom: '2026-01-01',
  validTo: '2030-12-31',
  occurredAt: AT.registered,
};

interface ReportRow {
  row: number;
  sourceCode: string;
  status: string;
  traceCode: string | null;
  rule: string | null;
  detail: string | null;
  table: string;
}

describeEachStore(SUITE, (kind) => {
  const original = seededApp(kind, SUITE, __filename, 'lb-import-original');
  const fresh = seededApp(kind, SUITE, __filename, 'lb-import-fresh');
  let exported: Buffer;
  let codes: { shipped: string; own: string; manifestNo: string };

  type Who = 'generator' | 'regulator' | 'admin';
  const token = (app: SeededApp, who: Who = 'generator') => `Bearer ${app.world.tokens[who] as string}`;
  const post = (app: SeededApp, body: Buffer, type = XLSX, who: Who = 'generator', query = '') =>
    app.t.http
      .post(`/v1/imports${query}`)
      .set('Authorization', token(app, who))
      .set('Content-Type', type)
      .send(body);

  async function finished(app: SeededApp, id: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 600; i++) {
      const res = await app.t.http.get(`/v1/imports/${id}`).set('Authorization', token(app));
      expect(res.status).toBe(200);
      if (res.body.status !== 'running') return res.body as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function imported(app: SeededApp, body: Buffer, type = XLSX, who: Who = 'generator', query = '') {
    const res = await post(app, body, type, who, query);
    expect(res.status).toBe(202);
    const done = await finished(app, res.body.importId as string);
    return { done, report: await report(app, res.body.importId as string) };
  }

  async function report(app: SeededApp, id: string): Promise<ReportRow[]> {
    const sheet = await importReportSheet(app.t.http, id, token(app));
    const rows: ReportRow[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = (i: number) => (row.getCell(i).value ?? null) as string | null;
      rows.push({
        row: Number(v(1)),
        sourceCode: String(v(2)),
        status: String(v(4)),
        traceCode: v(5),
        rule: v(7),
        detail: v(8),
        table: String(v(9)),
      });
    });
    return rows;
  }

  async function book(app: SeededApp, query: Record<string, string> = {}): Promise<Binary> {
    const position = (await app.t.headPosition()).toString();
    return (await app.t.http
      .get('/v1/ledger-book')
      .query({ party: G, from: '2026-03', to: '2026-03', minPosition: position, ...query })
      .set('Authorization', token(app))
      .buffer(true)
      .parse(binary as never)) as Binary;
  }

  /** The data rows of a table of a book as objects keyed by column key. */
  async function tableRows(body: Buffer, no: number): Promise<Record<string, unknown>[]> {
    return bookTableRows(await loadWorkbook(body), no);
  }

  const registerFacility = (app: SeededApp) =>
    expect201(
      send(
        app.t,
        `/v1/parties/${G}/facilities`,
        app.world.tokens.regulator,
        FACILITY,
        app.build.keys.next('facility'),
      ),
    );

  beforeAll(async () => {
    const { t, build, world } = original;
    await registerFacility(original);
    // hazardous oil: shipped, picked up by the carrier, received and partly disposed of by the receiver
    const shipped = await build.generate(10.123);
    const manifestNo = await build.issue([shipped]);
    await build.pickUp(manifestNo);
    await build.receiveInFull(manifestNo, [{ traceCode: shipped, massKg: 10.123 }]);
    await expect201(
      send(
        t,
        `/v1/batches/${shipped}/treatments`,
        world.tokens.receiver,
        treatmentBody(4.2, 'D10'),
        build.keys.next('t'),
      ),
    );
    // slag the generator utilises itself (R5) on its registered facility
    const own = (
      await expect201(
        send(
          t,
          '/v1/batches',
          world.tokens.generator,
          {
            category: 'industrial',
            subtype: 'slag',
            massKg: 5.5,
            occurredAt: AT.generated,
            packagingType: '吨袋',
            packageCount: 3,
            facilityCode: 'SC-01',
          },
          build.keys.next('slag'),
        ),
      )
    ).body.traceCode as string;
    await expect201(
      send(
        t,
        `/v1/batches/${own}/treatments`,
        world.tokens.generator,
        { operation: 'R5', massKg: 2.5, occurredAt: AT.treated },
        build.keys.next('own'),
      ),
    );
    codes = { shipped, own, manifestNo };
    const res = await book(original);
    expect(res.status).toBe(200);
    exported = res.body;
  });

  it('exports the five tables filled (the book the import reads)', async () => {
    const counts = await Promise.all(
      [1, 2, 3, 4, 5].map(async (no) => (await tableRows(exported, no)).length),
    );
    // 1: two generations; 2: their 入库; 3: the pickup and the own treatment; 4: the own treatment; 5: the receiver's
    expect(counts).toEqual([2, 2, 2, 1, 1]);
  });

  it('into a fresh ledger: tables 1 and 4 applied as the generator’s commands (who may treat judged), 2, 3 and 5 reconciled — matched or to be recorded by the carrier/receiver', async () => {
    const { t } = fresh;
    // an import's bookkeeping never stops the projections (on SQLite it once held a transaction open on
    // the read-model connection: the runner's commit was refused and every projection stopped for 5 s)
    const errors = jest.spyOn(Logger.prototype, 'error');
    // without the facility the generator may not treat: table 4 refused by the rule, the rest as usual
    const before = await t.headPosition();
    const first = await imported(fresh, exported);
    expect(first.done).toMatchObject({ status: 'done', rows: 8, applied: 2, refused: 1 });
    const refused4 = first.report.find((r) => r.table.startsWith('表4'));
    expect(refused4).toMatchObject({
      status: 'refused',
      rule: 'not-allowed-to-treat',
      sourceCode: codes.own,
    });
    // what the refused treatment would have made in table 3 is not in the ledger: reported, not invented
    expect(first.report.filter((r) => r.table.startsWith('表3')).map((r) => r.status)).toEqual([
      'unmatched',
      'unmatched',
    ]);

    await registerFacility(fresh);
    // the second run by an admin on the generator's behalf: the generator's rules, the generator's keys
    const refusals = [
      await post(fresh, exported, XLSX, 'admin'),
      await post(fresh, exported, XLSX, 'admin', '?party=91330106MA2GEN00X'),
      await post(fresh, exported, XLSX, 'admin', `?party=${PARTIES.otherGenerator.uscc.slice(0, 17)}0`),
      await post(fresh, exported, XLSX, 'generator', `?party=${PARTIES.otherGenerator.uscc}`),
      await post(fresh, exported, XLSX, 'regulator', `?party=${G}`),
    ];
    const named = (r: { status: number; body: { errors?: { field: string; rule: string }[] } }) => [
      r.status,
      r.body.errors?.[0]?.field,
      r.body.errors?.[0]?.rule,
    ];
    expect(refusals.map(named)).toEqual([
      [400, 'party', 'required'],
      [400, 'party', expect.any(String)],
      [400, 'party', expect.any(String)],
      [400, 'party', 'ownParty'],
      [403, undefined, undefined],
    ]);
    const unknown = await post(fresh, exported, XLSX, 'admin', `?party=${extraUscc('330106', 9)}`);
    expectProblem(unknown, 404, { rule: 'party-not-found' });
    const second = await imported(fresh, exported, XLSX, 'admin', `?party=${G}`);
    expect(second.done).toMatchObject({
      status: 'done',
      rows: 8,
      applied: 1,
      alreadyApplied: 2,
      matched: 3,
      unmatched: 2,
      refused: 0,
      pending: 0,
    });
    // processed in the order of the batches' history: tables 1, 2, 4, 3, 5
    expect(second.report.map((r) => r.table.slice(0, 2))).toEqual([
      '表1',
      '表1',
      '表2',
      '表2',
      '表4',
      '表3',
      '表3',
      '表5',
    ]);
    const byTable = (prefix: string) => second.report.filter((r) => r.table.startsWith(prefix));
    // the generations got this ledger's own batch codes; the file's codes are provenance
    const generated = byTable('表1');
    expect(generated.map((r) => r.sourceCode).sort()).toEqual([codes.shipped, codes.own].sort());
    for (const r of generated) expect(r.traceCode).not.toBe(r.sourceCode);
    const codeOf = new Map(generated.map((r) => [r.sourceCode, r.traceCode as string]));
    expect(byTable('表2').map((r) => r.status)).toEqual(['matched', 'matched']);
    expect(byTable('表4')).toEqual([
      expect.objectContaining({ status: 'applied', sourceCode: codes.own, traceCode: codeOf.get(codes.own) }),
    ]);
    const table3 = byTable('表3');
    expect(table3.find((r) => r.sourceCode === codes.own)).toMatchObject({ status: 'matched' });
    const pickup = table3.find((r) => r.sourceCode === codes.shipped);
    expect(pickup).toMatchObject({ status: 'unmatched' });
    expect(pickup?.detail).toContain('待承运单位记录');
    expect(pickup?.detail).toContain(codes.manifestNo);
    const [table5] = byTable('表5');
    expect(table5).toMatchObject({ status: 'unmatched', sourceCode: codes.shipped });
    expect(table5.detail).toContain('待接收单位记录');
    expect(table5.detail).toContain(PARTIES.receiver.uscc);

    // the fresh ledger holds exactly the generator's own acts: two generations and one utilisation
    const appended = (await t.store.readAll({ after: before })).filter((e) =>
      ['WasteGenerated', 'WasteUtilised', 'WasteDisposed', 'BatchShipped', 'BatchReceived'].includes(e.type),
    );
    expect(appended.map((e) => e.type).sort()).toEqual(['WasteGenerated', 'WasteGenerated', 'WasteUtilised']);
    const utilised = appended.find((e) => e.type === 'WasteUtilised');
    // recorded by the admin on the generator's behalf; the generations by the generator's own import
    expect(utilised?.metadata).toMatchObject({
      actor: expect.stringMatching(/^admin:/),
      onBehalfOf: `party:${G}`,
    });
    for (const e of appended.filter((x) => x.type === 'WasteGenerated'))
      expect(e.metadata).toMatchObject({ actor: `party:${G}` });
    // table 1's 容器/包装类型, 容器/包装数量 and 产生危险废物设施编码 came back as the generation's facts
    const slag = appended.find(
      (e) => e.type === 'WasteGenerated' && e.data.traceCode === codeOf.get(codes.own),
    );
    expect(slag?.data).toMatchObject({ packagingType: '吨袋', packageCount: 3, facilityCode: 'SC-01' });
    // the metadata naming the admin is part of the hash chain, which still verifies
    const chain = verifyStreamIntegrity(await streamEvents(t, utilised?.stream as string));
    expect(chain).toMatchObject({ verified: true, firstBreak: null });
    expect(utilised?.data).toMatchObject({
      traceCode: codeOf.get(codes.own),
      massGrams: 2_500,
      operation: 'R5',
      // the facility of table 4's 自行利用/处置设施编码
      facilityCode: FACILITY.facilityCode,
      custodianUscc: G,
      occurredAt: expect.stringMatching(/^2026-03-02T(02:03:00(\.000)?Z|10:03:00\+08:00)$/),
    });
    // and its book's table 4 says what the file's table 4 said, under this ledger's code
    const freshBook = await book(fresh);
    const [own4] = await tableRows(freshBook.body, 4);
    const [file4] = await tableRows(exported, 4);
    expect(own4).toMatchObject({
      traceCode: codeOf.get(codes.own),
      grams: file4.grams,
      operation: file4.operation,
      facilityCode: FACILITY.facilityCode,
      occurredAt: file4.occurredAt,
    });

    // a re-run applies nothing: the head does not move
    const head = await t.headPosition();
    const third = await imported(fresh, exported);
    expect(third.done).toMatchObject({ applied: 0, alreadyApplied: 3, matched: 3, unmatched: 2, refused: 0 });
    await expectHeadUnchanged(t, head, 'a re-run of the same book');
    expect(errors.mock.calls.map((c) => String(c[0])).filter((m) => /Projections stopped/.test(m))).toEqual(
      [],
    );
    errors.mockRestore();
  }, 120_000);

  it('reads a CSV as the one table its header row names (the export’s CSV of table=N): table 4 as CSV applies nothing twice, table 3 reconciles', async () => {
    const csvOf = async (table: string) => {
      const res = (await original.t.http
        .get('/v1/ledger-book')
        .query({ party: G, from: '2026-03', to: '2026-03', format: 'csv', table })
        .set('Authorization', token(original))
        .buffer(true)
        .parse(binary as never)) as Binary;
      expect(res.status).toBe(200);
      return res.body;
    };
    const head = await fresh.t.headPosition();
    const four = await imported(fresh, await csvOf('4'), 'text/csv');
    expect(four.done).toMatchObject({ rows: 1, alreadyApplied: 1, applied: 0 });
    expect(four.report[0].table).toMatch(/^表4/);
    const three = await imported(fresh, await csvOf('3'), 'text/csv');
    expect(three.done).toMatchObject({ rows: 2, matched: 1, unmatched: 1, applied: 0 });
    await expectHeadUnchanged(fresh.t, head, 'CSV tables already imported');
  }, 60_000);

  it('imported back into its own ledger, every row of every table is matched and the head does not move', async () => {
    const head = await original.t.headPosition();
    const { done, report: rows } = await imported(original, exported);
    expect(done).toMatchObject({
      status: 'done',
      rows: 8,
      matched: 8,
      applied: 0,
      alreadyApplied: 0,
      unmatched: 0,
    });
    for (const r of rows) expect(r.traceCode).toBe(r.sourceCode);
    await expectHeadUnchanged(original.t, head, 'the book imported back');
  }, 60_000);

  it('refuses a file with a bad row in table 4 whole, the problem naming sheet, row and column; nothing appended', async () => {
    const workbook = await loadWorkbook(exported);
    const table4 = BOOK_TABLES[3];
    const sheet = workbook.getWorksheet(table4.sheet) as ExcelJS.Worksheet;
    const column = (key: string) => table4.columns.findIndex((c) => c.key === key) + 1;
    sheet.getRow(2).getCell(column('operation')).value = 'X99';
    const bad = Buffer.from(await workbook.xlsx.writeBuffer());
    const head = await fresh.t.headPosition();
    const res = await post(fresh, bad);
    const body = expectProblem(res, 422, { rule: 'import-rows-refused' });
    expect(body.rows).toEqual([
      expect.objectContaining({
        sheet: table4.sheet,
        table: 4,
        row: 2,
        column: '自行利用/处置方式',
        rule: 'isTreatmentOperation',
      }),
    ]);
    expect((body.errors as { field: string }[]).map((e) => e.field)).toEqual([
      `${table4.sheet}.rows[2].自行利用/处置方式`,
    ]);
    await expectHeadUnchanged(fresh.t, head, 'a refused file');
    // the same file as a dry run tells the same; a good one tells each table's rows
    const dry = await fresh.t.http
      .post('/v1/imports?dryRun=true')
      .set('Authorization', token(fresh))
      .set('Content-Type', XLSX)
      .send(exported);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rows: 8, tables: { 1: 2, 2: 2, 3: 2, 4: 1, 5: 1 } });
    // a CSV whose header is none of the tables is refused naming the rule
    const none = await post(fresh, Buffer.from('a,b\n1,2\n'), 'text/csv');
    expect(none.status).toBe(400);
    expect(none.body.rule).toBe('unreadable-file');
  });
});
