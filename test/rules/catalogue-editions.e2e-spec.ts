import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@wasteflow/event-store';
import { createApp } from '../../apps/api/src/create-app';
import { loadApiConfig } from '../../apps/api/src/config/api-config';
import { batchBody, expectProblem, Keys, send, streamEvents } from '../support/fixtures';
import { seededApp } from '../support/seeded-app';

const SUITE = 'catalogue editions by date (issue 16 item 8, ADR 0019)';

/** A small fixture edition, in force from 2026-03-03 (CST): three codes, one of them in no 2021 list. */
const NEXT = '2026-fixture';
const NEXT_FROM = '2026-03-03';
const ONLY_IN_NEXT = '900-999-08';
/** Listed in 2021, not in the fixture edition. */
const REMOVED_IN_NEXT = '900-214-08';
const NEXT_CSV = `code,category,hazard,name_raw
841-001-01,HW01,In,感染性废物
900-249-08,HW08,"T,I",其他生产、销售、使用过程中产生的废矿物油及沾染矿物油的废弃包装物
${ONLY_IN_NEXT},HW08,"T,I",测试用新增代码（夹具版本）
`;

/**
 * Issue 16 item 8 over HTTP: two editions of the list loaded at once from an editions table
 * (WASTEFLOW_HW_CATALOGUE); a waste code is judged by the edition in force on the day of the fact's
 * occurredAt, and the event records it; GET /v1/catalogue answers the edition of a date or a name.
 */
describe(`${SUITE} (sqlite)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasteflow-editions-'));
  writeFileSync(join(dir, 'hw-list-next.csv'), NEXT_CSV);
  writeFileSync(
    join(dir, 'editions.csv'),
    `edition,in_force_from,file\n2021,2021-01-01,${join(__dirname, '..', '..', 'catalogue', 'hw-list-2021.csv')}\n${NEXT},${NEXT_FROM},hw-list-next.csv\n`,
  );
  const clock = new ManualClock(new Date('2026-03-02T02:00:00Z'));
  const app = seededApp('sqlite', SUITE, __filename, 'editions', {
    clock,
    env: { WASTEFLOW_HW_CATALOGUE: join(dir, 'editions.csv') },
  });
  const keys = new Keys('editions');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const generator = () => app.world.tokens.generator as string;
  const generate = (wasteCode: string, occurredAt: string) =>
    send(app.t, '/v1/batches', generator(), { ...batchBody(1, wasteCode), occurredAt }, keys.next('batch'));
  const editionOf = async (stream: string) => (await streamEvents(app.t, stream))[0].data.catalogueEdition;
  const catalogue = (query = '') =>
    app.t.http.get(`/v1/catalogue${query}`).set('Authorization', `Bearer ${generator()}`);

  it('judges each generation by the edition in force on its day: a new code refused before its start and accepted after, a removed code the other way round', async () => {
    // 2026-03-02 (CST): the 2021 list is in force
    expectProblem(await generate(ONLY_IN_NEXT, '2026-03-02T09:00:00+08:00'), 400, {
      rule: 'unknown-waste-code',
    });
    const before = await generate(REMOVED_IN_NEXT, '2026-03-02T09:00:00+08:00');
    expect(before.status).toBe(201);
    expect(await editionOf(before.body.stream)).toBe('2021');

    // the next day the fixture edition is in force
    clock.set('2026-03-03T02:00:00Z');
    const after = await generate(ONLY_IN_NEXT, '2026-03-03T09:00:00+08:00');
    expect(after.status).toBe(201);
    expect(await editionOf(after.body.stream)).toBe(NEXT);
    const removed = await generate(REMOVED_IN_NEXT, '2026-03-03T09:00:00+08:00');
    expectProblem(removed, 400, { rule: 'unknown-waste-code' });
    expect(removed.body.edition).toBe(NEXT);
    // a late entry of the day before is still judged by the edition of its day
    const late = await generate(REMOVED_IN_NEXT, '2026-03-02T23:59:00+08:00');
    expect(late.status).toBe(201);
    expect(await editionOf(late.body.stream)).toBe('2021');
  });

  it('GET /v1/catalogue: the edition in force on a date (default now) or by name, with every edition loaded', async () => {
    clock.set('2026-03-03T02:00:00Z');
    const now = (await catalogue().expect(200)).body;
    expect(now).toMatchObject({ edition: NEXT, inForceFrom: NEXT_FROM });
    expect(now.editions).toEqual([
      { edition: '2021', inForceFrom: '2021-01-01', codes: 467 },
      { edition: NEXT, inForceFrom: NEXT_FROM, codes: 3 },
    ]);
    expect(now.entries.map((e: { code: string }) => e.code)).toContain(ONLY_IN_NEXT);

    const day = (await catalogue('?date=2026-03-02').expect(200)).body;
    expect(day.edition).toBe('2021');
    expect(day.entries).toHaveLength(467);
    expect(day.entries.map((e: { code: string }) => e.code)).not.toContain(ONLY_IN_NEXT);
    expect(day.entries.find((e: { code: string }) => e.code === '900-249-08')).toMatchObject({
      category: 'HW08',
      hazard: 'T,I',
    });
    // a time is taken on its CST day: 16:00 UTC is midnight in Hangzhou
    expect((await catalogue('?date=2026-03-02T16:00:00Z').expect(200)).body.edition).toBe(NEXT);
    expect((await catalogue('?edition=2021').expect(200)).body.edition).toBe('2021');
    // read-your-writes like every query (the catalogue reads no read model: always reached)
    expect((await catalogue('?date=2026-03-02&minPosition=1').expect(200)).body.edition).toBe('2021');

    expectProblem(await catalogue('?edition=2016'), 404, { rule: 'catalogue-edition-not-found' });
    expectProblem(await catalogue('?date=2026-03-02&edition=2021'), 400, { rule: 'invalid-value' });
    expect((await catalogue('?date=yesterday')).status).toBe(400);
    expect((await catalogue('?edition=../../etc')).status).toBe(400);
    expect((await catalogue('?colour=red')).status).toBe(400);
    expectProblem(await app.t.http.get('/v1/catalogue'), 401, { rule: 'unauthenticated' });
  });

  it('refuses to start with an editions table it cannot use, naming the file and why', async () => {
    for (const [table, message] of [
      ['edition,in_force_from,file\n2021,2021-01-01,missing.csv\n', /missing\.csv: cannot read/],
      [
        `edition,in_force_from,file\n2021,2021-01-01,hw-list-next.csv\nnext,2021-01-01,hw-list-next.csv\n`,
        /editions\.csv: not a usable catalogue: .*another edition comes into force on 2021-01-01/,
      ],
      ['edition,in_force_from,file\n2021,1 Jan 2021,hw-list-next.csv\n', /expected YYYY-MM-DD/],
    ] as const) {
      writeFileSync(join(dir, 'editions.csv'), table);
      const config = loadApiConfig({
        WASTEFLOW_DATA_DIR: dir,
        WASTEFLOW_ADMIN_TOKEN: 'x'.repeat(40),
        WASTEFLOW_HW_CATALOGUE: join(dir, 'editions.csv'),
      });
      await expect(createApp({ config, logger: false })).rejects.toThrow(message);
    }
  });
});
