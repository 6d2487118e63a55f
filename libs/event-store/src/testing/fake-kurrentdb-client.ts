// Longer than our ~400 lines on purpose: one stand-in for one server, its behaviours in one table.
import { Readable } from 'node:stream';
import {
  AccessDeniedError,
  AppendRecordSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnknownError,
  UnsupportedError,
  WrongExpectedVersionError,
  type AppendStreamRequest,
  type AppendStreamState,
  type Filter,
  type KurrentDBClient,
  type MultiAppendResult,
  type Position,
} from '@kurrent/kurrentdb-client';

/**
 * An in-memory stand-in for the parts of KurrentDB 25.1 (and @kurrent/kurrentdb-client 1.3.1) the adapter
 * uses, written from this table of the real server's behaviours. Each row names the source it comes from
 * (kurrent-io/KurrentDB at tag v25.1.0 unless said otherwise; the client's compiled dist/ of 1.3.1, whose
 * sources are kurrent-io/KurrentDB-Client-NodeJS packages/db-client/src). It proves the adapter's own
 * logic against those behaviours; it proves nothing the table does not say. The real server is run by
 * `npm run test:kurrentdb` (KURRENTDB_URL) — not on our machines, which have no server and no Docker.
 *
 * | # | behaviour | source |
 * |---|-----------|--------|
 * | 1 | multiStreamAppend needs the AppendSession method (25.1+): otherwise UnsupportedError before sending | client streams/appendToStream/index.js; Core Services/Transport/Grpc/ServerFeatures.cs lists the served methods and the version |
 * | 2 | metadata must be a plain object whose values are all strings, else the client throws before sending | client streams/appendToStream/multiStreamAppend.js |
 * | 3 | a stream may appear once per session, compared without case: STREAM_ALREADY_IN_APPEND_SESSION (gRPC ABORTED, which the client turns into TimeoutError) | Api.V2 Modules/Streams/StreamsService.cs (AppendRequestComparer); client utils/CommandError.js convertToCommandError |
 * | 4 | a record (data + properties + schema name) over MaxAppendEventSize (default 16 MiB) → AppendRecordSizeExceeded; the session over MaxAppendSize (default 256 MiB) → AppendTransactionSizeExceeded; nothing written | StreamsService.WithRequest, Model/AppendRecordExtensions.CalculateSizeOnDisk, Core Configuration/ClusterVNodeOptions.cs |
 * | 5 | record ids must be UUIDs, schema names (event types) `^[a-zA-Z0-9_.$:-]+$`, stream names not empty nor `$$` | Validators/RecordIdValidator.cs, SchemaNameValidator.cs, StreamNameValidator.cs |
 * | 6 | the session is ONE write: the commit check runs for every stream first; if any fails nothing is written | Core Services/Storage/StorageWriterService.cs WritePrepares + VerifyCommitChecks |
 * | 7 | wrong expected revision: StreamRevisionConflict naming the FIRST failing stream (request order), its expected and actual revision | VerifyCommitChecks; StreamsService.MapToError; client WrongExpectedVersionError.fromRevisionConflict |
 * | 8 | idempotent append (the ids already at the expected place, compared by id only — never content) is answered as a success WITH a position: the log position of the stored range's last event (the max over streams) | Core Services/Storage/ReaderIndex/IndexWriter.cs CheckCommit; VerifyCommitChecks (AlreadyCommitted); RequestManager/Managers/RequestManagerBase.ReturnCommitAt |
 * | 9 | `any` / `stream_exists` retries are recognised from a cache of recently committed ids (best effort on a real server; the fake never forgets) | IndexWriter.CheckCommit (_committedEvents) |
 * | 10 | a session mixing idempotent streams with new or failing ones, or a stream whose ids match only in part, gets WrongExpectedVersion with NO failing stream, which 25.1's StreamsService cannot map (it reads FailureStreamIndexes[0]): the client sees an unknown error | VerifyCommitChecks (last branch, CorruptedIdempotency); StreamsService.MapToError |
 * | 11 | each event is a self-committed prepare with its own log position; that position is its commit position in $all and in stream reads; the session answers the position of its last record | StorageWriterService.WritePrepares (PrepareFlags.IsCommitted); ReaderIndex/AllReader.cs; streams.proto AppendSessionResponse.position |
 * | 12 | properties come back to a v1 reader as the JSON metadata, with `$schema.name` (the type) and `$schema.format` ("Json") added | Core Data/EventRecord.cs SynthesizeMetadataFromProperties |
 * | 13 | reading $all from a position that is not a record boundary fails: "Unexpected ReadAllResult: InvalidPosition" (reads), "Trying to read from an invalid position." (subscriptions) | Services/Storage/StorageReaderWorker.All.cs; Transport/Enumerators/Enumerator.ReadAllForwards.cs, Enumerator.AllSubscription.cs; Transport/Grpc/RpcExceptions.cs |
 * | 14 | $all is a system stream: on a secure cluster only $admins (and system) may read it, others get AccessDenied | Core Data/SystemSettings.cs (SystemStreamAcl = $admins); Services/Storage/ReaderIndex/IndexReader.cs; Authorization/LegacyStreamPermissionAssertion.cs |
 * | 15 | a tombstoned stream: reads fail with StreamDeleted, appends with StreamTombstoned (StreamDeleted result); a soft-deleted stream reads as not found and a `no_stream` append recreates it, revisions continuing | IndexWriter.CheckCommit (Deleted; soft delete + NoStream → Ok); StreamsService.MapToError |
 * | 16 | `$maxAge` / `$maxCount` in a stream's `$$` metastream hide older events from reads before scavenging removes them | Core Data/StreamMetadata; ReaderIndex/IndexReader.cs |
 * | 17 | a subscription ends when the server says so: shutting down drops every subscription (Unsubscribed), a lost connection or leader change errors it | Core Services/SubscriptionsService.cs Handle(BecomeShuttingDown); Enumerator.AllSubscription.cs |
 * | 18 | $all reads start AT their position (inclusive); subscriptions deliver strictly after it; the server writes records of its own (`$stats-*`, `$$` metadata) that readers see | AllReader.ReadAllEventsForwardInternal (`>= pos`); Enumerator.AllSubscription |
 * | 19 | a connection lost around an append (gRPC UNAVAILABLE / INTERNAL) reaches the caller as UnavailableError whether or not the server committed: the outcome is unknown to the client | client utils/CommandError.js convertToCommandError; gRPC status semantics |
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
type Decision =
  | { kind: 'ok' }
  | { kind: 'wrong'; current: bigint }
  | { kind: 'idempotent'; last: StoredRecord }
  | { kind: 'corrupted' }
  | { kind: 'deleted' };

export interface FakeKurrentDbOptions {
  /** The version ServerFeatures reports. Default 25.1.0; below 25.1 there is no AppendSession (row 1). */
  readonly version?: string;
  /** A secure cluster whose user is not an admin: $all may not be read (row 14). */
  readonly allReadDenied?: boolean;
  /** Row 4 limits, in bytes. */
  readonly maxAppendSize?: number;
  readonly maxRecordSize?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCHEMA_NAME = /^[a-zA-Z0-9_.$:-]+$/;

