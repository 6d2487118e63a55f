import type { ActualRevision, ExpectedRevision } from '../event-store.port';

export function satisfiesExpected(expected: ExpectedRevision, actual: ActualRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}

/** -1n stands for "no stream" where arithmetic on revisions is easier than a union. */
export function revisionToNumber(actual: ActualRevision): bigint {
  return actual === 'no_stream' ? -1n : actual;
}

export function numberToRevision(value: bigint): ActualRevision {
  return value < 0n ? 'no_stream' : value;
}
