import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  AppendRecordSizeExceededError,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  TransactionMaxSizeExceededError,
  UnknownError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  DuplicateEventId,
  EventStoreClosed,
  IdempotencyRecordExists,
  InvalidArgument,
  StoreServerRefused,
  StreamDeleted,
  StreamNotFound,
  WrongExpectedRevision,
} from '../errors';
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
import { SubscriptionSet } from '../internal/catch-up-subscription';
import { matchesFilter, normalizeFilter, type NormalizedFilter } from '../internal/event-filter';
import { satisfiesExpected } from '../internal/expected-revision';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { KurrentDbBookkeeping, type RecordRequests } from './kurrentdb-bookkeeping';
import {
  fromKurrentStream,
  fromKurrentType,
  fromStoredMetadata,
  isSystemRecord,
  toExpectedState,
  toKurrentStream,
  toKurrentType,
  toPosition,
  toProperties,
  toReadPosition,
  toRecordId,
} from './kurrentdb-mapping';
import { allAccessDenied, verifyServer, type ServerDescription } from './kurrentdb-server';
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

/** One of ours as stored, with the appendToStreams call that wrote it. */
interface Decoded {
  readonly event: RecordedEvent;
  readonly commit: string | undefined;
}

function decode(event: KurrentRecordedEvent | undefined): Decoded | undefined {
  if (!event || !event.isJson || isSystemRecord(event.streamId, event.type) || !event.position)
    return undefined;
  const { metadata, schemaVersion, id, commit } = fromStoredMetadata(event.metadata, event.id);
  return {
    commit,
    event: {
      id,
      stream: fromKurrentStream(event.streamId),
      revision: event.revision,
      position: toPosition(event.position),
      type: fromKurrentType(event.type),
      schemaVersion,
      data: event.data as JsonObject,
      metadata,
      recordedAt: event.created,
    },
  };
}

function fromAll(resolved: AllStreamResolvedEvent, filter: NormalizedFilter): RecordedEvent | undefined {
  const recorded = decode(resolved.event)?.event;
  return recorded && matchesFilter(filter, recorded.stream, recorded.type) ? recorded : undefined;
}

/** The server refused the start of a read: not a record boundary (StorageReaderWorker "InvalidPosition"). */
function isInvalidPosition(error: unknown): boolean {
  return error instanceof Error && /invalid ?position/i.test(error.message);
}

function toActual(state: unknown): ActualRevision {
  return typeof state === 'bigint' && state >= 0n ? state : 'no_stream';
}

/**
 * The session's requests must name each stream once, compared without case (Api.V2 StreamsService:
 * AppendRequestComparer, STREAM_ALREADY_IN_APPEND_SESSION): refused here, before anything is sent.
 */
