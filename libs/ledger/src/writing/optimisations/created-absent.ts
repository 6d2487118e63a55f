import type { StreamModel } from '../stream-model';
import type { FoldedStream, StreamRead, StreamReader } from '../unit-of-work';

/**
 * Optimisation "created streams taken as absent" (docs/performance.md, "The write path"): a stream a
 * decision is about to create (a new trace code, a new manifest) is absent but for a collision (a code's
 * 40 random bits) or a retried request (whose idempotency record refuses the commit first). So it is
 * taken as absent without a read and written with `no_stream`: if it exists after all, the commit is
 * refused, nothing is written, and the next attempt (which does not use this reader) reads it and the
 * domain refuses as it should. Only where the commit is atomic: elsewhere the streams before the refused
 * one would stay written.
 */
export class AbsentCreatedReader implements StreamReader {
  constructor(private readonly inner: StreamReader) {}

  fold<S, E>(stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return this.inner.fold(stream, model);
  }

  async created<S, E>(_stream: string, model: StreamModel<S, E>): Promise<FoldedStream<S>> {
    return {
      model: model as StreamModel<unknown, unknown>,
      state: model.initial,
      version: { revision: 'no_stream', lastHash: null },
    };
  }

  head(stream: string): Promise<StreamRead> {
    return this.inner.head(stream);
  }
}
