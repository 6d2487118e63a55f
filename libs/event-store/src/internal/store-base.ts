import { EventStoreClosed } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  RecordedEvent,
  StreamWrite,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { CatchUpSubscription, SubscriptionSet, type CatchUpSettings } from './catch-up-subscription';
import type { WakeSignal } from './wake-signal';

/**
 * What every adapter does the same way: a one-stream `append` is `appendToStreams` with one write; once
 * closed, a store refuses every call (`assertOpen`); `close()` stops the subscriptions it started
 * (`subscriptions`) before it releases anything. The stores that poll their own `readAll` (SQL, in memory)
 * subscribe through `catchUp`.
 */
export abstract class StoreBase {
  protected readonly subscriptions = new SubscriptionSet();
  protected closed = false;

  abstract appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]>;
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  abstract headPosition(): Promise<bigint>;

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

  /**
   * A catch-up subscription over this store's `readAll`, woken by `signal`, that `close()` stops; it sees up
   * to `visibleHead` (by default `headPosition`).
   */
  protected catchUp(
    handler: SubscriptionHandler,
    options: SubscriptionOptions,
    signal: WakeSignal,
    settings: CatchUpSettings,
    visibleHead: () => Promise<bigint> = () => this.headPosition(),
  ): CatchUpSubscription {
    return this.subscriptions.add(
      new CatchUpSubscription(
        { readAll: (readOptions) => this.readAll(readOptions), visibleHead, signal },
        handler,
        options,
        settings,
      ),
    );
  }
}