/** Minimal gRPC ServiceError shape the client's error classes read their message from. */
function serviceError(message: string, code: number): never {
  return { message, code, details: message, metadata: undefined } as never;
}

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

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

interface FakeSubscription {
  readonly stream: Readable;
  readonly filter?: Filter;
  after: bigint;
}

export class FakeKurrentDbClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly tombstoned = new Set<string>();
  /** Soft-deleted streams: revision below which reads see nothing (row 15). */
  private readonly truncatedBefore = new Map<string, bigint>();
  private readonly subscriptions = new Set<FakeSubscription>();
  private readonly version: string;
  private readonly allReadDenied: boolean;
  private readonly maxAppendSize: number;
  private readonly maxRecordSize: number;
  private nextPosition = 1_000n;
  private appends = 0;
  /** Sessions the fake was asked to append (accepted or not). */
  sessions = 0;
  /** Row 19: how the next append's connection fails, if it does. */
  private nextConnectionLoss: 'before-commit' | 'after-commit' | undefined;

  constructor(options: FakeKurrentDbOptions = {}) {
    this.version = options.version ?? '25.1.0';
    this.allReadDenied = options.allReadDenied ?? false;
    this.maxAppendSize = options.maxAppendSize ?? 256 * 1024 * 1024;
    this.maxRecordSize = options.maxRecordSize ?? 16 * 1024 * 1024;
    this.record('$stats-fake', '$statsCollected', {}, {});
  }

  /** The adapter's view: the fake only implements what KurrentDbEventStore calls. */
  asClient(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  /** Row 1: what the client's protected `capabilities` getter resolves to. */
  get capabilities(): Promise<{ serverVersion: string; supports(method: { path: string }): boolean }> {
    const served = versionAtLeast(this.version, 25, 1);
    return Promise.resolve({
      serverVersion: this.version,
      supports: (method: { path: string }) =>
        served || !method.path.toLowerCase().includes('kurrentdb.protocol.v2.streams'),
    });
  }

  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    // Row 2, as the client checks before anything else.
    for (const request of requests) {
      for (const event of request.events) {
        const metadata = event.metadata as unknown;
        if (metadata == null) continue;
        if (
          metadata instanceof Uint8Array ||
          typeof metadata !== 'object' ||
          Array.isArray(metadata) ||
          Object.values(metadata).some((value) => typeof value !== 'string')
        ) {
          throw new Error(
            'multiStreamAppend requires metadata to be a plain object with string keys and string values.',
          );
        }
      }
    }
    if (
      !(await this.capabilities).supports({
        path: '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession',
      })
    ) {
      throw new UnsupportedError('multiStreamAppend', '25.1');
    }
    await Promise.resolve();
    this.sessions += 1;
    const loss = this.nextConnectionLoss;
    this.nextConnectionLoss = undefined;
    if (loss === 'before-commit') throw new UnavailableError(serviceError('Connection dropped', 14));
    const result = this.appendSession(requests);
    if (loss === 'after-commit') throw new UnavailableError(serviceError('Connection dropped', 14));
    return result;
  }

  /** Row 19: the next append loses its connection, before the server commits it or after. */
  loseConnectionOnNextAppend(when: 'before-commit' | 'after-commit'): void {
    this.nextConnectionLoss = when;
  }

  private appendSession(requests: AppendStreamRequest[]): MultiAppendResult {
    if (requests.length === 0) throw new UnknownError(serviceError('append session without requests', 9));
    const seen = new Set<string>();
    let total = 0;
    for (const request of requests) {
      // Row 3.
      const key = request.streamName.toLowerCase();
      if (seen.has(key))
        throw new TimeoutError(serviceError(`Stream ${request.streamName} already in session`, 10));
      seen.add(key);
      // Row 5.
      if (request.streamName === '' || request.streamName === '$$' || request.events.length === 0) {
        throw new UnknownError(serviceError('invalid append request', 3));
      }
      for (const event of request.events) {
        if (!UUID.test(event.id) || !SCHEMA_NAME.test(event.type)) {
          throw new UnknownError(serviceError(`invalid record ${event.id} ${event.type}`, 3));
        }
        // Row 4: the server's own estimate (data + properties + schema name).
        const size =
          Buffer.byteLength(JSON.stringify(event.data)) +
          Buffer.byteLength(JSON.stringify(event.metadata ?? {})) +
          Buffer.byteLength(event.type);
        if (size > this.maxRecordSize) {
          throw new AppendRecordSizeExceededError(serviceError('record too large', 3), {
            stream: request.streamName,
            recordId: event.id,
            size,
            maxSize: this.maxRecordSize,
          });
        }
        total += size;
        if (total > this.maxAppendSize) {
          throw new TransactionMaxSizeExceededError(serviceError('transaction too large', 10), {
            size: total,
            maxSize: this.maxAppendSize,
          });
        }
      }
    }
    // Row 6: every stream is checked before anything is written.
    const decisions = requests.map((request) =>
      this.checkCommit(
        request.streamName,
        request.expectedState,
        request.events.map((event) => event.id),
      ),
    );
    const deleted = decisions.findIndex((decision) => decision.kind === 'deleted');
    if (deleted >= 0) {
      throw new StreamTombstonedError(serviceError('stream tombstoned', 9), {
        stream: requests[deleted].streamName,
      });
    }
    const idempotent = decisions.filter((decision) => decision.kind === 'idempotent');
    if (idempotent.length === decisions.length) {
      // Row 8: answered like a new write, with the stored range's position.
      const lasts = idempotent.map((decision) => (decision as { last: StoredRecord }).last);
      return {
        position: lasts.reduce((max, record) => (record.position > max ? record.position : max), 0n),
        responses: requests.map((request, index) => ({
          streamName: request.streamName,
          revision: lasts[index].revision,
        })),
      };
    }
    if (idempotent.length > 0 || decisions.some((decision) => decision.kind === 'corrupted')) {
      // Row 10.
      throw new UnknownError(serviceError('Exception was thrown by handler. IndexOutOfRangeException', 2));
    }
    const wrong = decisions.findIndex((decision) => decision.kind === 'wrong');
    if (wrong >= 0) {
      // Row 7.
      const current = (decisions[wrong] as { current: bigint }).current;
      throw new WrongExpectedVersionError(undefined, {
        streamName: requests[wrong].streamName,
        expected: requests[wrong].expectedState,
        current: current < 0n ? 'no_stream' : current,
      });
    }
    let last: StoredRecord | undefined;
    const responses = requests.map((request) => {
      let written: StoredRecord | undefined;
      for (const event of request.events) {
        // Row 12: properties come back as JSON metadata with the server's $schema keys.
        const metadata = {
          ...(event.metadata as object),
          '$schema.name': event.type,
          '$schema.format': 'Json',
        };
        written = this.record(
          request.streamName,
          event.type,
          JSON.parse(JSON.stringify(event.data)),
          metadata,
          event.id,
        );
      }
      last = written;
      return { streamName: request.streamName, revision: (written as StoredRecord).revision };
    });
    this.appends += 1;
    // The server writes its own records now and then; readers must skip them (row 18).
    if (this.appends % 4 === 0) this.record('$stats-fake', '$statsCollected', { appends: this.appends }, {});
    return { position: (last as StoredRecord).position, responses };
  }

  readStream(
    streamName: string,
    options: {
      direction?: 'forwards' | 'backwards';
      fromRevision?: 'start' | 'end' | bigint;
      maxCount?: number | bigint;
    } = {},
  ): AsyncIterable<ReturnType<typeof toResolved>> {
    const tombstoned = this.tombstoned.has(streamName);
    const records = this.readable(streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return (async function* () {
      await Promise.resolve();
      // Row 15.
      if (tombstoned) throw StreamDeletedError.fromStreamName(streamName);
      if (!records || records.length === 0) throw new StreamNotFoundError(undefined, streamName);
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
    const denied = this.allReadDenied;
    const invalid = from !== 'start' && from !== 'end' && !this.isBoundary(from.commit);
    return (async function* () {
      await Promise.resolve();
      // Rows 14 and 13.
      if (denied) throw new AccessDeniedError(serviceError('Access Denied', 7));
      if (invalid) throw new UnknownError(serviceError('Unexpected ReadAllResult: InvalidPosition', 2));
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
    const subscription: FakeSubscription = {
      stream,
      filter: options.filter,
      after: from === 'start' ? -1n : from === 'end' ? this.nextPosition : from.commit,
    };
    // Catch-up starts a little later, like a server round trip; nothing appended meanwhile is lost.
    setImmediate(() => {
      if (this.allReadDenied)
        return void stream.destroy(new AccessDeniedError(serviceError('Access Denied', 7)));
      if (from !== 'start' && from !== 'end' && !this.isBoundary(from.commit)) {
        return void stream.destroy(
          new UnknownError(serviceError('Trying to read from an invalid position.', 3)),
        );
      }
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

  /** Row 17: the server ends every subscription (a clean end on shutdown, or an error on a lost connection). */
  endSubscriptions(how: 'shutdown' | 'connection-lost' = 'shutdown'): number {
    const ended = [...this.subscriptions];
    this.subscriptions.clear();
    for (const { stream } of ended) {
      if (how === 'shutdown') stream.push(null);
      else stream.destroy(new UnavailableError(serviceError('Connection dropped', 14)));
    }
    return ended.length;
  }

  /** Row 15: a tombstone (hard delete). */
  tombstone(streamName: string): void {
    this.tombstoned.add(streamName);
    this.record(streamName, '$streamDeleted', {}, {});
  }

  /** Row 15: a soft delete: reads see nothing until the stream is appended to again. */
  softDelete(streamName: string): void {
    const records = this.streams.get(streamName) ?? [];
    this.truncatedBefore.set(streamName, BigInt(records.length));
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.stream.destroy();
    this.subscriptions.clear();
  }

  /** Rows 8, 9, 15: CheckCommit of one stream of the session. */
  private checkCommit(
    streamName: string,
    expectedState: AppendStreamState,
    ids: readonly string[],
  ): Decision {
    if (this.tombstoned.has(streamName)) return { kind: 'deleted' };
    const records = this.streams.get(streamName) ?? [];
    const current = BigInt(records.length - 1);
    const softDeleted = this.truncatedBefore.get(streamName) === BigInt(records.length) && records.length > 0;
    if (expectedState === 'stream_exists' && (current < 0n || softDeleted)) return { kind: 'wrong', current };
    if (expectedState === 'any' || expectedState === 'stream_exists') {
      let first = true;
      let last: StoredRecord | undefined;
      for (const id of ids) {
        const stored = records.find((record) => record.id === id);
        if (!stored) return first ? { kind: 'ok' } : { kind: 'corrupted' };
        last = stored;
        first = false;
      }
      return { kind: 'idempotent', last: last as StoredRecord };
    }
    const expected = expectedState === 'no_stream' ? -1n : expectedState;
    if (expected < current) {
      let number = expected;
      for (const id of ids) {
        number += 1n;
        if (records[Number(number)]?.id === id) continue;
        if (number !== expected + 1n) return { kind: 'corrupted' };
        if (expectedState === 'no_stream' && softDeleted) return { kind: 'ok' };
        return { kind: 'wrong', current };
      }
      return { kind: 'idempotent', last: records[Number(number)] };
    }
    if (expected > current) return { kind: 'wrong', current };
    return { kind: 'ok' };
  }

  private isBoundary(position: bigint): boolean {
    return (
      position === 0n ||
      position >= this.nextPosition ||
      this.log.some((record) => record.position === position)
    );
  }

  /** Row 16, 15: a stream's events as a read sees them. */
  private readable(streamName: string): StoredRecord[] | undefined {
    const records = this.streams
      .get(streamName)
      ?.filter((record) => !record.type.startsWith('$streamDeleted'));
    if (!records) return undefined;
    const truncated = this.truncatedBefore.get(streamName) ?? 0n;
    let visible = records.filter((record) => record.revision >= truncated);
    const metadata = this.streams.get(`$$${streamName}`)?.at(-1)?.data as
      { $maxAge?: number; $maxCount?: number } | undefined;
    if (metadata?.$maxCount !== undefined) visible = visible.slice(-metadata.$maxCount);
    if (metadata?.$maxAge !== undefined) {
      const oldest = Date.now() - metadata.$maxAge * 1000;
      visible = visible.filter((record) => record.created.getTime() >= oldest);
    }
    return visible;
  }

  private deliver(subscription: FakeSubscription, record: StoredRecord): void {
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
