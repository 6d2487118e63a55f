import type { StreamModel } from './stream-model';

/** A stream folded up to `revision`: the state, and the hash its next event must continue. */
export interface CachedStreamState {
  readonly model: StreamModel<unknown, unknown>;
  readonly state: unknown;
  readonly revision: bigint;
  readonly lastHash: string | null;
}

/**
 * Folded stream states of this process, each with the revision it was folded to (an LRU of bounded
 * size). A unit of work asks the store for the stream's current revision and reads only the events after
 * the cached one (none, usually: a party's stream is read by almost every command and written rarely).
 *
 * Correct because the log is append-only: the events up to a revision never change, so a state folded
 * up to it is the state at that revision, whoever wrote after it (another request, another process). The
 * store is still asked on every load, and every commit still checks the revision it expects. States are
 * shared between requests: they are the domain's immutable values (evolve returns new ones).
 */
export class StreamStateCache {
  private readonly entries = new Map<string, CachedStreamState>();

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  get<S, E>(stream: string, model: StreamModel<S, E>): CachedStreamState | undefined {
    const entry = this.entries.get(stream);
    if (!entry || entry.model !== (model as StreamModel<unknown, unknown>)) return undefined;
    // most recently used last
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    return entry;
  }

  set(stream: string, entry: CachedStreamState): void {
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
