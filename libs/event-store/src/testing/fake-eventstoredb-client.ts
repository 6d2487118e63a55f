import { Readable } from 'node:stream';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type EventStoreDBClient,
  type Filter,
  type Position,
} from '@eventstore/db-client';

/**
 * An in-memory stand-in for the parts of EventStoreDB the adapter uses, following the server's documented
 * behaviour: a single log with byte-like commit positions ($all reads are inclusive of their start,
 * subscriptions exclusive), per-stream revisions, expected-version checks, idempotent retries at the same
 * expected revision (answered without a position), system records of its own in `$` streams, stream
 * metadata (`$maxAge` and `$maxCount` hide older events from stream reads, as the server does before it
 * scavenges them), and server-side filters. It lets the contract suite exercise the adapter's own logic (name escaping,
 * metadata wrapping, paging, replay checks, subscription batching) where no server is available; the
 * real server is still proved by eventstoredb-event-store.int.spec.ts when EVENTSTORE_URL is set.
 */
interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: bigint;
  readonly created: Date;
}

type ReadPositionArgument = 'start' | 'end' | Position;

function toResolved(record: StoredRecord): { event: Record<string, unknown>; commitPosition: bigint } {
  return {
    event: {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      isJson: true,
      created: record.created,
      // The real client parses stored JSON; a copy keeps callers from sharing our objects.
      data: structuredClone(record.data),
      metadata: structuredClone(record.metadata),
      position: { commit: record.position, prepare: record.position },
    },
    commitPosition: record.position,
  };
}

