import { InvalidArgument } from '../errors';
import { formatPosition, parsePosition } from '../position';
import {
  decodePosition,
  encodePosition,
  MAX_EVENTS_PER_COMMIT,
  MAX_XID,
  positionBoundForXmin,
} from './postgres-position';
import fc from 'fast-check';

describe('PostgreSQL positions (xid << 20 | ordinal)', () => {
  it('encodes and decodes transaction ids far beyond 2^33 exactly', () => {
    const xid = 2n ** 40n + 12_345n;
    const position = encodePosition(xid, 7);
    expect(position).toBe(xid * 2n ** 20n + 7n);
    expect(position).toBeGreaterThan(2n ** 53n);
    expect(decodePosition(position)).toEqual({ xid, ordinal: 7 });
    expect(parsePosition(formatPosition(position))).toBe(position);
  });

  it('orders like (xid, ordinal) and round-trips, for any xid and ordinal in range', () => {
    const xids = fc.bigInt({ min: 0n, max: MAX_XID });
    const ordinals = fc.integer({ min: 0, max: MAX_EVENTS_PER_COMMIT - 1 });
    fc.assert(
      fc.property(xids, ordinals, xids, ordinals, (xa, oa, xb, ob) => {
        const a = encodePosition(xa, oa);
        const b = encodePosition(xb, ob);
        expect(decodePosition(a)).toEqual({ xid: xa, ordinal: oa });
        expect(a < b).toBe(xa < xb || (xa === xb && oa < ob));
        expect(parsePosition(formatPosition(a))).toBe(a);
      }),
      { seed: 20250101, numRuns: 500 },
    );
  });

  it('puts every position of a transaction below xmin under the bound, and no other', () => {
    const xmin = 2n ** 34n + 3n;
    expect(encodePosition(xmin - 1n, MAX_EVENTS_PER_COMMIT - 1)).toBeLessThan(positionBoundForXmin(xmin));
    expect(encodePosition(xmin, 0)).toBe(positionBoundForXmin(xmin));
  });

  it('refuses what does not fit', () => {
    expect(() => encodePosition(MAX_XID + 1n, 0)).toThrow(InvalidArgument);
    expect(() => encodePosition(1n, MAX_EVENTS_PER_COMMIT)).toThrow(InvalidArgument);
    expect(() => encodePosition(-1n, 0)).toThrow(InvalidArgument);
    expect(encodePosition(MAX_XID, MAX_EVENTS_PER_COMMIT - 1)).toBeLessThan(2n ** 63n);
  });
});
