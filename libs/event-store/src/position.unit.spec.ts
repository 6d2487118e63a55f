import fc from 'fast-check';
import { EventStoreError, InvalidPosition } from './errors';
import { MAX_POSITION, formatPosition, parsePosition } from './position';

describe('positions as decimal strings', () => {
  it('round-trips every position, above 2^53 included', () => {
    expect(formatPosition(2n ** 53n + 1n)).toBe('9007199254740993');
    expect(parsePosition('9007199254740993')).toBe(2n ** 53n + 1n);
    expect(parsePosition(formatPosition(MAX_POSITION))).toBe(MAX_POSITION);
    expect(parsePosition('0')).toBe(0n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_POSITION }), (position) => {
        expect(parsePosition(formatPosition(position))).toBe(position);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '-1',
    '+1',
    '01',
    '1.0',
    '1e3',
    '0x10',
    'abc',
    '١٢',
    '9223372036854775808',
    '99999999999999999999',
  ])('refuses %p with a typed error', (junk) => {
    const attempt = (): bigint => parsePosition(junk);
    expect(attempt).toThrow(InvalidPosition);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(EventStoreError);
      expect((error as InvalidPosition).code).toBe('invalid_position');
      expect((error as InvalidPosition).input).toBe(junk);
    }
  });

  it('refuses to format a negative position', () => {
    expect(() => formatPosition(-1n)).toThrow(InvalidPosition);
  });
});
