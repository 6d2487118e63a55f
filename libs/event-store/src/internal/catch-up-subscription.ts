import { EventStoreClosed, InvalidArgument } from '../errors';
import type {
  ReadAllOptions,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import type { WakeSignal } from './wake-signal';

/** What the shared catch-up loop needs from an adapter. */
export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Highest position `readAll` can see now, whatever the stream or type. A filtered subscription whose page
   * came back short has scanned at least that far, so it need not rescan what it filtered out.
   */
  visibleHead(): Promise<bigint>;
  /** Notified after appends (in-process, LISTEN/NOTIFY, a change counter). */
  readonly signal: WakeSignal;
}

export interface CatchUpSettings {
  /** Events read per query; a batch handler may raise it to its maxBatchSize. */
  readonly pageSize: number;
  /** Longest wait without a wake-up before reading again anyway. */
  readonly idleTimeoutMs: number;
  /**
   * A wake-up may come before the events are visible (PostgreSQL: an older transaction still holds the
   * snapshot horizon). After a wake-up that found nothing, re-read soon, backing off to idleTimeoutMs.
   */
  readonly visibilityLag: boolean;
}

export const DEFAULT_MAX_BATCH_SIZE = 100;
const FIRST_BACKOFF_MS = 5;

/** The batch size a subscription hands to onBatch; refuses nonsense before anything starts. */
export function maxBatchSizeOf(options: SubscriptionOptions): number {
  const size = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new InvalidArgument(`maxBatchSize must be a positive integer, got ${String(options.maxBatchSize)}`);
  }
  return size;
}

/**
 * A subscription's ending, from its loop (started here, once `finished` exists): `finished` resolves when the
 * loop returns and rejects with its failure after telling `options.onError` (a throwing onError must not mask
 * that failure); callers who only ever call stop() get no unhandled rejection, awaiting `finished` still
 * throws. `done` settles with the loop and never rejects: what stop() awaits.
 */
export function startLoop(
  run: () => Promise<void>,
  options: Pick<SubscriptionOptions, 'onError'>,
): { finished: Promise<void>; done: Promise<void> } {
  let resolveFinished: () => void = () => undefined;
  let rejectFinished: (error: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    resolveFinished = resolve;
    rejectFinished = reject;
  });
  finished.catch(() => undefined);
  const done = run().then(resolveFinished, (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // The subscription is already failing with `error`; a throwing onError must not mask it.
    }
    rejectFinished(error);
  });
  return { finished, done };
}

/**
 * A catch-up subscription over `readAll`: history page by page, then live on wake-ups, strictly after the
 * last delivered position, so it never skips (readAll never shows a position below one it has shown) and
 * never repeats (the cursor only moves past what the handler has settled). One handler call at a time.
 */
export class CatchUpSubscription implements Subscription {
  readonly finished: Promise<void>;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private cursor: bigint | undefined;
  private readonly maxBatchSize: number;

  constructor(
    private readonly source: CatchUpSource,
    private readonly handler: SubscriptionHandler,
    private readonly options: SubscriptionOptions,
    private readonly settings: CatchUpSettings,
  ) {
    this.maxBatchSize = maxBatchSizeOf(options);
    this.cursor = options.after;
    const loop = startLoop(() => this.run(), options);
    this.finished = loop.finished;
    this.done = loop.done;
  }

  /** Position of the last event the handler settled (or the starting checkpoint). */
  get checkpoint(): bigint | undefined {
    return this.cursor;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { source, settings } = this;
    const filter = this.options.filter;
    const pageSize =
      'onBatch' in this.handler && this.handler.onBatch
        ? Math.max(settings.pageSize, this.maxBatchSize)
        : settings.pageSize;
    let woken = false;
    let backoffMs = 0;
    try {
      while (!this.stopped) {
        const version = source.signal.version;
        const head = filter ? await source.visibleHead() : undefined;
        if (this.stopped) return;
        const page = await source.readAll({ after: this.cursor, limit: pageSize, filter });
        if (this.stopped) return;
        if (page.length > 0 && !(await this.deliver(page))) return;
        if (
          head !== undefined &&
          page.length < pageSize &&
          (this.cursor === undefined || head > this.cursor)
        ) {
          this.cursor = head;
        }
        if (page.length === pageSize) {
          backoffMs = 0;
          continue;
        }
        if (page.length === 0 && settings.visibilityLag && (woken || backoffMs > 0)) {
          backoffMs = backoffMs === 0 ? FIRST_BACKOFF_MS : backoffMs * 2;
          if (backoffMs >= settings.idleTimeoutMs) backoffMs = 0;
        } else {
          backoffMs = 0;
        }
        woken = await source.signal.wait(version, backoffMs || settings.idleTimeoutMs, this.abort.signal);
      }
    } catch (error) {
      // Closing the store under a running read is a stop, not a failure: close() stops its subscriptions,
      // but a read already on its way (woken by a timer or a notification in the same turn) can meet the
      // closed store before that stop arrives.
      if (this.stopped || error instanceof EventStoreClosed) return;
      throw error;
    }
  }

  /** False when stopped part-way; the cursor then points at the last settled event. */
  private async deliver(page: readonly RecordedEvent[]): Promise<boolean> {
    const handler = this.handler;
    if (handler.onEvent) {
      for (const event of page) {
        if (this.stopped) return false;
        await handler.onEvent(event);
        this.cursor = event.position;
      }
      return true;
    }
    for (let start = 0; start < page.length; start += this.maxBatchSize) {
      if (this.stopped) return false;
      const batch = page.slice(start, start + this.maxBatchSize);
      await handler.onBatch(batch);
      this.cursor = batch[batch.length - 1].position;
    }
    return true;
  }
}

/** The subscriptions a store has started, so close() can stop them before it releases its resources. */
export class SubscriptionSet {
  private readonly active = new Set<Subscription>();

  add<T extends Subscription>(subscription: T): T {
    this.active.add(subscription);
    const forget = (): void => {
      this.active.delete(subscription);
    };
    subscription.finished.then(forget, forget);
    return subscription;
  }

  get size(): number {
    return this.active.size;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active].map((subscription) => subscription.stop()));
  }
}
