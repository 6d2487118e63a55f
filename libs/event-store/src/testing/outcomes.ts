/** The error a promise rejects with, for a test to assert on; a promise that resolves fails the test. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it resolved');
}

/** The reason of a settled promise that a test has just asserted was rejected. */
export function rejection(outcome: PromiseSettledResult<unknown>): unknown {
  return (outcome as PromiseRejectedResult).reason;
}

/** 'fulfilled' or 'rejected' for each of `Promise.allSettled`'s outcomes, in order. */
export function statuses(outcomes: readonly PromiseSettledResult<unknown>[]): string[] {
  return outcomes.map((outcome) => outcome.status);
}
