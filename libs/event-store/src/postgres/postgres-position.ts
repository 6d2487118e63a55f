import { InvalidArgument } from '../errors';

/**
 * PostgreSQL positions: `position = (xid << 20) | ordinal`, where xid is the 64-bit (epoch-extended)
 * transaction id of the commit and ordinal the event's index inside that commit. Ordered by position is
 * ordered by (xid, ordinal), the order the snapshot technique delivers in. One bigint column holds it
 * while xid < 2^43 (8.8e12 transactions: centuries at today's rates).
 */
export const ORDINAL_BITS = 20n;
/** The brief's limit: ordinal 2^20 - 1 stays free, so `(xid << 20) | 0xFFFFF` can mean "all of xid". */
export const MAX_EVENTS_PER_COMMIT = (1 << Number(ORDINAL_BITS)) - 1;
export const MAX_XID = (1n << (63n - ORDINAL_BITS)) - 1n;
const ORDINAL_MASK = (1n << ORDINAL_BITS) - 1n;

export function encodePosition(xid: bigint, ordinal: number): bigint {
  if (xid < 0n || xid > MAX_XID)
    throw new InvalidArgument(`Transaction id out of range for a position: ${xid}`);
  if (!Number.isSafeInteger(ordinal) || ordinal < 0 || ordinal >= MAX_EVENTS_PER_COMMIT) {
    throw new InvalidArgument(`Ordinal out of range for a position: ${ordinal}`);
  }
  return (xid << ORDINAL_BITS) | BigInt(ordinal);
}

export function decodePosition(position: bigint): { xid: bigint; ordinal: number } {
  if (position < 0n) throw new InvalidArgument(`Negative position: ${position}`);
  return { xid: position >> ORDINAL_BITS, ordinal: Number(position & ORDINAL_MASK) };
}

/** Every position of a transaction whose xid is below `xmin` is below this bound, and no other is. */
export function positionBoundForXmin(xmin: bigint): bigint {
  return xmin << ORDINAL_BITS;
}
