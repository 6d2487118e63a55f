import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('produces exactly what the canonicalize package produces, for any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' })), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('escapes and orders like the package: control characters, quotes, surrogates, UTF-16 key order', () => {
    const value = {
      b: 'quote " backslash \\ tab \t nul \u0000 del \u007f',
      a: ['lone \ud800 surrogate', 'pair 😀', 'CJK 废矿物油', 'line sep \u2028', -0, 1e21, 1.5e-7, 0.1],
      é: { z: undefined, y: null, x: true },
      '😀': 1,
      ﬀ: 2,
      '': [undefined, () => 1],
      long: 'x'.repeat(300),
      date: new Date('2026-03-02T02:00:00Z'),
    };
    expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('refuses NaN and infinities, like the package', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN is not allowed');
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow('Infinity is not allowed');
    expect(canonicalJson(undefined)).toBeUndefined();
  });
});
