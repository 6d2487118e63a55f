import {
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import type {
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { maxBatchSizeOf, startLoop } from '../internal/catch-up-subscription';
import { normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { toServerFilter } from './kurrentdb-mapping';

/** How the adapter turns a server record into ours, and a checkpoint into a position the server reads. */
export interface SubscriptionParts {
  readonly decode: (resolved: AllStreamResolvedEvent, filter: NormalizedFilter) => RecordedEvent | undefined;
  /** A record boundary at or before `after` (the server refuses any other start). */
  readonly startOf: (after: bigint | undefined) => Promise<ReadPosition>;
  /** Translates a failure of the server (access denied on $all) into the error to report. */
  readonly explain: (error: unknown) => unknown;
}

/** Consecutive server-ended subscriptions without a delivery in between before giving up. */
const MAX_RESUBSCRIBES = 5;

/** Failures after which subscribing again can succeed: the server or the connection went away. */
function isTransient(error: unknown): boolean {
  const type = (error as { type?: unknown } | undefined)?.type;
  return (
    error === undefined ||
    type === 'unavailable' ||
    type === 'not-leader' ||
    type === 'cancelled' ||
    type === 'deadline-exceeded'
  );
}

/**
 * A catch-up subscription on $all with a server-side filter. The client's stream is read in paused mode,
 * so the next handler call only starts after the previous one settled (backpressure reaches the server),
 * and a batch takes whatever has already arrived, up to maxBatchSize. When the server ends the
 * subscription (shutting down, a leader change, a dropped connection: SubscriptionsService drops every
 * subscription with Unsubscribed on BecomeShuttingDown) it subscribes again after the last event its
 * handler was given: the cursor makes that exact, nothing skipped or repeated.
 */
export class KurrentDbSubscription implements Subscription {
  readonly finished: Promise<void>;
  private stream: AllStreamSubscription | undefined;
  private readonly filter: NormalizedFilter;
  private readonly maxBatchSize: number;
  private readonly done: Promise<void>;
  private cursor: bigint | undefined;
  private stopped = false;
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly handler: SubscriptionHandler,
    options: SubscriptionOptions,
    private readonly parts: SubscriptionParts,
    private readonly pauseMs = 200,
  ) {
    this.filter = normalizeFilter(options.filter);
    this.maxBatchSize = handler.onBatch ? maxBatchSizeOf(options) : 1;
    this.cursor = options.after;
    const loop = startLoop(() => this.run(), options);
    this.finished = loop.finished;
    this.done = loop.done;
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.wake?.();
      await this.stream?.unsubscribe().catch(() => undefined);
    }
    await this.done;
  }

  private async run(): Promise<void> {
    let quietEnds = 0;
    try {
      for (;;) {
        if (this.stopped) return;
        await this.open();
        const delivered = await this.pump();
        if (delivered === undefined) return;
        const reason = this.failure;
        if (!isTransient(reason)) throw this.parts.explain(reason);
        quietEnds = delivered ? 1 : quietEnds + 1;
        if (quietEnds > MAX_RESUBSCRIBES) {
          throw new Error(
            `KurrentDB ended the $all subscription ${quietEnds} times in a row${
              reason instanceof Error ? `: ${reason.message}` : ''
            }`,
            { cause: reason },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs * quietEnds));
      }
    } finally {
      if (!this.stopped) await this.stream?.unsubscribe().catch(() => undefined);
    }
  }

  private async open(): Promise<void> {
    await this.stream?.unsubscribe().catch(() => undefined);
    const start = this.cursor === undefined ? START : await this.parts.startOf(this.cursor);
    this.ended = false;
    this.failure = undefined;
    const stream = this.client.subscribeToAll({ fromPosition: start, filter: toServerFilter(this.filter) });
    const signal = (): void => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    // A replaced stream may still report its end: only the current one counts.
    const ended = (error?: Error): void => {
      if (this.stream !== stream) return;
      if (error) this.failure = error;
      this.ended = true;
      signal();
    };
    stream.on('readable', signal);
    stream.on('end', () => ended());
    stream.on('close', () => ended());
    stream.on('error', (error: Error) => ended(error));
    this.stream = stream;
  }

  /**
   * Delivers until stopped (undefined) or until the server ends this subscription (whether anything was
   * delivered on it).
   */
  private async pump(): Promise<boolean | undefined> {
    let delivered = false;
    for (;;) {
      const batch = await this.take();
      if (batch === undefined) return this.stopped ? undefined : delivered;
      if (batch.length > 0) {
        await this.deliver(batch);
        delivered = true;
      }
    }
  }

  /** Up to maxBatchSize of our events already received; waits when none; undefined once stopped or ended. */
  private async take(): Promise<RecordedEvent[] | undefined> {
    const stream = this.stream as AllStreamSubscription;
    for (;;) {
      if (this.stopped) return undefined;
      const batch: RecordedEvent[] = [];
      let resolved: AllStreamResolvedEvent | null;
      while (
        batch.length < this.maxBatchSize &&
        (resolved = stream.read() as AllStreamResolvedEvent | null)
      ) {
        const position = resolved.event?.position.commit;
        if (position !== undefined && this.cursor !== undefined && position <= this.cursor) continue;
        const recorded = this.parts.decode(resolved, this.filter);
        if (recorded) batch.push(recorded);
      }
      if (batch.length > 0) return batch;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private async deliver(batch: RecordedEvent[]): Promise<void> {
    const handler = this.handler;
    if (this.stopped) return;
    if (handler.onEvent) {
      for (const event of batch) {
        if (this.stopped) return;
        await handler.onEvent(event);
        this.cursor = event.position;
      }
      return;
    }
    await handler.onBatch(batch);
    this.cursor = batch[batch.length - 1].position;
  }
}
