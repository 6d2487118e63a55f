import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { StoreServerRefused, StreamDeleted, StreamNotFound } from '../errors';
import type {
  ActualRevision,
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from '../event-store.port';
import { validateIdempotency, validateWrites } from '../internal/append-validation';
import { UnsupportedPersonalData } from '../personal-data/in-memory-personal-data';
import { retentionMs } from '../internal/bookkeeping-policy';
import { StoreBase } from '../internal/store-base';
import { matchesFilter, normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { KurrentDbBookkeeping } from './kurrentdb-bookkeeping';
import {
  toExpectedState,
  toKurrentStream,
  toKurrentType,
  toProperties,
  toReadPosition,
  toRecordId,
} from './kurrentdb-mapping';
import { allAccessDenied, verifyServer, type ServerDescription } from './kurrentdb-server';
import { assertStreamsOnce, decode, KurrentDbCommits, type Decoded } from './kurrentdb-commit';
import { KurrentDbSubscription } from './kurrentdb-subscription';

export type KurrentDbEventStoreOptions = {
  /** Events per $all read. Default 500. */
  readonly pageSize?: number;
  /** Days an idempotency record is kept (default 30): the `$maxAge` of its stream. */
  readonly idempotencyRetentionDays?: number;
} & (
  | {
      /** e.g. `kurrentdb://localhost:2113?tls=false` (`esdb://` works too). */
      readonly connectionString: string;
    }
  | {
      /** A client the caller owns (and disposes); close() leaves it open. */
      readonly client: KurrentDBClient;
    }
);

function fromAll(resolved: AllStreamResolvedEvent, filter: NormalizedFilter): RecordedEvent | undefined {
  const recorded = decode(resolved.event)?.event;
  return recorded && matchesFilter(filter, recorded.stream, recorded.type) ? recorded : undefined;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The server refused the start of a read: not a record boundary (StorageReaderWorker "InvalidPosition"). */
function isInvalidPosition(error: unknown): boolean {
  return error instanceof Error && /invalid ?position/i.test(error.message);
}

/**
 * KurrentDB 25.1 or later through @kurrent/kurrentdb-client (docs/adr/0017). Every commit — its streams
 * and its idempotency records — is ONE multi-stream append: all or nothing. The server keeps the log;
 * this adapter maps names, metadata (string properties), revisions, errors and positions (commit
 * positions of $all), and refuses a server without multi-stream append.
 *
 * Honest limits, all from the server's model:
 * - Event ids are unique per stream position, not globally: the server deduplicates an id only when it
 *   is retried at the same expected revision, and never looks in other streams.
 * - The server compares ids only. Whether an append was ours or answered from an earlier one is read
 *   from our own property (`wf.commit`, fresh per call), never from the shape of the server's answer (a
 *   24.10+ server answers an idempotent append with a position, as it does a new one); an earlier one
 *   is then compared with what is stored, content included.
 * - `any` retries are deduplicated on a best-effort basis by the server.
 * - A stream appears at most once per commit (capabilities.streamsOncePerAppend).
 */
export class KurrentDbEventStore extends StoreBase implements EventStore {
  readonly kind = 'kurrentdb' as const;
  readonly capabilities = {
    atomicMultiStreamAppend: true,
    purgesIdempotencyRecords: false,
    streamsOncePerAppend: true,
  } as const;
  readonly bookkeeping: KurrentDbBookkeeping;
  readonly personalData = new UnsupportedPersonalData('kurrentdb');
  private readonly commits: KurrentDbCommits;

  private readonly client: KurrentDBClient;
  private readonly ownsClient: boolean;
  private readonly pageSize: number;
  private server: Promise<ServerDescription> | undefined;

  constructor(options: KurrentDbEventStoreOptions) {
    super();
    this.ownsClient = !('client' in options);
    this.client =
      'client' in options ? options.client : KurrentDBClient.connectionString(options.connectionString);
    this.pageSize = options.pageSize ?? 500;
    this.bookkeeping = new KurrentDbBookkeeping(
      this.client,
      Math.ceil(retentionMs(options.idempotencyRetentionDays) / 1000),
      () => this.assertOpen(),
    );
    this.commits = new KurrentDbCommits(this, this.bookkeeping);
  }

  /**
   * Checks the server once (multi-stream append, read rights on $all; see verifyServer): createEventStore
   * calls it at start, and every write waits for it. A refusal stays; a failure to ask is asked again.
   */
  ready(): Promise<ServerDescription> {
    this.server ??= verifyServer(this.client).catch((error: unknown) => {
      if (!(error instanceof StoreServerRefused)) this.server = undefined;
      throw error;
    });
    return this.server;
  }

  async appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen();
    validateWrites(writes);
    validateIdempotency(options);
    assertStreamsOnce(writes);
    const commit = randomUUID();
    const requests = writes.map((write) => this.toRequest(write, commit));
    await this.ready();
    const records = (options?.idempotency ?? []).map((record) => this.bookkeeping.requestsFor(record));
    await this.bookkeeping.assertUnrecorded(records.map((entry) => entry.record));
    // Records first: the server names the first failing stream, so a taken key is what is reported.
    const session = [...records.flatMap((entry) => entry.requests), ...requests];
    let responses: { streamName: string; revision: bigint }[];
    try {
      ({ responses } = await this.client.multiStreamAppend(session));
    } catch (error) {
      return this.commits.afterRefusal(error, writes, records, commit);
    }
    const lastRevisions = responses
      .slice(session.length - writes.length)
      .map((response) => response.revision);
    return this.commits.confirm(writes, lastRevisions, commit);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const decoded = await this.readDecoded(stream, {
      backwards,
      fromRevision: options.fromRevision,
      // A zero count still has to tell a missing stream from an empty range.
      maxCount: options.limit === undefined ? undefined : Math.max(options.limit, 1),
    });
    return options.limit === 0 ? [] : decoded.map((entry) => entry.event);
  }

  async streamRevision(stream: string): Promise<ActualRevision> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readStream(toKurrentStream(stream), {
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
    let from: ReadPosition = seen === undefined || seen <= 0n ? START : toReadPosition(seen);
    while (events.length < limit) {
      let count = 0;
      let last: bigint | undefined;
      let page: AllStreamResolvedEvent[];
      try {
        page = await collect(this.readAllFrom(from, FORWARDS));
      } catch (error) {
        // Not a record boundary (only a position this adapter did not hand out): find the one before it.
        if (seen !== options.after || seen === undefined || !isInvalidPosition(error)) throw error;
        from = await this.readablePosition(seen);
        page = await collect(this.readAllFrom(from, FORWARDS));
      }
      for (const resolved of page) {
        count += 1;
        const position = resolved.event?.position.commit;
        if (position === undefined) continue;
        last = position;
        if (seen !== undefined && position <= seen) continue;
        seen = position;
        const recorded = fromAll(resolved, filter);
        if (recorded) events.push(recorded);
        if (events.length >= limit) break;
      }
      if (count < this.pageSize || last === undefined) break;
      from = toReadPosition(last);
    }
    return events;
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscriptionOptions = {}): Subscription {
    this.assertOpen();
    return this.subscriptions.add(
      new KurrentDbSubscription(this.client, handler, options, {
        decode: fromAll,
        startOf: (after) => this.readablePosition(after as bigint),
        explain: (error) => (error instanceof AccessDeniedError ? allAccessDenied(error) : error),
      }),
    );
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const filter = normalizeFilter(undefined);
    return (await this.lastOfAll((resolved) => fromAll(resolved, filter)?.position)) ?? 0n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    if (this.ownsClient) await this.client.dispose();
  }

  /**
   * A position the server reads $all from, for "after `position`": the position itself when it is a
   * record boundary (every position this adapter hands out is one), else the nearest record at or
   * before it, found by paging back from the end (the server refuses to start a read inside a record:
   * StorageReaderWorker.All answers InvalidPosition). Reads skip positions up to `position` themselves.
   */
  private async readablePosition(position: bigint): Promise<ReadPosition> {
    if (position <= 0n) return START;
    const candidate = toReadPosition(position);
    try {
      for await (const _event of this.readAllFrom(candidate, FORWARDS, 1)) break;
      return candidate;
    } catch (error) {
      if (!isInvalidPosition(error)) throw error;
    }
    const before = await this.lastOfAll((resolved) => {
      const at = resolved.event?.position.commit;
      return at !== undefined && at <= position ? toReadPosition(at) : undefined;
    });
    return before ?? START;
  }

  /**
   * Pages $all back from its end: what `pick` answers for the latest record it answers for, or undefined
   * when it answers for none.
   */
  private async lastOfAll<T>(
    pick: (resolved: AllStreamResolvedEvent) => T | undefined,
  ): Promise<T | undefined> {
    let from: ReadPosition = END;
    for (;;) {
      let count = 0;
      let last: bigint | undefined;
      for await (const resolved of this.readAllFrom(from, BACKWARDS)) {
        count += 1;
        last = resolved.event?.position.commit ?? last;
        const picked = pick(resolved);
        if (picked !== undefined) return picked;
      }
      if (count < this.pageSize || last === undefined) return undefined;
      from = toReadPosition(last);
    }
  }

  /** $all from `from`, with the one-line refusal when the user may not read it. */
  private async *readAllFrom(
    from: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount = this.pageSize,
  ): AsyncGenerator<AllStreamResolvedEvent> {
    try {
      yield* this.client.readAll({ fromPosition: from, maxCount, direction });
    } catch (error) {
      if (error instanceof AccessDeniedError) throw allAccessDenied(error);
      throw error;
    }
  }

  /** A stream's events of ours, decoded (also the read-back of KurrentDbCommits). */
  async readDecoded(
    stream: string,
    options: { backwards: boolean; fromRevision?: bigint; maxCount?: number },
  ): Promise<Decoded[]> {
    const decoded: Decoded[] = [];
    try {
      for await (const resolved of this.client.readStream(toKurrentStream(stream), {
        direction: options.backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (options.backwards ? END : START),
        maxCount: options.maxCount,
      })) {
        if (resolved.event && !resolved.event.position) {
          throw new Error(
            'KurrentDB 22.6 or later is needed: stream reads on this server carry no positions',
          );
        }
        const entry = decode(resolved.event);
        if (entry) decoded.push(entry);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new StreamNotFound(stream);
      if (error instanceof StreamDeletedError) throw new StreamDeleted(stream);
      throw error;
    }
    return decoded;
  }

  private toRequest(write: StreamWrite, commit: string): AppendStreamRequest {
    return {
      streamName: toKurrentStream(write.stream),
      expectedState: toExpectedState(write.expected),
      events: write.events.map((event) => {
        const { recordId, keepOriginal } = toRecordId(event.id);
        return jsonEvent({
          id: recordId,
          type: toKurrentType(event.type),
          data: event.data,
          metadata: toProperties(event, keepOriginal, commit),
        });
      }),
    };
  }
}
