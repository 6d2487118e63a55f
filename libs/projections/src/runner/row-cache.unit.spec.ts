import { CarriedRows } from './carried-rows';
import { BatchRows } from './row-cache';
import type { RowLoader, RowValues } from './row-changes';
import { compileTable, defineTable, type CompiledTable } from './table';

const accounts = defineTable({
  name: 'accounts',
  key: ['id'],
  columns: { id: 'text', balance: 'bigint', owner: 'text', note: { type: 'text', nullable: true } },
});

const facts = defineTable({
  name: 'facts',
  key: ['region', 'month'],
  columns: {
    region: 'text',
    month: 'integer',
    grams: 'bigint',
    count: 'integer',
    share: 'real',
    label: { type: 'text', default: 'n/a' },
  },
});

const strict = defineTable({
  name: 'strict_rows',
  key: ['id'],
  columns: { id: 'text', n: 'integer', name: 'text' },
});

/** A loader over an in-memory "database" that records every call. */
class FakeLoader implements RowLoader {
  readonly calls: { table: string; keys: RowValues[] }[] = [];
  constructor(private readonly data: Record<string, RowValues[]> = {}) {}

  async load(table: CompiledTable, keys: readonly RowValues[]): Promise<RowValues[]> {
    this.calls.push({ table: table.name, keys: [...keys] });
    const rows = this.data[table.name] ?? [];
    return rows.filter((row) => keys.some((key) => table.encodeKey(key) === table.encodeKey(row)));
  }
}

