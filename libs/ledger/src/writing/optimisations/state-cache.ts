import type { EventStore } from '@wasteflow/event-store';
import type { StreamModel } from '../stream-model';
import { foldOnto, readAllOf, type FoldedStream, type StreamRead, type StreamReader } from '../unit-of-work';

/** A stream folded up to `revision`: the state, and the hash its next event must continue. */
export interface CachedStreamState {
  readonly model: StreamModel<unknown, unknown>;
  readonly state: unknown;
  readonly revision: bigint;
  readonly lastHash: string | null;
}

/**
 * Folded stream states of this process, each with the revision it was folded to (an LRU of bounded
 * size), kept between requests.
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

/**
 * Optimisation "the folded-state cache" (docs/performance.md, "The write path"): a load asks the store
 * for the stream's current revision and reads only the events after the cached one — none, usually, for
 * the party streams nearly every command reads and rarely writes. Anything but a longer stream than the
 * cached one (a stream under that name that is shorter, a gap) is read whole again.
 */
export class CachedReader implements StreamReader {
  constructor(
    private readonly inner: StreamReader,
    private readonly store: EventStore,
    private readonly cache: StreamStateCache,
  ) {}

  async fold<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    const cached = this.cache.get(stream, model);
    let folded: FoldedStream<S> | undefined;
    if (cached) {
      const current = await this.store.streamRevision(stream);
      // an append-only stream cannot shrink: anything else is another stream under that name, read it all
      if (current !== 'no_stream' && current >= cached.revision) {
        const after =
          current === cached.revision ? [] : await readAllOf(this.store, stream, cached.revision + 1n);
        if (after.length === 0 || after[0].revision === cached.revision + 1n) {
          const version = { revision: cached.revision, lastHash: cached.lastHash };
          folded = foldOnto(model, cached.state as S, version, after);
        }
      }
    }
    folded ??= await this.inner.fold(stream, model);
    this.keep(stream, folded);
    return folded;
  }

  created<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return this.inner.created(stream, model);
  }

  head(stream: string): Promise<StreamRead> {
    return this.inner.head(stream);
  }

  private keep(stream: string, folded: FoldedStream<unknown>): void {
    const revision = folded.version.revision;
    if (revision === 'no_stream' || !folded.model) return;
    this.cache.set(stream, {
      model: folded.model,
      state: folded.state,
      revision,
      lastHash: folded.version.lastHash,
    });
  }
}
