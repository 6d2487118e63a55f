import ExcelJS from 'exceljs';
import { ManualClock } from '@wasteflow/event-store';
import { BOOK_TABLES } from '../../apps/api/src/documents-ledger-book/ledger-book.columns';
import {
  bytesOf,
  CLOCK_START,
  describeEachStore,
  expect201,
  expectHeadUnchanged,
  expectProblem,
  Keys,
  PARTIES,
  send,
} from '../support/fixtures';
import { facilityBody, ownWaste } from '../support/extra-fixtures';
import { seededApp } from '../support/seeded-app';

/**
 * Issue 14: a treatment names the registered facility that treated it (WasteUtilised / WasteDisposed v3
 * `facilityCode`), and the 台账 table 4 column 自行利用/处置设施编码 shows it.
 */
const SUITE = 'rules: the facility a treatment names (issue 14, HJ 1259 table 4)';

const F1 = 'ZJ-330106-F001';
const F2 = 'ZJ-330106-F002';

describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'facility-code', {
    clock: new ManualClock(new Date(CLOCK_START)),
  });
  const keys = new Keys(`facility-code-${kind}`);
  const generator = PARTIES.generator.uscc;
  const treated: { code: string; facilityCode: string; eventType: string }[] = [];

  const { slag, treat } = ownWaste(app, keys);
  const register = (body: Record<string, unknown>) =>
    expect201(
      send(app.t, `/v1/parties/${generator}/facilities`, app.world.tokens.regulator, body, keys.next()),
    );

  beforeAll(async () => {
    await register(facilityBody(F1, ['R5', 'C2']));
  });

  it('given one facility covering R5, when the generator utilises by R5 without naming it, then the event and the answer name that facility', async () => {
    const code = await slag(10);
    const res = await expect201(treat(code, 'R5', 4));
    expect(res.body).toMatchObject({ event: 'WasteUtilised', operation: 'R5', facilityCode: F1 });
    const stored = (await app.t.store.readAll()).filter((e) => e.type === 'WasteUtilised');
    expect(stored.at(-1)).toMatchObject({
      schemaVersion: 4,
      data: { traceCode: code, custodianUscc: generator, facilityCode: F1 },
    });
    treated.push({ code, facilityCode: F1, eventType: 'WasteUtilised' });
    // the trace view (GET /v1/batches/{code}) names it on the treatment step
    const view = await app.t.http
      .get(`/v1/batches/${code}`)
      .query({ minPosition: String(await app.t.headPosition()) })
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .expect(200);
    const steps = view.body.steps as { type: string; operation?: string; facilityCode?: string }[];
    expect(steps.filter((s) => s.type === 'WasteUtilised')).toEqual([
      expect.objectContaining({ operation: 'R5', facilityCode: F1 }),
    ]);
    expect(steps.filter((s) => s.facilityCode !== undefined)).toHaveLength(1);
  });

  it('refuses a facility code that is no facility of the party covering the operation (422 facility-does-not-cover) and a malformed one (400), appending nothing', async () => {
    const code = await slag(3);
    const before = await app.t.headPosition();
    const body = expectProblem(await treat(code, 'R5', 1, { facilityCode: 'ZJ-330106-F999' }), 422, {
      rule: 'facility-does-not-cover',
    });
    expect(body).toMatchObject({ facilityCode: 'ZJ-330106-F999', operation: 'R5', facilityCodes: [F1] });
    // F1 covers R5 and C2, not D1 (and without the receiver role nothing else covers D1)
    expectProblem(await treat(code, 'D1', 1, { facilityCode: F1 }), 403, { rule: 'not-allowed-to-treat' });
    for (const facilityCode of ['', 'x'.repeat(65), 42])
      expectProblem(await treat(code, 'R5', 1, { facilityCode }), 400, { fields: ['facilityCode'] });
    await expectHeadUnchanged(app.t, before, 'refused treatments');
  });

  it('given a second facility covering R5 and D1, an unnamed R5 is refused (400 facility-not-named, both listed); named, it is recorded; D1 unnamed records the one covering it', async () => {
    await register(facilityBody(F2, ['R5', 'D1']));
    const code = await slag(6);
    const before = await app.t.headPosition();
    const body = expectProblem(await treat(code, 'R5', 1), 400, { rule: 'facility-not-named' });
    expect(body).toMatchObject({ facilityCodes: [F1, F2] });
    await expectHeadUnchanged(app.t, before, 'an unnamed treatment among two facilities');
    expect((await expect201(treat(code, 'R5', 2, { facilityCode: F2 }))).body.facilityCode).toBe(F2);
    treated.push({ code, facilityCode: F2, eventType: 'WasteUtilised' });
    expect((await expect201(treat(code, 'D1', 1))).body).toMatchObject({
      event: 'WasteDisposed',
      facilityCode: F2,
    });
    treated.push({ code, facilityCode: F2, eventType: 'WasteDisposed' });
  });

  it('the 台账 table 4 (xlsx) gives each treatment its facility code, the cell equal to the event it names', async () => {
    const res = (await app.t.http
      .get('/v1/ledger-book')
      .query({
        party: generator,
        from: '2026-03',
        to: '2026-03',
        minPosition: String(await app.t.headPosition()),
      })
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .buffer(true)
      .parse(bytesOf)) as unknown as { status: number; body: Buffer };
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const table = BOOK_TABLES[3];
    const sheet = workbook.getWorksheet(table.sheet) as ExcelJS.Worksheet;
    const column = (key: string) => table.columns.findIndex((c) => c.key === key) + 1;
    expect(sheet.getRow(1).getCell(column('facilityCode')).value).toBe('自行利用/处置设施编码');
    const rows: { code: unknown; facilityCode: unknown; eventId: unknown }[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1)
        rows.push({
          code: row.getCell(column('traceCode')).value,
          facilityCode: row.getCell(column('facilityCode')).value,
          eventId: row.getCell(column('eventId')).value,
        });
    });
    expect(rows.map((r) => [r.code, r.facilityCode])).toEqual(treated.map((x) => [x.code, x.facilityCode]));
    const events = new Map((await app.t.store.readAll()).map((e) => [e.id, e]));
    rows.forEach((row, i) =>
      expect(events.get(row.eventId as string)).toMatchObject({
        type: treated[i].eventType,
        data: { facilityCode: row.facilityCode },
      }),
    );
  });
});
