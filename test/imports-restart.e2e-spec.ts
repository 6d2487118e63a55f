import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { PARTIES, seedWorld, Keys, type World } from './support/fixtures';
import { ApiChild } from './support/api-child';
import { freePort } from './support/source-process';
import { binary, csvOf, importReportSheet, yearOfRows, type Binary } from './support/import-sheets';
import { TEST_ADMIN_TOKEN, type TestApp } from './support/test-app';

/**
 * An import cut by a restart: the real api in a process of its own (SQLite data directory), SIGKILLed while
 * a job of 8,000 rows runs, started again on the same data. The job and its per-row report are still there
 * (`interrupted`, the rows applied before the kill `applied`), and a re-run of the file completes the
 * import applying nothing twice: the 台账 then holds each row exactly once.
 */
const N = 8_000;

describe('imports across a restart (sqlite, real process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wasteflow-import-restart-'));
  let port = 0;
  let api: ApiChild | undefined;
  let world: World;
  const env = () => ({
    WASTEFLOW_STORE: 'sqlite',
    WASTEFLOW_DATA_DIR: dataDir,
    WASTEFLOW_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  });
  const http = () => request(api?.url as string);
  const token = () => `Bearer ${world.tokens.generator as string}`;
  const job = async (id: string) => {
    const res = await http().get(`/v1/imports/${id}`).set('Authorization', token());
    expect(res.status).toBe(200);
    return res.body as Record<string, number | string>;
  };
  /** POSTs the CSV to /v1/imports: 202 and the new job's id. */
  const startImport = async (file: Buffer) => {
    const res = await http()
      .post('/v1/imports')
      .set('Authorization', token())
      .set('Content-Type', 'text/csv')
      .send(file);
    expect(res.status).toBe(202);
    return res.body.importId as string;
  };

  beforeAll(async () => {
    port = await freePort();
    api = new ApiChild(port, env());
    await api.ready();
    world = await seedWorld(
      { http: http(), adminToken: TEST_ADMIN_TOKEN } as unknown as TestApp,
      new Keys('imports-restart'),
    );
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the job and its report after a kill -9, marks it interrupted, and a re-run applies nothing twice', async () => {
    const file = csvOf(yearOfRows(N));
    const id = await startImport(file);

    // kill the api once the first rows are stored as applied, while the job still runs
    let before: Record<string, number | string> = {};
    for (let i = 0; i < 3000; i++) {
      before = await job(id);
      if (Number(before.applied) > 0 || before.status !== 'running') break;
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(before.status).toBe('running');
    expect(Number(before.applied)).toBeGreaterThan(0);
    await (api as ApiChild).stop('SIGKILL');

    api = new ApiChild(port, env());
    await api.ready();
    const after = await job(id);
    expect(after).toMatchObject({ importId: id, status: 'interrupted', rows: N });
    expect(String(after.failure)).toMatch(/send the file again/);
    expect(Number(after.applied)).toBeGreaterThanOrEqual(Number(before.applied));
    expect(Number(after.applied) + Number(after.pending)).toBe(N);
    expect(Number(after.pending)).toBeGreaterThan(0);

    // the report of the interrupted job, read back with exceljs: every row, applied or pending
    const sheet = await importReportSheet(http(), id, token());
    expect(sheet.rowCount).toBe(N + 1);
    const statuses = new Map<string, number>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const status = String(row.getCell(4).value);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    expect(Object.fromEntries(statuses)).toEqual({
      applied: Number(after.applied),
      pending: Number(after.pending),
    });
    // an auditor reads it too; another party does not
    const auditor = await http()
      .get(`/v1/imports/${id}`)
      .set('Authorization', `Bearer ${world.tokens.auditor as string}`);
    expect(auditor.status).toBe(200);
    const other = await http()
      .get(`/v1/imports/${id}`)
      .set('Authorization', `Bearer ${world.tokens.otherGenerator as string}`);
    expect(other.status).toBe(404);

    // the re-run: what was applied before the kill (stored or not) is already applied; the rest applied now
    const again = await startImport(file);
    let done: Record<string, number | string> = {};
    for (let i = 0; i < 3000; i++) {
      done = await job(again);
      if (done.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(done).toMatchObject({ status: 'done', refused: 0, pending: 0 });
    expect(Number(done.applied) + Number(done.alreadyApplied)).toBe(N);
    expect(Number(done.alreadyApplied)).toBeGreaterThanOrEqual(Number(after.applied));

    // the 台账 (read until the projection has caught up with the import): each row exactly once
    let rows: string[][] = [];
    for (let i = 0; i < 300 && rows.length < N; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const book = (await http()
        .get('/v1/ledger-book')
        .query({ party: PARTIES.generator.uscc, from: '2025-01', to: '2025-12', format: 'csv', table: '1' })
        .set('Authorization', token())
        .buffer(true)
        .parse(binary as never)) as Binary;
      expect(book.status).toBe(200);
      rows = (parseCsv(book.body.toString('utf8'), { bom: true }) as string[][]).slice(1);
    }
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r[0])).size).toBe(N);
  }, 600_000);
});
