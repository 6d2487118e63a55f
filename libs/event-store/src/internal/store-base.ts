import { EventStoreClosed } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  StreamWrite,
} from '../event-store.port';
import { SubscriptionSet } from './catch-up-subscription';

/**
 * What every adapter does the same way: a one-stream `append` is `appendToStreams` with one write; once
 * closed, a store refuses every call (`assertOpen`); `close()` stops the subscriptions it started
 * (`subscriptions`) before it releases anything.
 */
export abstract class StoreBase {
  protected readonly subscriptions = new SubscriptionSet();
  protected closed = false;

  abstract appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]>;

  async append(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, events, expected }]);
    return result;
  }

  protected assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
  }
}
