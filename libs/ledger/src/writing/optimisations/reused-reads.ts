import type { StreamModel } from '../stream-model';
import type { FoldedStream, StreamRead, StreamReader } from '../unit-of-work';

/**
 * Optimisation "reads reused across retries" (docs/performance.md, "The write path"): a retry after a
 * conflict on one stream starts from the previous attempt's reads: every stream it read is taken as read,
 * except the one that conflicted, which is read again. Safe because the commit checks the expected
 * revision of every stream: a reused stream that changed too fails the next commit and is read again
 * then. It keeps the retries of a contended stream (a city's manifest serial counter) cheap.
 */
export class ReusingReader implements StreamReader {
  constructor(
    private readonly inner: StreamReader,
    private readonly previous: ReadonlyMap<string, StreamRead>,
    private readonly conflicting: string,
  ) {}

  fold<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return this.reused(stream, model) ?? this.inner.fold(stream, model);
  }

  created<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return this.reused(stream, model) ?? this.inner.created(stream, model);
  }

  async head(stream: string): Promise<StreamRead> {
    const read = stream === this.conflicting ? undefined : this.previous.get(stream);
    return read && read.model === undefined ? read : this.inner.head(stream);
  }

  private reused<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> | undefined {
    if (stream === this.conflicting) return undefined;
    const read = this.previous.get(stream);
    if (!read || read.model !== (model as StreamModel<unknown, unknown>)) return undefined;
    return Promise.resolve(read as FoldedStream<S>);
  }
}
