/**
 * Turns per stream within this process: `take(stream)` resolves when every earlier taker of the same
 * stream has released its turn, with the function that releases this one. Requests that lost a race on a
 * hot stream (a city's manifest serial counter) retry in turn, so each retry competes only with first
 * attempts, not with every other loser again. Cross-process races are still settled by expected revisions.
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

  /** Streams with a turn taken or awaited (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
