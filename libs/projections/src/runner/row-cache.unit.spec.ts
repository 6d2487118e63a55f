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
    // A replay starts from emptied tables: the loader holds nothing the replay did not write.
    const loader = new FakeLoader();
    const carried = new CarriedRows();
    const first = new BatchRows(loader, carried);
    const firstAccess = first.access('p', [accounts, facts]);
    // Read before the first commit: `accounts` is carried, and complete.
    expect(await firstAccess.get(accounts, { id: 'a' })).toBeUndefined();
    firstAccess.put(accounts, { id: 'a', balance: 1n, owner: 'o', note: null });
    firstAccess.put(accounts, { id: 'gone', balance: 1n, owner: 'o', note: null });
    firstAccess.add(facts, { region: 'r', month: 1 }, { grams: 1n });
    expect(loader.calls).toEqual([]);
    carried.committed(first.changes());

    const second = new BatchRows(loader, carried);
    const access = second.access('p', [accounts, facts]);
    access.delete(accounts, { id: 'gone' });
    expect(second.changes()[0].deletes).toEqual([{ id: 'gone' }]);
    carried.committed(second.changes());

    const third = new BatchRows(loader, carried);
    const thirdAccess = third.access('p', [accounts, facts]);
    const { collector, load } = third.collector('p', [accounts, facts]);
    for (const id of ['a', 'gone', 'never']) collector.want(accounts, { id });
    collector.want(facts, { region: 'r', month: 1 });
    await load();
    expect(await thirdAccess.get(accounts, { id: 'a' })).toEqual({
      id: 'a',
      balance: 1n,
      owner: 'o',
      note: null,
    });
    expect(await thirdAccess.get(accounts, { id: 'gone' })).toBeUndefined();
    expect(await thirdAccess.get(accounts, { id: 'never' })).toBeUndefined();
    // Nothing of the complete table is loaded (a key missing here is missing there); the table first read
    // after a commit is, since its rows committed before were not carried.
    expect(loader.calls).toEqual([{ table: 'facts', keys: [{ region: 'r', month: 1 }] }]);
    // Rows never committed need no DELETE, even unread: the complete table says they are absent.
    thirdAccess.put(accounts, { id: 'new', balance: 1n, owner: 'o', note: null });
    thirdAccess.delete(accounts, { id: 'new' });
    thirdAccess.delete(accounts, { id: 'never' });
    expect(third.changes()[0].deletes).toEqual([]);
  });

  it('carries only tables it was asked about, and evicts the rows not used lately past its limit', () => {
    const carried = new CarriedRows(4);
    const table = compileTable(accounts);
    const other = compileTable(facts);
    const row = (id: string) => ({ id, balance: 0n, owner: 'o', note: null });
    expect(carried.lookup(table, 'a')).toBeNull();
    carried.committed([
      { table, upserts: [row('a'), row('b')], deletes: [], increments: [] },
      { table: other, upserts: [{ region: 'r', month: 1, grams: 1n }], deletes: [], increments: [] },
    ]);
    expect(carried.lookup(table, 'a')).toEqual(row('a'));
    expect(carried.lookup(table, 'z')).toBeNull();
    // Never asked about before the commit: not carried, not complete.
    expect(carried.peek(other, other.encodeKey({ region: 'r', month: 1 }))).toBeUndefined();
    expect(carried.lookup(other, other.encodeKey({ region: 'r', month: 1 }))).toBeUndefined();
    // Past half the limit in recent commits: a and b become old rows, kept until the next eviction.
    carried.committed([{ table, upserts: [row('c')], deletes: [], increments: [] }]);
    expect(carried.size).toBe(3);
    expect(carried.lookup(table, 'a')).toEqual(row('a'));
    // a was used again (lookup): it stays; b and c were not: evicted, and only "maybe held" from then on.
    carried.committed([{ table, upserts: [row('d'), row('e')], deletes: [], increments: [] }]);
    expect(carried.size).toBe(3);
    expect(carried.lookup(table, 'a')).toEqual(row('a'));
    expect(carried.peek(table, 'b')).toBeUndefined();
    expect(carried.peek(table, 'c')).toBeUndefined();
    expect(carried.lookup(table, 'b')).toBeUndefined();
    // The table stays complete: a key never written is still known absent, without a query.
    expect(carried.lookup(table, 'z')).toBeNull();
    expect(carried.peek(table, 'y')).toBeNull();
    carried.committed([{ table, upserts: [row('f')], deletes: [{ id: 'e' }], increments: [] }]);
    expect(carried.lookup(table, 'f')).toEqual(row('f'));
    expect(carried.lookup(table, 'e')).toBeNull();
    carried.clear();
    expect(carried.peek(table, 'f')).toBeUndefined();
  });

  it('keeps the rows of an incomplete table known absent across an eviction of the others', () => {
    const carried = new CarriedRows(2);
    const table = compileTable(accounts);
    const row = (id: string) => ({ id, balance: 0n, owner: 'o', note: null });
    carried.committed([]);
    // first read after a commit: incomplete, so a delete is remembered as a known absence
    expect(carried.lookup(table, 'a')).toBeUndefined();
    carried.committed([{ table, upserts: [row('b')], deletes: [{ id: 'a' }], increments: [] }]);
    expect(carried.peek(table, 'a')).toBeNull();
    expect(carried.peek(table, 'b')).toEqual(row('b'));
    expect(carried.peek(table, 'never')).toBeUndefined();
    carried.committed([{ table, upserts: [row('c'), row('d')], deletes: [], increments: [] }]);
    carried.committed([{ table, upserts: [row('e'), row('f')], deletes: [], increments: [] }]);
    // evicted from an incomplete table: simply not known any more
    expect(carried.peek(table, 'a')).toBeUndefined();
    expect(carried.peek(table, 'b')).toBeUndefined();
    expect(carried.peek(table, 'e')).toEqual(row('e'));
  });

  it('carries a table read in the first batch even when the batch cache answered the read', async () => {
    const loader = new FakeLoader();
    const carried = new CarriedRows();
    const first = new BatchRows(loader, carried);
    const access = first.access('p', [accounts]);
    access.put(accounts, { id: 'a', balance: 1n, owner: 'o', note: null });
    expect(await access.get(accounts, { id: 'a' })).toMatchObject({ id: 'a' });
    carried.committed(first.changes());
    const table = compileTable(accounts);
    expect(carried.peek(table, 'a')).toMatchObject({ id: 'a' });
    expect(carried.peek(table, 'b')).toBeNull();
  });

  it('stops treating a carried table as complete once it is written as increments', () => {
    const carried = new CarriedRows();
    const table = compileTable(facts);
    const key = table.encodeKey({ region: 'r', month: 1 });
    expect(carried.lookup(table, key)).toBeNull();
    carried.committed([
      {
        table,
        upserts: [],
        deletes: [],
        increments: [
          {
            key: { region: 'r', month: 1 },
            delta: { grams: 1n },
            insertRow: { region: 'r', month: 1, grams: 1n },
          },
        ],
      },
    ]);
    expect(carried.lookup(table, key)).toBeUndefined();
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
    // The same checks when the add merges into one already staged.
    access.add(facts, { region: 'm', month: 1 }, { grams: 1n, count: 0 });
    expect(() => access.add(facts, { region: 'm', month: 1 }, { grams: 1 as unknown as bigint })).toThrow(
      'grams (bigint) with number 1',
    );
    expect(() => access.add(facts, { region: 'm', month: 1 }, { month: 1 } as never)).toThrow(
      'not a value column',
    );
    access.add(facts, { region: 'm', month: 1 }, { grams: 0n, count: 2 });
    expect(rows.changes()[0].increments).toEqual([
      {
        key: { region: 'm', month: 1 },
        delta: { grams: 1n, count: 2 },
        insertRow: { region: 'm', month: 1, grams: 1n, count: 2, share: 0, label: 'n/a' },
      },
    ]);
    access.add(strict, { id: 'x' }, { n: 1 });
    expect(() => rows.changes()).toThrow('column name has no default');
    await expect(access.get(accounts, {} as never)).rejects.toThrow('key column id is missing');
    expect(() => access.put(accounts, { balance: 1n } as never)).toThrow('key column id is missing');
  });
});
