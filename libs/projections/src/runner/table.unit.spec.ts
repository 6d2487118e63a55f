import { compileTable, defineTable, snakeCase, type KeyOf, type RowOf } from './table';

describe('defineTable', () => {
  const table = defineTable({
    name: 'indicator_facts',
    key: ['regionCode', 'period'],
    columns: {
      regionCode: 'text',
      period: 'integer',
      generatedGrams: 'bigint',
      rate: { type: 'real', nullable: true },
      detail: { type: 'json', column: 'detail_json', nullable: true },
      active: { type: 'boolean', default: true },
    },
  });

  it('maps properties to snake_case columns unless named, and splits key from value columns', () => {
    const compiled = compileTable(table);
    expect(compiled.columns.map((c) => c.column)).toEqual([
      'region_code',
      'period',
      'generated_grams',
      'rate',
      'detail_json',
      'active',
    ]);
    expect(compiled.keyColumns.map((c) => c.property)).toEqual(['regionCode', 'period']);
    expect(compiled.valueColumns.map((c) => c.property)).toEqual([
      'generatedGrams',
      'rate',
      'detail',
      'active',
    ]);
    expect(compiled.columns.map((c) => [c.property, c.defaultValue])).toEqual([
      ['regionCode', null],
      ['period', 0],
      ['generatedGrams', 0n],
      ['rate', 0],
      ['detail', null],
      ['active', true],
    ]);
    expect(snakeCase('treatedFromPriorStockGrams')).toBe('treated_from_prior_stock_grams');
    expect(compileTable(table)).toBe(compiled);
  });

  it('encodes keys so that composite parts cannot run into each other', () => {
    const { encodeKey } = compileTable(table);
    expect(encodeKey({ regionCode: '33|01', period: 6 })).not.toBe(
      encodeKey({ regionCode: '33', period: 106 }),
    );
    expect(encodeKey({ regionCode: 'a', period: 1 })).toBe(
      encodeKey({ regionCode: 'a', period: 1, generatedGrams: 5n }),
    );
    const triple = compileTable(
      defineTable({ name: 'triple', key: ['a', 'b', 'c'], columns: { a: 'text', b: 'text', c: 'text' } }),
    );
    const parts = ['', ':', '1', '1:', ':1', '2:1:', '10', 'a:b'];
    const encoded = new Set<string>();
    for (const a of parts)
      for (const b of parts) for (const c of parts) encoded.add(triple.encodeKey({ a, b, c }));
    expect(encoded.size).toBe(parts.length ** 3);
    const single = compileTable(defineTable({ name: 'single', key: ['id'], columns: { id: 'bigint' } }));
    expect(single.encodeKey({ id: 12n })).toBe('12');
  });

  it('types rows and keys from the definition', () => {
    const row: RowOf<typeof table> = {
      regionCode: '330106',
      period: 202501,
      generatedGrams: 1n,
      rate: null,
      detail: { a: [1] },
      active: false,
    };
    const key: KeyOf<typeof table> = { regionCode: row.regionCode, period: row.period };
    expect(key).toEqual({ regionCode: '330106', period: 202501 });
    // @ts-expect-error -- a bigint column does not take a number
    const wrong: RowOf<typeof table> = { ...row, generatedGrams: 1 };
    expect(wrong).toBeDefined();
  });

  it('refuses bad names, unknown key columns, nullable or real keys and unknown types', () => {
    expect(() => defineTable({ name: 'Bad-Name', key: ['id'], columns: { id: 'text' } })).toThrow(
      'Invalid table name',
    );
    expect(() => defineTable({ name: 't', key: [], columns: { id: 'text' } })).toThrow('needs a primary key');
    expect(() => defineTable({ name: 't', key: ['nope' as 'id'], columns: { id: 'text' } })).toThrow(
      'key column nope is not a column',
    );
    expect(() =>
      defineTable({ name: 't', key: ['id'], columns: { id: { type: 'text', nullable: true } } }),
    ).toThrow('cannot be nullable');
    expect(() => defineTable({ name: 't', key: ['id'], columns: { id: 'real' } })).toThrow('cannot be real');
    expect(() =>
      defineTable({ name: 't', key: ['id'], columns: { id: 'text', x: 'date' as 'text' } }),
    ).toThrow('unknown type date');
    expect(() =>
      defineTable({ name: 't', key: ['id'], columns: { id: 'text', x: { type: 'text', column: 'X;drop' } } }),
    ).toThrow('Invalid column name');
  });
});
