// Longer than our ~400 lines on purpose: the adapter and its $all subscription share the mapping of the
// server's records; pure translation is in eventstoredb-mapping.ts, bookkeeping in
// eventstoredb-bookkeeping.ts. (To be replaced by the KurrentDB adapter.)
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventData,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { EventStoreClosed, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { validateIdempotency, validateWrites } from '../internal/append-validation';
import { retentionMs } from '../internal/bookkeeping-policy';
import { maxBatchSizeOf, SubscriptionSet } from '../internal/catch-up-subscription';
import { matchesFilter, normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { EventStoreDbBookkeeping } from './eventstoredb-bookkeeping';
import {
  fromEsdbName,
  isEsdbSystemRecord,
  toEsdbEventId,
  toEsdbExpected,
  toEsdbName,
  toPosition,
  toReadPosition,
  toServerFilter,
  unwrapMetadata,
  wrapMetadata,
} from './eventstoredb-mapping';

export type EventStoreDbEventStoreOptions = {
  /** Events per $all read. Default 500. */
  readonly pageSize?: number;
  /** Days an idempotency record is kept (default 30): the `$maxAge` of its stream. */
  readonly idempotencyRetentionDays?: number;
} & (
  | {
      /** e.g. `esdb://localhost:2113?tls=false` */
      readonly connectionString: string;
    }
  | {
      /** A client the caller owns (and disposes); close() leaves it open. */
      readonly client: EventStoreDBClient;
    }
);

function toEventData(event: EventToAppend): EventData {
  const { esdbId, keepOriginal } = toEsdbEventId(event.id);
  return jsonEvent({
    id: esdbId,
    type: toEsdbName(event.type),
    data: event.data,
    metadata: wrapMetadata(event, keepOriginal),
  });
}

/** Ours, decoded; undefined for EventStoreDB's own records and for anything not written as JSON. */
function toRecorded(event: EsdbRecordedEvent, position: bigint | undefined): RecordedEvent | undefined {
  if (!event.isJson || isEsdbSystemRecord(event.streamId, event.type) || position === undefined)
    return undefined;
  const { metadata, schemaVersion, id } = unwrapMetadata(event.metadata, event.id);
  return {
    id,
    stream: fromEsdbName(event.streamId),
    revision: event.revision,
    position,
    type: fromEsdbName(event.type),
    schemaVersion,
    data: event.data as JsonObject,
    metadata,
    recordedAt: event.created,
  };
}

function fromAll(resolved: AllStreamResolvedEvent, filter: NormalizedFilter): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const recorded = toRecorded(event, toPosition(event.position));
  return recorded && matchesFilter(filter, recorded.stream, recorded.type) ? recorded : undefined;
}

/**
 * EventStoreDB (or KurrentDB) through @eventstore/db-client. The server keeps the log; this adapter maps
 * names, revisions, errors and positions (commit positions of $all).
 *
 * Honest limits, all from the server's model:
 * - appendToStreams is NOT atomic: EventStoreDB 23/24 and client v6 have no multi-stream append, so the
 *   writes go one after another in the given order; a failure leaves the earlier ones written
 *   (capabilities.atomicMultiStreamAppend = false). Each write on its own is atomic and idempotent, so
 *   retrying the whole call completes it.
 * - Event ids are unique per stream position, not globally: EventStoreDB deduplicates an id only when it is
 *   retried at the same expected revision, and never looks in other streams. A retry the server reports
 *   as idempotent is compared with what is stored (content included) here; an id reused in another stream
 *   or at another revision is not detected.
 * - `any` retries are deduplicated on a best-effort basis by the server.
 * - Idempotency records are streams of the adapter's own, written after the commit's streams and expired
 *   by the server (`$maxAge`), see EventStoreDbBookkeeping.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly capabilities = { atomicMultiStreamAppend: false, purgesIdempotencyRecords: false } as const;
  readonly bookkeeping: EventStoreDbBookkeeping;

  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly subscriptions = new SubscriptionSet();
  private readonly pageSize: number;
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    this.ownsClient = !('client' in options);
    this.client =
      'client' in options ? options.client : EventStoreDBClient.connectionString(options.connectionString);
    this.pageSize = options.pageSize ?? 500;
    this.bookkeeping = new EventStoreDbBookkeeping(
      this.client,
      Math.ceil(retentionMs(options.idempotencyRetentionDays) / 1000),
      () => this.assertOpen(),
    );
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, events, expected }]);
    return result;
  }

  async appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    validateWrites(writes);
    validateIdempotency(options);
    const records = options?.idempotency ?? [];
    await this.bookkeeping.assertUnrecorded(records);
    const results: AppendResult[] = [];
    for (const write of writes) results.push(await this.appendOne(write));
    if (records.length > 0 && !results.every((result) => result.replayed))
      await this.bookkeeping.record(records);
    return results;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(toEsdbName(stream), {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        // A zero count still has to tell a missing stream from an empty range.
        maxCount: options.limit === undefined ? undefined : Math.max(options.limit, 1),
      });
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event) continue;
        if (!event.position) {
          throw new Error(
            'EventStoreDB 22.6 or later is needed: stream reads on this server carry no positions',
          );
        }
        const recorded = toRecorded(event, toPosition(event.position));
        if (recorded) events.push(recorded);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new StreamNotFound(stream);
      throw error;
    }
    return options.limit === 0 ? [] : events;
  }

  async streamRevision(stream: string): Promise<ActualRevision> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readStream(toEsdbName(stream), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (resolved.event) return resolved.event.revision;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'no_stream';
      throw error;
    }
    return 'no_stream';
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const filter = normalizeFilter(options.filter);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    // $all reads start AT the given position (inclusive); `seen` makes them exclusive and pages seamless.
    let seen = options.after;
    while (events.length < limit) {
      let count = 0;
      const from: ReadPosition = seen === undefined ? START : toReadPosition(seen);
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: this.pageSize,
        direction: FORWARDS,
      })) {
        count += 1;
        const position = resolved.event?.position.commit;
        if (position === undefined || (seen !== undefined && position <= seen)) continue;
        seen = position;
        const recorded = fromAll(resolved, filter);
        if (recorded) events.push(recorded);
        if (events.length >= limit) break;
      }
      if (count < this.pageSize) break;
    }
    return events;
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    return this.subscriptions.add(new EventStoreDbSubscription(this.client, handler, options));
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const filter = normalizeFilter(undefined);
    let from: ReadPosition = END;
    for (;;) {
      let count = 0;
      let last: bigint | undefined;
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: this.pageSize,
        direction: BACKWARDS,
      })) {
        count += 1;
        last = resolved.event?.position.commit ?? last;
        const recorded = fromAll(resolved, filter);
        if (recorded) return recorded.position;
      }
      if (count < this.pageSize || last === undefined) return 0n;
      from = toReadPosition(last);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    if (this.ownsClient) await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
  }

  private async appendOne(write: StreamWrite): Promise<AppendResult> {
    let result;
    try {
      result = await this.client.appendToStream(toEsdbName(write.stream), write.events.map(toEventData), {
        expectedRevision: toEsdbExpected(write.expected),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevision(write.stream, write.expected, error.actualVersion, { cause: error });
      }
      throw error;
    }
    const eventIds = write.events.map((event) => event.id);
    if (result.position) {
      return {
        stream: write.stream,
        revision: result.nextExpectedRevision,
        position: toPosition(result.position),
        eventIds,
        replayed: false,
      };
    }
    // No position: the server recognised the ids and wrote nothing. It compares ids only, so compare the
    // content it kept (the events ending at the reported revision) before calling this a replay.
    return this.confirmReplay(write, result.nextExpectedRevision);
  }

  private async confirmReplay(write: StreamWrite, lastRevision: bigint): Promise<AppendResult> {
    const first = lastRevision - BigInt(write.events.length - 1);
    const stored = new Map<string, StoredEvent>();
    if (first >= 0n) {
      const events = await this.readStream(write.stream, { fromRevision: first, limit: write.events.length });
      for (const event of events) stored.set(event.id, event);
    }
    if (stored.size === 0) {
      // Nothing to compare with (the server's answer and the stream disagree): refuse rather than guess.
      throw new WrongExpectedRevision(write.stream, write.expected, await this.streamRevision(write.stream));
    }
    const [result] = resolveStoredCommit([write], stored);
    return result;
  }
}

/**
 * A catch-up subscription on $all with a server-side filter. The client's stream is read in paused mode,
 * so the next handler call only starts after the previous one settled (backpressure reaches the server),
 * and a batch takes whatever has already arrived, up to maxBatchSize.
 */
class EventStoreDbSubscription implements Subscription {
  readonly finished: Promise<void>;
  private readonly stream: AllStreamSubscription;
  private readonly filter: NormalizedFilter;
  private readonly maxBatchSize: number;
  private readonly done: Promise<void>;
  private cursor: bigint | undefined;
  private stopped = false;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    client: EventStoreDBClient,
    private readonly handler: SubscriptionHandler,
    options: SubscriptionOptions,
  ) {
    this.filter = normalizeFilter(options.filter);
    this.maxBatchSize = handler.onBatch ? maxBatchSizeOf(options) : 1;
    this.cursor = options.after;
    this.stream = client.subscribeToAll({
      fromPosition: options.after === undefined ? START : toReadPosition(options.after),
      filter: toServerFilter(this.filter),
    });
    const signal = (): void => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    this.stream.on('readable', signal);
    this.stream.on('end', () => {
      this.ended = true;
      signal();
    });
    this.stream.on('close', () => {
      this.ended = true;
      signal();
    });
    this.stream.on('error', (error: Error) => {
      this.failure = error;
      signal();
    });

    let resolveFinished: () => void = () => undefined;
    let rejectFinished: (error: unknown) => void = () => undefined;
    this.finished = new Promise<void>((resolve, reject) => {
      resolveFinished = resolve;
      rejectFinished = reject;
    });
    this.finished.catch(() => undefined);
    this.done = this.run().then(resolveFinished, (error: unknown) => {
      try {
        options.onError?.(error);
      } catch {
        // Already failing with `error`.
      }
      rejectFinished(error);
    });
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.wake?.();
      await this.stream.unsubscribe().catch(() => undefined);
    }
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.take();
        if (batch === undefined) return;
        if (batch.length > 0) await this.deliver(batch);
      }
    } finally {
      if (!this.stopped) await this.stream.unsubscribe().catch(() => undefined);
    }
  }

  /** Up to maxBatchSize of our events already received; waits when none; undefined once stopped or ended. */
  private async take(): Promise<RecordedEvent[] | undefined> {
    for (;;) {
      if (this.stopped) return undefined;
      if (this.failure) throw this.failure;
      const batch: RecordedEvent[] = [];
      let resolved: AllStreamResolvedEvent | null;
      while (
        batch.length < this.maxBatchSize &&
        (resolved = this.stream.read() as AllStreamResolvedEvent | null)
      ) {
        const recorded = fromAll(resolved, this.filter);
        const position = resolved.event?.position.commit;
        if (position !== undefined && this.cursor !== undefined && position <= this.cursor) continue;
        if (recorded) batch.push(recorded);
      }
      if (batch.length > 0) return batch;
      if (this.ended) {
        if (this.stopped) return undefined;
        throw new Error('EventStoreDB ended the $all subscription');
      }
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
