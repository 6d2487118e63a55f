import { setTimeout as sleep } from 'node:timers/promises';

/** What a conflict was about, for the pacing of the next attempt. */
export interface Conflict {
  /** The stream whose expected revision failed (undefined for a duplicate id or a taken key). */
  readonly stream?: string;
  /** That stream is one many requests write (the decision marked it `contended`). */
  readonly contended: boolean;
}

/** How one command waits between its attempts. */
export interface PacingRun {
  /**
   * Before attempt `attempt` commits a decision that writes the `contended` streams: undefined to commit
   * now, or the stream it waited for (its reads of it may be stale now: decide again first).
   */
  beforeCommit(attempt: number, contended: readonly string[]): Promise<string | undefined>;
  afterConflict(attempt: number, conflict: Conflict): Promise<void>;
  /**
   * Attempts the command may make beyond the writer's `maxAttempts` (asked before each attempt): a layer
   * may grant some to a command whose conflicts are other requests' progress, never unboundedly many.
   */
  extraAttempts(): number;
  /** The command is done (answered, refused or exhausted). */
  finish(): void;
}

export interface RetryPacing {
  start(maxAttempts: number): PacingRun;
}

/**
 * The core's pacing: commit at once; after a conflict a short random back-off, doubling per attempt up to
 * 200 ms, none after the last attempt. Random, so that writers that collided once do not collide again in
 * lockstep (also across processes, where nothing else orders them).
 */
export const randomBackoff: RetryPacing = {
  start(maxAttempts) {
    return {
      beforeCommit: async () => undefined,
      async afterConflict(attempt) {
        if (attempt < maxAttempts) await sleep(Math.random() * Math.min(5 * 2 ** (attempt - 1), 200));
      },
      extraAttempts: () => 0,
      finish: () => undefined,
    };
  },
};
