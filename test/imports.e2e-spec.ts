import { parse as parseCsv } from 'csv-parse/sync';
import { BOOK_TABLES } from '../apps/api/src/documents-ledger-book/ledger-book.columns';
import { describeEachStore, PARTIES, problemShapeErrors, type PrincipalName } from './support/fixtures';
import { binary, csvOf, importReportSheet, xlsxOf, yearOfRows, type Binary } from './support/import-sheets';
import { seededApp } from './support/seeded-app';

/**
 * POST /v1/imports over HTTP on the real app: a year of generation records (10,000 rows on SQLite) in the
 * columns of the 台账 export, as CSV and as xlsx; the ledger afterwards checked against the sheet row by row
 * (through the events' provenance and through the 台账 export); a second run applies nothing; a file with
 * row problems is refused whole, naming row, column and rule, and appends nothing.
 */
const SUITE = 'imports e2e';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TABLE1 = BOOK_TABLES[0];

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'imports');
  // the whole year on the embedded store; a tenth of it on PostgreSQL (the same code, a slower suite)
  const N = kind === 'sqlite' ? 10_000 : 1_000;
  const rows = yearOfRows(N);
  const token = (who: PrincipalName) => `Bearer ${app.world.tokens[who] as string}`;

  const post = (who: PrincipalName, body: Buffer, type = 'text/csv', query = '') =>
    app.t.http
      .post(`/v1/imports${query}`)
      .set('Authorization', token(who))
      .set('Content-Type', type)
      .send(body);

  async function finished(id: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 1200; i++) {
      const res = await app.t.http.get(`/v1/imports/${id}`).set('Authorization', token('generator'));
      expect(res.status).toBe(200);
      if (res.body.status !== 'running') return res.body as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${id} did not finish`);
  }

  it(`imports a year of records (${N} rows): the ledger then holds every row, to the gram, with its provenance`, async () => {
    const file = csvOf(rows);
    const before = await app.t.headPosition();
    const dry = await post('generator', file, 'text/csv', '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: N });
    expect(await app.t.headPosition()).toBe(before);

    const started = await post('generator', file);
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/v1/imports/${started.body.importId as string}`);
    const done = await finished(started.body.importId as string);
    expect(done).toMatchObject({
      status: 'done',
      rows: N,
      applied: N,
      alreadyApplied: 0,
      refused: 0,
      pending: 0,
    });

    // every row made one WasteGenerated whose correlation id names the file and the row
    const sha = (done.sha256 as string).slice(0, 16);
    const byRow = new Map<
      number,
      { massGrams: number; occurredAt: string; category: string; traceCode: string }
    >();
    for (const e of await app.t.store.readAll({ after: before })) {
      const m = /^import:([0-9a-f]{16}):row:(\d+)$/.exec(String(e.metadata.correlationId));
      if (e.type !== 'WasteGenerated' || !m || m[1] !== sha) continue;
      byRow.set(Number(m[2]), e.data as never);
    }
    expect(byRow.size).toBe(N);
    rows.forEach((row, i) => {
      const event = byRow.get(i + 2);
      expect(event).toMatchObject({ massGrams: row.grams, category: row.category });
      expect(Date.parse(event?.occurredAt as string)).toBe(
        Math.floor(Date.parse(row.occurredAt) / 1000) * 1000,
      );
    });

    // and the 台账 of 2025 read back says the same, sums per category exact
    const position = (await app.t.headPosition()).toString();
    const book = (await app.t.http
      .get('/v1/ledger-book')
      .query({
        party: PARTIES.generator.uscc,
        from: '2025-01',
        to: '2025-12',
        format: 'csv',
        table: '1',
        minPosition: position,
      })
      .set('Authorization', token('generator'))
      .buffer(true)
      .parse(binary as never)) as Binary;
    expect(book.status).toBe(200);
    const [header, ...bookRows] = parseCsv(book.body.toString('utf8'), { bom: true }) as string[][];
    const at = (key: string) => header.indexOf(TABLE1.columns.find((c) => c.key === key)?.header as string);
    expect(bookRows).toHaveLength(N);
    const sums = (list: { category: string; grams: number }[]) =>
      list.reduce<Record<string, number>>(
        (s, r) => ({ ...s, [r.category]: (s[r.category] ?? 0) + r.grams }),
        {},
      );
    const names: Record<string, string> = { 危险废物: 'hazardous', 一般工业固体废物: 'industrial' };
    expect(
      sums(bookRows.map((r) => ({ category: names[r[at('category')]], grams: Number(r[at('grams')]) }))),
    ).toEqual(sums(rows));

    // a second run of the same file applies nothing
    const head = await app.t.headPosition();
    const again = await post('generator', file);
    expect(again.status).toBe(202);
    expect(await finished(again.body.importId as string)).toMatchObject({
      applied: 0,
      alreadyApplied: N,
      refused: 0,
    });
    expect(await app.t.headPosition()).toBe(head);

    // the per-row report, as a sheet
    const sheet = await importReportSheet(app.t.http, started.body.importId as string, token('generator'));
    expect(sheet.rowCount).toBe(N + 1);
    expect(sheet.getRow(2).getCell(4).value).toBe('applied');
    // another party does not see the import
    const other = await app.t.http
      .get(`/v1/imports/${started.body.importId as string}`)
      .set('Authorization', token('otherGenerator'));
    expect(other.status).toBe(404);
  }, 600_000);

  it('reads the same rows from an xlsx workbook (a re-run of the rows of the CSV: nothing new)', async () => {
    const some = rows.slice(0, 50);
    const head = await app.t.headPosition();
    const res = await post('generator', await xlsxOf(some), XLSX);
    expect(res.status).toBe(202);
    expect(await finished(res.body.importId as string)).toMatchObject({
      rows: 50,
      alreadyApplied: 50,
      applied: 0,
    });
    expect(await app.t.headPosition()).toBe(head);
  }, 120_000);

  it('recognises a book exported from this ledger and imported back: every row of tables 1 and 2 matched, nothing applied', async () => {
    const position = (await app.t.headPosition()).toString();
    const exported = (await app.t.http
      .get('/v1/ledger-book')
      .query({ party: PARTIES.generator.uscc, from: '2025-01', to: '2025-12', minPosition: position })
      .set('Authorization', token('generator'))
      .buffer(true)
      .parse(binary as never)) as Binary;
    expect(exported.status).toBe(200);
    const head = await app.t.headPosition();
    const res = await post('generator', exported.body, XLSX);
    expect(res.status).toBe(202);
    const done = await finished(res.body.importId as string);
    // every sheet is read: table 1's generations and the 入库 (table 2) each made, all already recorded
    expect(done).toMatchObject({
      status: 'done',
      rows: 2 * N,
      matched: 2 * N,
      applied: 0,
      alreadyApplied: 0,
      unmatched: 0,
    });
    expect(await app.t.headPosition()).toBe(head);
    // the report names the event each row is
    const row2 = (
      await importReportSheet(app.t.http, res.body.importId as string, token('generator'))
    ).getRow(2);
    expect(row2.getCell(4).value).toBe('matched');
    const event = (await app.t.store.readAll({ after: 0n })).find((e) => e.id === row2.getCell(10).value);
    expect(event?.type).toBe('WasteGenerated');
    expect(String(row2.getCell(6).value)).toBe(event?.position.toString());
  }, 600_000);

  it('refuses a file with row problems whole, naming row, column and rule; appends nothing', async () => {
    const bad = csvOf([
      { ...rows[0], code: 'BAD-1' },
      { ...rows[1], code: 'BAD-2' },
      { ...rows[2], code: 'BAD-1' },
    ]).toString('utf8');
    const lines = bad.split('\n');
    const headerCells = lines[0].replace(/^\uFEFF/, '').split(',');
    const column = (key: string) =>
      headerCells.indexOf(TABLE1.columns.find((c) => c.key === key)?.header as string);
    const cells2 = lines[2].split(',');
    cells2[column('occurredAt')] = '2025-13-45 25:00';
    cells2[column('grams')] = '1000';
    cells2[column('tonnes')] = '7.000';
    lines[2] = cells2.join(',');
    const head = await app.t.headPosition();
    const res = await post('generator', Buffer.from(lines.join('\n')));
    expect(res.status).toBe(422);
    expect(problemShapeErrors(res.headers['content-type'], res.body, 422)).toEqual([]);
    expect(res.body.rule).toBe('import-rows-refused');
    const problems = (res.body.rows as { row: number; column: string; rule: string }[]).map((p) => [
      p.row,
      p.column,
      p.rule,
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        [3, '产生时间', 'isInstant'],
        [3, '产生量', 'massMismatch'],
        [4, '产生批次编码', 'duplicate'],
      ]),
    );
    expect(await app.t.headPosition()).toBe(head);
  });

  it('answers a row the ledger refuses with its problem document, and applies the others', async () => {
    const future = { ...rows[3], code: 'FUT-1', occurredAt: '2030-01-01T00:00:00Z', grams: 1234 };
    const fine = { ...rows[4], code: 'OK-1', grams: 4321 };
    const res = await post('generator', csvOf([future, fine]));
    expect(res.status).toBe(202);
    const done = await finished(res.body.importId as string);
    expect(done).toMatchObject({ applied: 1, refused: 1 });
    const [refused] = done.refusedRows as { row: number; problem: { rule: string; status: number } }[];
    expect(refused.row).toBe(2);
    expect(refused.problem.status).toBe(422);
    expect(typeof refused.problem.rule).toBe('string');
  });

  it('refuses what is not an import: another role, another media type, a file too large, no table 1', async () => {
    expect((await post('regulator', csvOf(rows.slice(0, 1)))).status).toBe(403);
    const pdf = await post('generator', Buffer.from('%PDF-1.7'), 'application/pdf');
    expect(pdf.status).toBe(415);
    const big = await post('generator', Buffer.alloc(9 * 1024 * 1024, 0x41));
    expect(big.status).toBe(413);
    expect(problemShapeErrors(big.headers['content-type'], big.body, 413)).toEqual([]);
    const noHeader = await post('generator', Buffer.from('a,b,c\n1,2,3\n'));
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.rule).toBe('unreadable-file');
    const garbage = await post('generator', Buffer.from('PK\u0003\u0004garbage'), XLSX);
    expect(garbage.status).toBe(400);
  });
});
