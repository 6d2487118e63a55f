import type { Conflict, PacingRun, RetryPacing } from '../retry-pacing';

/**
 * Turns per stream within this process: `take(stream)` resolves when every earlier taker of the same
 * stream has released its turn, with the function that releases this one.
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take(stream: string): Promise<() => void> {
    const previous = this.tails.get(stream) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(stream, tail);
    await previous;
    return () => {
      release();
      // the last taker forgets the stream, so the map holds only streams someone waits on
      if (this.tails.get(stream) === tail) this.tails.delete(stream);
    };
  }

  /** Whether someone holds or awaits a turn on `stream`. */
  taken(stream: string): boolean {
    return this.tails.has(stream);
  }

  /** Streams with a turn taken or awaited (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/**
 * Optimisation "hot-stream turns" (docs/performance.md, "The write path"): requests that lost a race on a
 * contended stream (a city's manifest serial counter, a receiver's party stream that every receipt draws
 * its permit on) retry in turn, one after the other, instead of racing every other loser again after a
 * random back-off; and while a stream has turns taken, a request about to commit to it joins the queue
 * instead of racing the one whose turn it is (it decides again when its turn comes: what it read is stale
 * by then). So within a process only the first collision of a burst costs a retry, and no request loses
 * more than once to its neighbours (under load some lost all 12 attempts before). The turn is held until
 * the command is done; a command holds at most one, so turns cannot deadlock. Cross-process races are still
 * settled by expected revisions: the turn's holder meets them with the inner pacing's back-off, and with
 * twice the attempts (each loss was another process's commit: with several api processes the holders of
 * one stream take a round each, and 12 attempts ran out for some of them when 8 raced).
 */
export class HotStreamTurns implements RetryPacing {
  private readonly turns = new StreamTurns();

  constructor(private readonly inner: RetryPacing) {}

  start(maxAttempts: number): PacingRun {
    // the inner back-off paces every attempt a turn's holder may make (see extraAttempts)
    const inner = this.inner.start(2 * maxAttempts);
    let release: (() => void) | undefined;
    const lastAttempt = () => (release ? 2 * maxAttempts : maxAttempts);
    return {
      beforeCommit: async (attempt: number, contended: readonly string[]) => {
        // the last attempt commits anyway: waiting would only use it up
        if (release || attempt >= maxAttempts) return inner.beforeCommit(attempt, contended);
        const hot = contended.find((stream) => this.turns.taken(stream));
        if (hot === undefined) return inner.beforeCommit(attempt, contended);
        release = await this.turns.take(hot);
        return hot;
      },
      afterConflict: async (attempt: number, conflict: Conflict) => {
        if (conflict.contended && conflict.stream !== undefined && !release) {
          release = await this.turns.take(conflict.stream);
          return;
        }
        if (attempt < lastAttempt()) await inner.afterConflict(attempt, conflict);
      },
      // A turn's holder meets only other api processes (this one's writers of the stream wait for it), and
      // each time it loses, one of their requests committed: it may try as often again before a 409.
      extraAttempts: () => (release ? maxAttempts : 0),
      finish: () => {
        release?.();
        inner.finish();
      },
    };
  }

  /** Streams with a turn taken or awaited (for tests). */
  get waiting(): number {
    return this.turns.size;
  }
}
