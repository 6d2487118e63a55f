import { InvalidPosition } from './errors';

/** Largest position any adapter produces: positions live in signed 64-bit columns. */
export const MAX_POSITION = (1n << 63n) - 1n;

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Positions travel as decimal strings because they may exceed 2^53 (JSON numbers would round them). */
export function formatPosition(position: bigint): string {
  if (typeof position !== 'bigint' || position < 0n) {
    throw new InvalidPosition(String(position));
  }
  return position.toString(10);
}

/** Strict: no sign, no leading zeros, no whitespace, no exponent, at most 2^63 - 1. */
export function parsePosition(input: string): bigint {
  if (typeof input !== 'string' || input.length > 19 || !DECIMAL.test(input)) {
    throw new InvalidPosition(String(input));
  }
  const position = BigInt(input);
  if (position > MAX_POSITION) {
    throw new InvalidPosition(input);
  }
  return position;
}
