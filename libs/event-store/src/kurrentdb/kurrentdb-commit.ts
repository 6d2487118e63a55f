import {
  AppendRecordSizeExceededError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamTombstonedError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  DuplicateEventId,
  IdempotencyRecordExists,
  InvalidArgument,
  StreamDeleted,
  StreamNotFound,
  WrongExpectedRevision,
} from '../errors';
import type {
  ActualRevision,
  AppendResult,
  JsonObject,
  RecordedEvent,
  StreamWrite,
} from '../event-store.port';
import { satisfiesExpected } from '../internal/expected-revision';
import { resolveStoredCommit, type StoredEvent } from '../internal/idempotent-retry';
import { KurrentDbBookkeeping, type RecordRequests } from './kurrentdb-bookkeeping';
import { appendResult } from '../internal/append-result';
import {
  fromKurrentStream,
  fromKurrentType,
  fromStoredMetadata,
  isSystemRecord,
  toKurrentStream,
  toPosition,
} from './kurrentdb-mapping';

// What a multi-stream append's outcome means for the port: the results of an accepted one (ours, or an
// earlier call's replayed after a content check) and the error of a refused one. Kept apart from the
// adapter's I/O plumbing; the reads come from the adapter.

/** One of ours as stored, with the appendToStreams call that wrote it. */
export interface Decoded {
  readonly event: RecordedEvent;
  readonly commit: string | undefined;
}

export function decode(event: KurrentRecordedEvent | undefined): Decoded | undefined {
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

function toActual(state: unknown): ActualRevision {
  return typeof state === 'bigint' && state >= 0n ? state : 'no_stream';
}

/**
 * The session's requests must name each stream once, compared without case (Api.V2 StreamsService:
 * AppendRequestComparer, STREAM_ALREADY_IN_APPEND_SESSION): refused here, before anything is sent.
 */
export function assertStreamsOnce(writes: readonly StreamWrite[]): void {
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

/** The results, when every write's range carries this call's commit id (so it wrote them); else undefined. */
function writtenByThisCall(
  writes: readonly StreamWrite[],
  ranges: readonly (readonly Decoded[])[],
  commit: string,
): AppendResult[] | undefined {
  const ours = ranges.every(
    (range, index) =>
      range.length === writes[index].events.length &&
      range.every((entry, at) => entry.commit === commit && entry.event.id === writes[index].events[at].id),
  );
  if (!ours) return undefined;
  return writes.map((write, index) =>
    appendResult(write, ranges[index][ranges[index].length - 1].event, false),
  );
}

function storedById(entries: readonly Decoded[]): Map<string, StoredEvent> {
  return new Map(entries.map((entry) => [entry.event.id, entry.event]));
}

/** The adapter's reads this needs. */
export interface CommitReads {
  readDecoded(
    stream: string,
    options: { backwards: boolean; fromRevision?: bigint; maxCount?: number },
  ): Promise<Decoded[]>;
  streamRevision(stream: string): Promise<ActualRevision>;
}

export class KurrentDbCommits {
  constructor(
    private readonly reads: CommitReads,
    private readonly bookkeeping: KurrentDbBookkeeping,
  ) {}

  /**
   * The results of an accepted append. The server accepts both a new append and one whose ids it holds
   * already (an idempotent retry, answered with a position since 24.10), so the stored events are read
   * back: written by this call (`wf.commit` is ours) they are the result; written by an earlier one,
   * they must be the same events in the same place, content included, or the retry is refused.
   */
  async confirm(
    writes: readonly StreamWrite[],
    lastRevisions: readonly bigint[],
    commit: string,
  ): Promise<AppendResult[]> {
    const ranges: Decoded[][] = [];
    for (const [index, write] of writes.entries()) {
      const count = write.events.length;
      const first = lastRevisions[index] - BigInt(count - 1);
      ranges.push(
        await this.reads.readDecoded(write.stream, {
          backwards: false,
          fromRevision: first,
          maxCount: count,
        }),
      );
    }
    return (
      writtenByThisCall(writes, ranges, commit) ?? resolveStoredCommit(writes, storedById(ranges.flat()))
    );
  }

  /**
   * Translates a refused multi-stream append (nothing of it was written: the server's append is atomic),
   * or one whose answer never came (a lost connection, a deadline: it may have committed).
   */
  async afterRefusal(
    error: unknown,
    writes: readonly StreamWrite[],
    records: readonly RecordRequests[],
    commit: string,
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
    if (
      error instanceof UnknownError ||
      error instanceof WrongExpectedVersionError ||
      error instanceof UnavailableError ||
      error instanceof DeadlineExceededError
    ) {
      return this.diagnose(error, writes, records, commit);
    }
    throw error;
  }

  /**
   * A refusal that names no stream: the server's answer to a session where some streams are idempotent
   * retries and others are not (StorageWriterService.VerifyCommitChecks replies WrongExpectedVersion with
   * no failing stream; 25.1's StreamsService then fails reading the first one), or no answer at all. What
   * is stored says which it was: this call's commit (its `wf.commit` on every write: the answer was lost,
   * the results stand), a taken key, an earlier identical commit, a part stored before, a moved stream —
   * or, when none of these, the error itself (then nothing of this call is stored, as far as reads show).
   */
  private async diagnose(
    error: unknown,
    writes: readonly StreamWrite[],
    records: readonly RecordRequests[],
    commit: string,
  ): Promise<AppendResult[]> {
    const placements: (Decoded[] | undefined)[] = [];
    for (const write of writes) placements.push(await this.placedAlready(write));
    const placed = placements.filter((range): range is Decoded[] => range !== undefined);
    const ours = placed.length === writes.length ? writtenByThisCall(writes, placed, commit) : undefined;
    if (ours) return ours;
    for (const { record } of records) {
      if (await this.bookkeeping.readIdempotencyRecord(record.scope, record.key)) {
        throw new IdempotencyRecordExists(record.scope, record.key);
      }
    }
    const stored = placed.flat();
    const storedWrites = placed.length;
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
      const actual = await this.reads.streamRevision(write.stream);
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
        range = await this.reads.readDecoded(write.stream, {
          backwards: false,
          fromRevision: first,
          maxCount: count,
        });
      } else {
        // `any` / `stream_exists`: where the server would have found them, its recent appends.
        range = (await this.reads.readDecoded(write.stream, { backwards: true, maxCount: count })).reverse();
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