describe('BatchRows (the per-batch row cache behind RowAccess)', () => {
  it('loads a row once, then serves it from the cache; a missing row is remembered as missing', async () => {
    const loader = new FakeLoader({ accounts: [{ id: 'a', balance: 5n, owner: 'x', note: null }] });
    const rows = new BatchRows(loader);
    const access = rows.access('p', [accounts]);
    expect(await access.get(accounts, { id: 'a' })).toEqual({ id: 'a', balance: 5n, owner: 'x', note: null });
    expect(await access.get(accounts, { id: 'a' })).toEqual({ id: 'a', balance: 5n, owner: 'x', note: null });
    expect(await access.get(accounts, { id: 'b' })).toBeUndefined();
    expect(await access.get(accounts, { id: 'b' })).toBeUndefined();
    expect(loader.calls).toHaveLength(2);
    expect(rows.changes()).toEqual([
      { table: compileTable(accounts), upserts: [], deletes: [], increments: [] },
    ]);
  });

  it('stages put and delete: the last write per key wins, reads see staged writes', async () => {
    const loader = new FakeLoader({ accounts: [{ id: 'a', balance: 5n, owner: 'x', note: null }] });
    const rows = new BatchRows(loader);
    const access = rows.access('p', [accounts]);
    access.put(accounts, { id: 'n', balance: 1n, owner: 'y', note: 'new' });
    access.put(accounts, { id: 'n', balance: 2n, owner: 'y', note: 'new' });
    expect(await access.get(accounts, { id: 'n' })).toEqual({
      id: 'n',
      balance: 2n,
      owner: 'y',
      note: 'new',
    });
    access.delete(accounts, { id: 'a' });
    expect(await access.get(accounts, { id: 'a' })).toBeUndefined();
    access.put(accounts, { id: 'gone', balance: 0n, owner: 'z', note: null });
    access.delete(accounts, { id: 'gone' });
    expect(loader.calls).toEqual([]);
    const [change] = rows.changes();
    expect(change.upserts).toEqual([{ id: 'n', balance: 2n, owner: 'y', note: 'new' }]);
    expect(change.deletes).toEqual([{ id: 'a' }, { id: 'gone' }]);
  });

  it('skips the DELETE of a row it read as missing', async () => {
    const rows = new BatchRows(new FakeLoader());
    const access = rows.access('p', [accounts]);
    expect(await access.get(accounts, { id: 'nope' })).toBeUndefined();
    access.delete(accounts, { id: 'nope' });
    expect(rows.changes()[0].deletes).toEqual([]);
  });

  it('skips the DELETE of a row read as missing, then put and removed in the same batch', async () => {
    const rows = new BatchRows(new FakeLoader());
    const access = rows.access('p', [accounts]);
    const { collector, load } = rows.collector('p', [accounts]);
    collector.want(accounts, { id: 'alert' });
    await load();
    access.put(accounts, { id: 'alert', balance: 1n, owner: 'o', note: null });
    access.delete(accounts, { id: 'alert' });
    // Unknown to the batch (never read): the DELETE stays, the database may hold the row.
    access.put(accounts, { id: 'unread', balance: 1n, owner: 'o', note: null });
    access.delete(accounts, { id: 'unread' });
    const [change] = rows.changes();
    expect(change.upserts).toEqual([]);
    expect(change.deletes).toEqual([{ id: 'unread' }]);
  });

  it('serves rows carried from earlier batches of a rebuild without loading them', async () => {
    const loader = new FakeLoader({ accounts: [{ id: 'db', balance: 9n, owner: 'o', note: null }] });
    const carried = new CarriedRows();
    const first = new BatchRows(loader, carried);
    first.access('p', [accounts, facts]).put(accounts, { id: 'a', balance: 1n, owner: 'o', note: null });
    first.access('p', [accounts, facts]).delete(accounts, { id: 'gone' });
    first.access('p', [accounts, facts]).add(facts, { region: 'r', month: 1 }, { grams: 1n });
    carried.committed(first.changes());

    const second = new BatchRows(loader, carried);
    const access = second.access('p', [accounts, facts]);
    const { collector, load } = second.collector('p', [accounts, facts]);
    for (const id of ['a', 'gone', 'db']) collector.want(accounts, { id });
    collector.want(facts, { region: 'r', month: 1 });
    await load();
    expect(await access.get(accounts, { id: 'a' })).toEqual({ id: 'a', balance: 1n, owner: 'o', note: null });
    expect(await access.get(accounts, { id: 'gone' })).toBeUndefined();
    expect(await access.get(accounts, { id: 'db' })).toMatchObject({ balance: 9n });
    // Only what was not carried is loaded: the row never written here, and the row written as an increment.
    expect(loader.calls).toEqual([
      { table: 'accounts', keys: [{ id: 'db' }] },
      { table: 'facts', keys: [{ region: 'r', month: 1 }] },
    ]);
    // A carried row known absent needs no DELETE.
    access.delete(accounts, { id: 'gone' });
    expect(second.changes()[0].deletes).toEqual([]);
  });

  it('keeps two generations of carried rows', () => {
    const carried = new CarriedRows(2);
    const table = compileTable(accounts);
    const row = (id: string) => ({ id, balance: 0n, owner: 'o', note: null });
    carried.committed([{ table, upserts: [row('a'), row('b')], deletes: [], increments: [] }]);
    carried.committed([{ table, upserts: [row('c'), row('d')], deletes: [], increments: [] }]);
    expect(carried.lookup(table, 'a')).toEqual(row('a'));
    carried.committed([{ table, upserts: [row('e')], deletes: [], increments: [] }]);
    expect(carried.lookup(table, 'a')).toBeUndefined();
    expect(carried.lookup(table, 'c')).toEqual(row('c'));
    expect(carried.lookup(table, 'e')).toEqual(row('e'));
    carried.clear();
    expect(carried.lookup(table, 'e')).toBeUndefined();
  });

  it('adds to counters without reading, merging repeated adds into one increment', async () => {
    const loader = new FakeLoader();
    const rows = new BatchRows(loader);
    const access = rows.access('p', [facts]);
    access.add(facts, { region: '330106', month: 202501 }, { grams: 10n, count: 1 });
    access.add(facts, { region: '330106', month: 202501 }, { grams: 5n, count: 1, share: 0.5 });
    access.add(facts, { region: '330102', month: 202501 }, { grams: 7n });
    expect(loader.calls).toEqual([]);
    expect(rows.changes()[0].increments).toEqual([
      {
        key: { region: '330106', month: 202501 },
        delta: { grams: 15n, count: 2, share: 0.5 },
        insertRow: { region: '330106', month: 202501, grams: 15n, count: 2, share: 0.5, label: 'n/a' },
      },
      {
        key: { region: '330102', month: 202501 },
        delta: { grams: 7n },
        insertRow: { region: '330102', month: 202501, grams: 7n, count: 0, share: 0, label: 'n/a' },
      },
    ]);
  });

  it('folds staged increments into the stored row when the row is read afterwards', async () => {
    const stored = { region: '330106', month: 202501, grams: 100n, count: 3, share: 0, label: 'kept' };
    const rows = new BatchRows(new FakeLoader({ facts: [stored] }));
    const access = rows.access('p', [facts]);
    access.add(facts, { region: '330106', month: 202501 }, { grams: 1n, count: 1 });
    access.add(facts, { region: '330110', month: 202501 }, { grams: 2n });
    expect(await access.get(facts, { region: '330106', month: 202501 })).toEqual({
      ...stored,
      grams: 101n,
      count: 4,
    });
    expect(await access.get(facts, { region: '330110', month: 202501 })).toEqual({
      region: '330110',
      month: 202501,
      grams: 2n,
      count: 0,
      share: 0,
      label: 'n/a',
    });
    // Once read, later adds apply to the row, and the originally returned object does not change.
    const before = await access.get(facts, { region: '330106', month: 202501 });
    access.add(facts, { region: '330106', month: 202501 }, { grams: 9n });
    expect(before?.grams).toBe(101n);
    expect((await access.get(facts, { region: '330106', month: 202501 }))?.grams).toBe(110n);
    const [change] = rows.changes();
    expect(change.increments).toEqual([]);
    expect(change.upserts.map((row) => row.grams)).toEqual([110n, 2n]);
    // The stored row object itself was never mutated.
    expect(stored.grams).toBe(100n);
  });

  it('turns an add after a delete into a fresh row', async () => {
    const rows = new BatchRows(new FakeLoader());
    const access = rows.access('p', [facts]);
    access.delete(facts, { region: 'r', month: 1 });
    access.add(facts, { region: 'r', month: 1 }, { count: 1 });
    const [change] = rows.changes();
    expect(change.deletes).toEqual([]);
    expect(change.upserts).toEqual([{ region: 'r', month: 1, grams: 0n, count: 1, share: 0, label: 'n/a' }]);
  });

  it('prefetch loads the wanted keys in one call per table and skips keys already known', async () => {
    const loader = new FakeLoader({ accounts: [{ id: 'a', balance: 1n, owner: 'o', note: null }] });
    const rows = new BatchRows(loader);
    const access = rows.access('p', [accounts, facts]);
    access.put(accounts, { id: 'known', balance: 0n, owner: 'o', note: null });
    const { collector, load } = rows.collector('p', [accounts, facts]);
    collector.want(accounts, { id: 'a' });
    collector.want(accounts, { id: 'a' });
    collector.want(accounts, { id: 'b' });
    collector.want(accounts, { id: 'known' });
    collector.want(facts, { region: 'r', month: 2 });
    await load();
    expect(loader.calls).toEqual([
      { table: 'accounts', keys: [{ id: 'a' }, { id: 'b' }] },
      { table: 'facts', keys: [{ region: 'r', month: 2 }] },
    ]);
    expect(await access.get(accounts, { id: 'a' })).toMatchObject({ balance: 1n });
    expect(await access.get(accounts, { id: 'b' })).toBeUndefined();
    expect(loader.calls).toHaveLength(2);
  });

  it('keeps a projection to the tables it declared', async () => {
    const rows = new BatchRows(new FakeLoader());
    const access = rows.access('mine', [accounts]);
    expect(() =>
      access.put(facts, { region: 'r', month: 1, grams: 0n, count: 0, share: 0, label: 'x' }),
    ).toThrow('Projection mine uses table facts, which it does not declare');
    expect(() => rows.collector('mine', [accounts]).collector.want(facts, { region: 'r', month: 1 })).toThrow(
      'does not declare',
    );
  });

  it('refuses adds of the wrong kind, to keys, or creating a row that lacks a default', async () => {
    const rows = new BatchRows(new FakeLoader());
    const access = rows.access('p', [facts, strict, accounts]);
    expect(() => access.add(facts, { region: 'r', month: 1 }, { grams: 1 as unknown as bigint })).toThrow(
      'grams (bigint) with number 1',
    );
    expect(() => access.add(facts, { region: 'r', month: 1 }, { count: 1n as unknown as number })).toThrow(
      'count (integer) with bigint 1',
    );
    expect(() => access.add(facts, { region: 'r', month: 1 }, { count: Number.NaN })).toThrow(
      'with number NaN',
    );
    expect(() => access.add(facts, { region: 'r', month: 1 }, { month: 1 } as never)).toThrow(
      'not a value column',
    );
    access.add(strict, { id: 'x' }, { n: 1 });
    expect(() => rows.changes()).toThrow('column name has no default');
    await expect(access.get(accounts, {} as never)).rejects.toThrow('key column id is missing');
    expect(() => access.put(accounts, { balance: 1n } as never)).toThrow('key column id is missing');
  });
});