function assertStreamsOnce(writes: readonly StreamWrite[]): void {
  const seen = new Set<string>();
  for (const write of writes) {
    const key = toKurrentStream(write.stream).toLowerCase();
    if (seen.has(key)) {
      throw new InvalidArgument(
        `Stream ${JSON.stringify(write.stream)} appears twice in one commit (or twice up to case): KurrentDB appends to each stream once per multi-stream append`,
      );
    }
    seen.add(key);
  }
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
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  readonly capabilities = {
    atomicMultiStreamAppend: true,
    purgesIdempotencyRecords: false,
    streamsOncePerAppend: true,
  } as const;
  readonly bookkeeping: KurrentDbBookkeeping;

  private readonly client: KurrentDBClient;
  private readonly ownsClient: boolean;
  private readonly subscriptions = new SubscriptionSet();
  private readonly pageSize: number;
  private server: Promise<ServerDescription> | undefined;
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.ownsClient = !('client' in options);
    this.client =
      'client' in options ? options.client : KurrentDBClient.connectionString(options.connectionString);
    this.pageSize = options.pageSize ?? 500;
    this.bookkeeping = new KurrentDbBookkeeping(
      this.client,
      Math.ceil(retentionMs(options.idempotencyRetentionDays) / 1000),
      () => this.assertOpen(),
    );
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
      return this.afterRefusal(error, writes, records);
    }
    const lastRevisions = responses
      .slice(session.length - writes.length)
      .map((response) => response.revision);
    return this.confirm(writes, lastRevisions, commit);
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
    let from: ReadPosition = seen === undefined ? START : await this.readablePosition(seen);
    while (events.length < limit) {
      let count = 0;
      let last: bigint | undefined;
      for await (const resolved of this.readAllFrom(from, FORWARDS)) {
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
    let from: ReadPosition = END;
    for (;;) {
      let count = 0;
      let last: bigint | undefined;
      for await (const resolved of this.readAllFrom(from, BACKWARDS)) {
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
    let from: ReadPosition = END;
    for (;;) {
      let count = 0;
      let last: bigint | undefined;
      for await (const resolved of this.readAllFrom(from, BACKWARDS)) {
        count += 1;
        const at = resolved.event?.position.commit;
        if (at === undefined) continue;
        if (at <= position) return toReadPosition(at);
        last = at;
      }
      if (count < this.pageSize || last === undefined) return START;
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

  private async readDecoded(
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

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosed();
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

  /**
   * The results of an accepted append. The server accepts both a new append and one whose ids it holds
   * already (an idempotent retry, answered with a position since 24.10), so the stored events are read
   * back: written by this call (`wf.commit` is ours) they are the result; written by an earlier one,
   * they must be the same events in the same place, content included, or the retry is refused.
   */
  private async confirm(
    writes: readonly StreamWrite[],
    lastRevisions: readonly bigint[],
    commit: string,
  ): Promise<AppendResult[]> {
    const ranges: Decoded[][] = [];
    for (const [index, write] of writes.entries()) {
      const count = write.events.length;
      const first = lastRevisions[index] - BigInt(count - 1);
      ranges.push(
        await this.readDecoded(write.stream, { backwards: false, fromRevision: first, maxCount: count }),
      );
    }
    const ours = ranges.every(
      (range, index) =>
        range.length === writes[index].events.length &&
        range.every((entry, at) => entry.commit === commit && entry.event.id === writes[index].events[at].id),
    );
    if (ours) {
      return writes.map((write, index) => {
        const last = ranges[index][ranges[index].length - 1].event;
        return {
          stream: write.stream,
          revision: last.revision,
          position: last.position,
          eventIds: write.events.map((event) => event.id),
          replayed: false,
        };
      });
    }
    return resolveStoredCommit(writes, storedById(ranges.flat()));
  }

  /** Translates a refused multi-stream append; nothing of it was written (the server's append is atomic). */
  private async afterRefusal(
    error: unknown,
    writes: readonly StreamWrite[],
    records: readonly RecordRequests[],
  ): Promise<AppendResult[]> {
    if (error instanceof WrongExpectedVersionError) {
      const record = KurrentDbBookkeeping.recordOf(records, error.streamName);
      if (record) throw new IdempotencyRecordExists(record.scope, record.key);
      const write = writes.find((candidate) => toKurrentStream(candidate.stream) === error.streamName);
      if (write)
        throw new WrongExpectedRevision(write.stream, write.expected, toActual(error.actualState), {
          cause: error,
        });
    }
    if (error instanceof StreamTombstonedError) throw new StreamDeleted(fromKurrentStream(error.stream));
    if (error instanceof StreamDeletedError) throw new StreamDeleted(fromKurrentStream(error.streamName));
    if (error instanceof TransactionMaxSizeExceededError) {
      throw new InvalidArgument(
        `The commit is ${error.size} bytes; KurrentDB takes at most ${error.maxSize} bytes per append (MaxAppendSize): nothing was written`,
      );
    }
    if (error instanceof AppendRecordSizeExceededError) {
      throw new InvalidArgument(
        `An event of ${fromKurrentStream(error.stream)} is ${error.size} bytes; KurrentDB takes at most ${error.maxSize} bytes per event (MaxAppendEventSize): nothing was written`,
      );
    }
    if (error instanceof MaxAppendSizeExceededError) {
      throw new InvalidArgument(
        `The commit is over KurrentDB's ${error.maxAppendSize} bytes per append: nothing was written`,
      );
    }
    if (error instanceof UnknownError || error instanceof WrongExpectedVersionError) {
      return this.diagnose(error, writes, records);
    }
    throw error;
  }

  /**
   * A refusal that names no stream: the server's answer to a session where some streams are idempotent
   * retries and others are not (StorageWriterService.VerifyCommitChecks replies WrongExpectedVersion with
   * no failing stream; 25.1's StreamsService then fails reading the first one). Nothing was written; what
   * is stored says which refusal it is.
   */
  private async diagnose(
    error: unknown,
    writes: readonly StreamWrite[],
    records: readonly RecordRequests[],
  ): Promise<AppendResult[]> {
    for (const { record } of records) {
      if (await this.bookkeeping.readIdempotencyRecord(record.scope, record.key)) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
    const stored: Decoded[] = [];
    let storedWrites = 0;
    for (const write of writes) {
      const placed = await this.placedAlready(write);
      if (placed) {
        storedWrites += 1;
        stored.push(...placed);
      }
    }
    if (storedWrites > 0) {
      // Identical events stored for every write: a retry of a commit stored without this record (an
      // expired one, or a commit made without a record); the caller decides what that means.
      if (storedWrites === writes.length) return resolveStoredCommit(writes, storedById(stored));
      throw new DuplicateEventId(
        stored[0].event.id,
        'already stored (a part of this commit was committed before)',
        {
          cause: error,
        },
      );
    }
    for (const write of writes) {
      const actual = await this.streamRevision(write.stream);
      if (!satisfiesExpected(write.expected, actual)) {
        throw new WrongExpectedRevision(write.stream, write.expected, actual, { cause: error });
      }
    }
    throw error;
  }

  /** The write's events where its expected revision put them, when those are its ids; else undefined. */
  private async placedAlready(write: StreamWrite): Promise<Decoded[] | undefined> {
    const count = write.events.length;
    let range: Decoded[];
    try {
      if (typeof write.expected === 'bigint' || write.expected === 'no_stream') {
        const first = write.expected === 'no_stream' ? 0n : write.expected + 1n;
        range = await this.readDecoded(write.stream, {
          backwards: false,
          fromRevision: first,
          maxCount: count,
        });
      } else {
        // `any` / `stream_exists`: where the server would have found them, its recent appends.
        range = (await this.readDecoded(write.stream, { backwards: true, maxCount: count })).reverse();
      }
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
    const same =
      range.length === count && range.every((entry, index) => entry.event.id === write.events[index].id);
    return same ? range : undefined;
  }
}

function storedById(entries: readonly Decoded[]): Map<string, StoredEvent> {
  return new Map(entries.map((entry) => [entry.event.id, entry.event]));
}
