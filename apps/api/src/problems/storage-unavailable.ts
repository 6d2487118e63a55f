import { storeFailureOf } from '@wasteflow/event-store';
import { problemDocument, type ProblemDocument } from './problem-document';

/** Seconds a client waits before retrying a request refused because the storage cannot take it now. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A store that is down, unreachable, hung past its timeouts, full or read-only is not a bug: 503 with
 * Retry-After, never 500. For a write, the rule tells the client what it may assume:
 * - `storage-unavailable`: nothing was written; retry later (with the same Idempotency-Key, as always);
 * - `outcome-unknown`: the failure came while the commit may have been under way. It may have been
 *   applied; retry with the same Idempotency-Key — the retry is answered with the first outcome if it was
 *   applied, and applies it once if it was not. A new key could apply it twice.
 */
export function storageProblem(error: unknown, method: string, instance: string): ProblemDocument | undefined {
  const failure = storeFailureOf(error);
  if (!failure) return undefined;
  const write = !READS.has(method.toUpperCase());
  if (write && failure.outcome === 'unknown') {
    return problemDocument(
      503,
      'outcome-unknown',
      `the storage failed while this write may have been committing (${failure.reason}); it may or may not have been applied: retry with the same Idempotency-Key, which applies it exactly once`,
      instance,
      { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS, outcome: 'unknown' },
    );
  }
  return problemDocument(
    503,
    'storage-unavailable',
    write
      ? `the storage cannot take writes now (${failure.reason}); nothing was written: retry later with the same Idempotency-Key`
      : `the storage cannot answer now (${failure.reason}); retry later`,
    instance,
    { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS, ...(write ? { outcome: 'not-applied' } : {}) },
  );
}
