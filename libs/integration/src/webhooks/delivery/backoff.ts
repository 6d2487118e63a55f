/**
 * When the next attempt at a failing delivery is due, and when to give up (issue 15: exponential back-off
 * with jitter for at least 24 hours, then the subscription is paused with the reason). Pure: the clock and
 * the randomness come in, so tests drive it without sleeping.
 */
export interface BackoffPolicy {
  /** The delay before the second attempt (before jitter). */
  readonly baseMs: number;
  /** No delay grows beyond this (before jitter). */
  readonly capMs: number;
  /** Failing for this long (since the first failed attempt of the current event) pauses the subscription. */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 10_000,
  capMs: 60 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
};

/**
 * The delay after the `failures`-th consecutive failure (1 = the first): base · 2^(failures−1), capped,
 * then "equal jitter" — half of it fixed, half random — so receivers coming back are not hit by every
 * subscription at once while the delay still grows. `random` is in [0, 1).
 */
export function backoffDelayMs(policy: BackoffPolicy, failures: number, random: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const delay = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(delay / 2 + (delay / 2) * Math.min(Math.max(random, 0), 0.999_999));
}

export type NextStep =
  { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'pause'; readonly reason: string };

/**
 * After a failed attempt: retry at a later instant, or pause once the event has been failing for
 * `giveUpAfterMs` (the retry that would come after the horizon is not made).
 */
export function afterFailure(
  policy: BackoffPolicy,
  input: {
    readonly failingSince: Date;
    readonly failures: number;
    readonly now: Date;
    readonly lastError: string;
  },
  random: number,
): NextStep {
  const failingForMs = input.now.getTime() - input.failingSince.getTime();
  if (failingForMs >= policy.giveUpAfterMs) {
    return {
      kind: 'pause',
      reason: `deliveries failed for ${Math.floor(failingForMs / 3_600_000)} h (${input.failures} attempts) since ${input.failingSince.toISOString()}; last: ${input.lastError}`,
    };
  }
  return {
    kind: 'retry',
    at: new Date(input.now.getTime() + backoffDelayMs(policy, input.failures, random)),
  };
}
