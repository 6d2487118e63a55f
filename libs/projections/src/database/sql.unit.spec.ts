import { compileTable, defineTable } from '../runner/table';
import { decodeValue, encodeValue } from './codec';
import { SqlBuilder } from './sql';

const facts = compileTable(
  defineTable({
    name: 'facts',
    key: ['region', 'month'],
    columns: { region: 'text', month: 'integer', grams: 'bigint', detail: { type: 'json', nullable: true } },
  }),
);
const single = compileTable(
  defineTable({ name: 'single', key: ['id'], columns: { id: 'text', n: 'integer' } }),
);

describe('SqlBuilder', () => {
  const sqlite = new SqlBuilder('sqlite');
  const postgres = new SqlBuilder('postgres', 'wasteflow_read');

  it('upserts whole rows and increments counters, one row per SQLite statement', () => {
    expect(sqlite.upsert(facts, 1)).toBe(
      'INSERT INTO "facts" AS cur ("region", "month", "grams", "detail") VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT ("region", "month") DO UPDATE SET "grams" = excluded."grams", "detail" = excluded."detail"',
    );
    expect(sqlite.increment(facts, [facts.byProperty.get('grams')!], 1)).toBe(
      'INSERT INTO "facts" AS cur ("region", "month", "grams", "detail") VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT ("region", "month") DO UPDATE SET "grams" = COALESCE(cur."grams", 0) + excluded."grams"',
    );
    expect(sqlite.increment(facts, [], 1)).toContain('DO NOTHING');
    const keyOnly = compileTable(defineTable({ name: 'k', key: ['id'], columns: { id: 'text' } }));
    expect(sqlite.upsert(keyOnly, 1)).toBe(
      'INSERT INTO "k" AS cur ("id") VALUES (?) ON CONFLICT ("id") DO NOTHING',
    );
  });

  it('matches keys one at a time or in groups (a VALUES list for composite keys)', () => {
    expect(sqlite.selectByKeys(facts, 1)).toBe(
      'SELECT "region", "month", "grams", "detail" FROM "facts" WHERE "region" = ? AND "month" = ?',
    );
    expect(sqlite.selectByKeys(facts, 2)).toBe(
      'SELECT "region", "month", "grams", "detail" FROM "facts" WHERE ("region", "month") IN (VALUES (?, ?), (?, ?))',
    );
    expect(sqlite.deleteByKeys(single, 3)).toBe('DELETE FROM "single" WHERE "id" IN (?, ?, ?)');
  });

  it('qualifies PostgreSQL tables with the schema and reads json as text', () => {
    expect(postgres.selectAll(facts)).toBe(
      'SELECT "region", "month", "grams", CAST("detail" AS TEXT) AS "detail" FROM "wasteflow_read"."facts" ORDER BY "region", "month"',
    );
    expect(postgres.tuples(2, 2)).toBe('($1, $2), ($3, $4)');
  });
});

describe('value codec', () => {
  const column = (property: string) => facts.byProperty.get(property)!;
  const bool = compileTable(
    defineTable({ name: 'b', key: ['id'], columns: { id: 'text', on: 'boolean', r: 'real' } }),
  );

  it('binds bigint as int64 on SQLite and as text on PostgreSQL, JSON as text, booleans as SQLite can', () => {
    const big = (1n << 63n) - 1n;
    expect(encodeValue('sqlite', column('grams'), big)).toBe(big);
    expect(encodeValue('postgres', column('grams'), big)).toBe('9223372036854775807');
    expect(encodeValue('sqlite', column('detail'), 'x')).toBe('"x"');
    expect(encodeValue('postgres', column('detail'), null)).toBeNull();
    expect(encodeValue('sqlite', bool.byProperty.get('on')!, true)).toBe(1);
    expect(encodeValue('postgres', bool.byProperty.get('on')!, false)).toBe(false);
  });

  it('decodes integers from number, bigint or string without losing digits', () => {
    expect(decodeValue(column('grams'), '9007199254740993')).toBe(9007199254740993n);
    expect(decodeValue(column('grams'), 9007199254740993n)).toBe(9007199254740993n);
    expect(decodeValue(column('month'), 202501n)).toBe(202501);
    expect(decodeValue(column('month'), '202501')).toBe(202501);
    expect(decodeValue(column('detail'), '"x"')).toBe('x');
    expect(decodeValue(column('detail'), '{"a":[1,null]}')).toEqual({ a: [1, null] });
    expect(decodeValue(bool.byProperty.get('on')!, 1n)).toBe(true);
    expect(decodeValue(bool.byProperty.get('on')!, 0)).toBe(false);
    expect(decodeValue(bool.byProperty.get('r')!, 0.25)).toBe(0.25);
    expect(decodeValue(column('region'), null)).toBeNull();
  });
});
