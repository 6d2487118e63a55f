import { arrayLiteral } from './postgres-rows';

describe('arrayLiteral (a column of a batch statement, made before its transaction opens)', () => {
  it.each([
    ['text, quoted', ['a', 'b c'], '{"a","b c"}'],
    ['quotes and backslashes escaped', ['say "hi"', 'C:\\dir'], '{"say \\"hi\\"","C:\\\\dir"}'],
    ['null and undefined as NULL, the text "NULL" quoted', [null, undefined, 'NULL'], '{NULL,NULL,"NULL"}'],
    ['the empty text', [''], '{""}'],
    ['numbers and booleans as node-postgres writes them', [1.5, 1e21, true, false], '{"1.5","1e+21","true","false"}'],
    ['json text, its quotes escaped once more', ['{"k":"v\\"w"}'], '{"{\\"k\\":\\"v\\\\\\"w\\"}"}'],
    ['no elements', [], '{}'],
  ])('%s', (_case, values, literal) => {
    expect(arrayLiteral(values)).toBe(literal);
  });
});
