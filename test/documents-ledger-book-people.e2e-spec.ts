import { parse as parseCsv } from 'csv-parse/sync';
import { LedgerBookQuery } from '@wasteflow/projections';
import { BOOK_TABLES } from '../apps/api/src/documents-ledger-book/ledger-book.columns';
import { describeEachStore, expect201, PARTIES, PLATE, send } from './support/fixtures';
import { getDocument } from './support/documents';
import { seededApp } from './support/seeded-app';

/**
 * The 台账's people (issue 14, ADR 14) over HTTP on both stores: the one person the ledger records with a
 * 台账 act — the driver a pickup names — is the 运送部门经办人 of the shipper's table-3 row, resolved from its
 * record when the book is read (as the 联单 does); after the admin erases that person the cell reads 已删除,
 * and the read model holds a reference only, never the name.
 */
const SUITE = 'documents-ledger-book-people';
const DRIVER = { name: '李运送', phone: '13811112222' };
const TABLE3 = BOOK_TABLES[2];

describeEachStore(SUITE, '台账 people (%s)', (kind) => {
  const app = seededApp(kind, SUITE, __filename, SUITE);

  /** Table 3 of the generator's book for March 2026 as CSV, rows keyed by the column keys. */
  const table3 = async (token: string | undefined) => {
    const query = `party=${PARTIES.generator.uscc}&from=2026-03&to=2026-03&format=csv&table=3`;
    const res = await getDocument(app.t, `/v1/ledger-book?${query}`, token);
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv((res.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual(TABLE3.columns.map((c) => c.header));
    return rows.map((r) => Object.fromEntries(TABLE3.columns.map((c, i) => [c.key, r[i]])));
  };

  it('a pickup naming its driver gives the shipper’s table 3 its 运送部门经办人; erased, the cell reads 已删除; a pickup without one leaves it blank', async () => {
    const named = await app.build.consigned(7);
    const picked = await expect201(
      send(
        app.t,
        `/v1/manifests/${named.manifestNo}/pickup`,
        app.world.tokens.carrier,
        { vehiclePlate: PLATE, occurredAt: '2026-03-02T10:01:00+08:00', driver: DRIVER },
        `${SUITE}-${kind}-pickup`,
      ),
    );
    const driverId = picked.body.driverPersonId as string;
    expect(driverId).toMatch(/^p-[0-9a-f]{32}$/);
    const unnamed = await app.build.inTransit(3);

    const row = (rows: Record<string, string>[], manifestNo: string) =>
      rows.find((r) => r.manifestNo === manifestNo && r.movement === '转移');
    for (const token of [app.world.tokens.generator, app.world.tokens.regulator, app.world.tokens.auditor]) {
      const rows = await table3(token);
      expect(row(rows, named.manifestNo)).toMatchObject({
        traceCode: named.traceCode,
        carrierHandler: DRIVER.name,
      });
      expect(row(rows, unnamed.manifestNo)).toMatchObject({ carrierHandler: '' });
    }
    // the read model keeps the reference, never the name
    const entries = await app.t.app
      .get(LedgerBookQuery)
      .byTraceCodes(PARTIES.generator.uscc, [named.traceCode]);
    expect(entries.filter((e) => e.movement === 'shipped').map((e) => e.handlerPersonId)).toEqual([driverId]);
    expect(JSON.stringify(entries, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      DRIVER.name,
    );

    await app.t.http
      .post(`/v1/people/${driverId}/erase`)
      .set('Authorization', `Bearer ${app.t.adminToken}`)
      .expect(200);
    const after = await table3(app.world.tokens.generator);
    expect(row(after, named.manifestNo)).toMatchObject({ carrierHandler: '已删除' });
    expect(JSON.stringify(after)).not.toContain(DRIVER.name);
  });
});