function matches(filter: Filter | undefined, record: StoredRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? record.type : record.streamId;
  if ('regex' in filter) return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

export class FakeEventStoreDbClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly metadata = new Map<string, { maxAge?: number; maxCount?: number }>();
  private readonly subscriptions = new Set<{ stream: Readable; filter?: Filter; after: bigint }>();
  private nextPosition = 1_000n;
  private appends = 0;

  constructor() {
    this.record('$stats-fake', '$statsCollected', {}, {});
  }

  /** The adapter's view: the fake only implements what EventStoreDbEventStore calls. */
  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    await Promise.resolve();
    const batch = Array.isArray(events) ? events : [events];
    const expected = options.expectedRevision ?? 'any';
    const existing = this.streams.get(streamName) ?? [];
    const current: bigint | 'no_stream' = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const firstExpected =
      expected === 'no_stream' ? 0 : typeof expected === 'bigint' ? Number(expected) + 1 : undefined;
    if (firstExpected !== undefined) {
      const stored = existing.slice(firstExpected, firstExpected + batch.length);
      if (stored.length === batch.length && stored.every((record, index) => record.id === batch[index].id)) {
        return {
          success: true,
          nextExpectedRevision: stored[stored.length - 1].revision,
          position: undefined,
        };
      }
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      expected === current;
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    let last: StoredRecord | undefined;
    for (const event of batch) {
      last = this.record(
        streamName,
        event.type,
        JSON.parse(JSON.stringify(event.data)),
        JSON.parse(JSON.stringify(event.metadata ?? {})),
        event.id,
      );
    }
    this.appends += 1;
    // The server writes its own records now and then; readers must skip them.
    if (this.appends % 4 === 0) this.record('$stats-fake', '$statsCollected', { appends: this.appends }, {});
    const position = (last as StoredRecord).position;
    return {
      success: true,
      nextExpectedRevision: (last as StoredRecord).revision,
      position: { commit: position, prepare: position },
    };
  }

  /** As the client does: a `$metadata` event in the stream's metastream (`$$<stream>`). */
  async setStreamMetadata(
    streamName: string,
    metadata: { maxAge?: number; maxCount?: number },
  ): Promise<AppendResult> {
    await Promise.resolve();
    this.metadata.set(streamName, { ...this.metadata.get(streamName), ...metadata });
    const record = this.record(`$$${streamName}`, '$metadata', metadata, {});
    return {
      success: true,
      nextExpectedRevision: record.revision,
      position: { commit: record.position, prepare: record.position },
    };
  }

  readStream(
    streamName: string,
    options: {
      direction?: 'forwards' | 'backwards';
      fromRevision?: 'start' | 'end' | bigint;
      maxCount?: number | bigint;
    } = {},
  ): AsyncIterable<ReturnType<typeof toResolved>> {
    const records = this.readable(streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return (async function* () {
      await Promise.resolve();
      if (!records) throw new StreamNotFoundError(undefined, streamName);
      const ordered = backwards ? [...records].reverse() : records;
      const selected = ordered
        .filter((record) =>
          from === 'start' || from === 'end'
            ? true
            : backwards
              ? record.revision <= from
              : record.revision >= from,
        )
        .slice(0, max);
      for (const record of selected) yield toResolved(record);
    })();
  }

  readAll(
    options: {
      fromPosition?: ReadPositionArgument;
      maxCount?: number | bigint;
      direction?: 'forwards' | 'backwards';
    } = {},
  ): AsyncIterable<ReturnType<typeof toResolved>> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const snapshot = [...this.log];
    return (async function* () {
      await Promise.resolve();
      const ordered = backwards ? snapshot.reverse() : snapshot;
      const selected = ordered
        .filter((record) =>
          from === 'start' || from === 'end'
            ? true
            : backwards
              ? record.position < from.commit
              : record.position >= from.commit,
        )
        .slice(0, max);
      for (const record of selected) yield toResolved(record);
    })();
  }

  subscribeToAll(options: { fromPosition?: ReadPositionArgument; filter?: Filter } = {}): Readable & {
    unsubscribe(): Promise<void>;
  } {
    const stream = new Readable({ objectMode: true, read: () => undefined });
    const from = options.fromPosition ?? 'start';
    const subscription = {
      stream,
      filter: options.filter,
      after: from === 'start' ? -1n : from === 'end' ? this.nextPosition : from.commit,
    };
    // Catch-up starts a little later, like a server round trip; nothing appended meanwhile is lost.
    setImmediate(() => {
      for (const record of this.log) this.deliver(subscription, record);
      this.subscriptions.add(subscription);
    });
    return Object.assign(stream, {
      unsubscribe: async (): Promise<void> => {
        this.subscriptions.delete(subscription);
        stream.destroy();
      },
    });
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.stream.destroy();
    this.subscriptions.clear();
  }

  /** A stream's events as a read sees them: those beyond `$maxCount` or older than `$maxAge` hidden. */
  private readable(streamName: string): StoredRecord[] | undefined {
    const records = this.streams.get(streamName);
    const limits = this.metadata.get(streamName);
    if (!records || !limits) return records;
    let visible = limits.maxCount === undefined ? records : records.slice(-limits.maxCount);
    if (limits.maxAge !== undefined) {
      const oldest = Date.now() - limits.maxAge * 1000;
      visible = visible.filter((record) => record.created.getTime() >= oldest);
    }
    return visible;
  }

  private deliver(
    subscription: { stream: Readable; filter?: Filter; after: bigint },
    record: StoredRecord,
  ): void {
    if (record.position <= subscription.after) return;
    subscription.after = record.position;
    if (matches(subscription.filter, record)) subscription.stream.push(toResolved(record));
  }

  private record(
    streamId: string,
    type: string,
    data: unknown,
    metadata: unknown,
    id?: string,
  ): StoredRecord {
    const records = this.streams.get(streamId) ?? [];
    const record: StoredRecord = {
      streamId,
      id: id ?? `00000000-0000-4000-8000-${this.nextPosition.toString(16).padStart(12, '0')}`,
      revision: BigInt(records.length),
      type,
      data,
      metadata,
      position: this.nextPosition,
      created: new Date(),
    };
    // Uneven steps, like byte offsets of records of different sizes.
    this.nextPosition += 100n + BigInt(this.log.length % 7) * 13n;
    records.push(record);
    this.streams.set(streamId, records);
    this.log.push(record);
    for (const subscription of this.subscriptions) this.deliver(subscription, record);
    return record;
  }
}
