import { hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DuplicateEventId,
  sealEvents,
  WrongExpectedRevision,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type StreamWrite,
} from '@wasteflow/event-store';
import { actorOf, type Principal } from '../access/principal';
import { ConcurrencyExhausted, IdempotencyKeyReused } from './ledger-errors';
import type { StoredEventShape } from './stream-model';
import { StreamStateCache } from './stream-state-cache';
import { StreamTurns } from './stream-turns';
import { lastEventOf, StoreUnitOfWork, type UnitOfWork } from './unit-of-work';

/** Fixed namespace for the name-based (v5) event ids derived from idempotency keys and causing events. */
export const WASTEFLOW_ID_NAMESPACE = '6f1d2c4e-8a0b-5c7d-9e3f-2a4b6c8d0e1f';

export const IDEMPOTENCY_RECORD_TYPE = 'IdempotentWriteRecorded';

/** A refusal decided on reads that a concurrent write has overtaken: decide again. */
export const STALE_READ = Symbol('stale read');

export interface WriteContext {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  /** Hash of what the client asked for (operation, path parameters, canonical body): a reused key must match it. */
  readonly requestHash: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** The server's time of recording: the same instant the decision was given as `recordedAt`. */
  readonly recordedAt: Date;
}

export interface StreamEvents {
  readonly stream: string;
  readonly events: readonly StoredEventShape[];
  /** Business time of these events, copied into their metadata. */
  readonly occurredAt?: string;
  /**
   * A stream many requests write (a city's manifest serial counter): committed ahead of the others, so
   * that a conflict on it is the one reported and a retry reads only it again.
   */
  readonly contended?: boolean;
}

export interface Decision<R extends JsonObject> {
  readonly writes: readonly StreamEvents[];
  /** The command's answer (trace code, manifest number, …), kept so a retried request gets it again. */
  readonly result: R;
  /**
   * Shown in the first answer only and never stored, not even in the idempotency record (a token's
   * secret): a replay answers without it.
   */
  readonly secret?: JsonObject;
}

export interface WrittenStream {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly eventIds: readonly string[];
}

export interface WriteOutcome<R extends JsonObject = JsonObject> {
  readonly result: R;
  /** The decision's `secret`, on the first answer only. */
  readonly secret?: JsonObject;
  /** In the order the decision wrote them: the first is the command's own stream. */
  readonly streams: readonly WrittenStream[];
  /** Global position of the last event written (0n when the command wrote nothing). */
  readonly position: bigint;
  /** True when this answers a retry of an already applied request: nothing was appended. */
  readonly replayed: boolean;
}

interface IdempotencyRecord extends JsonObject {
  requestHash: string;
  result: JsonObject;
  writes: { stream: string; revision: string; eventIds: string[] }[];
}

/** A decision turned into sealed appends, ready to commit (alone, or grouped with others). */
export interface PreparedCommit<R extends JsonObject = JsonObject> {
  readonly recordStream: string;
  readonly record: StreamWrite;
  /** In the decision's order (the answer lists them so); `commit` may order them differently. */
  readonly writes: readonly StreamWrite[];
  readonly result: R;
  readonly secret?: JsonObject;
  /** The appends in the order to commit them (see `prepare`). */
  readonly commit: readonly StreamWrite[];
}

export interface LedgerWriterOptions {
  readonly maxAttempts?: number;
  /**
   * Folded stream states kept by revision between requests (default: 10,000 streams); 0 turns it off.
   * See StreamStateCache.
   */
  readonly stateCacheSize?: number;
}

/**
 * The one way commands reach the log: load → decide → append with the expected revisions, all streams of
 * a decision plus the idempotency record in one commit (docs/adr/0001, 0003). A conflicting concurrent
 * write makes it reload and decide again (a bounded number of times, then 409); a retried request with
 * the same Idempotency-Key finds the record and gets the first answer without appending anything; the
 * same key with another request is refused (422). Event ids are derived from (actor, key, stream, index),
 * so even a retry racing the first attempt cannot store an event twice. Every event is sealed into its
 * stream's hash chain (docs/adr/0004).
 */
export class LedgerWriter {
  readonly maxAttempts: number;
  private readonly stateCache: StreamStateCache | undefined;
  /** Turns on the hot streams whose races this process lost: losers retry one after the other. */
  private readonly hotStreamTurns = new StreamTurns();

  constructor(
    private readonly store: EventStore,
    options: LedgerWriterOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 12;
    const cacheSize = options.stateCacheSize ?? 10_000;
    this.stateCache = cacheSize > 0 ? new StreamStateCache(cacheSize) : undefined;
  }

  async execute<R extends JsonObject>(
    context: WriteContext,
    decide: (unitOfWork: UnitOfWork) => Promise<Decision<R>> | Decision<R>,
  ): Promise<WriteOutcome<R>> {
    let touched: readonly string[] = [];
    let unitOfWork: StoreUnitOfWork | undefined;
    let conflicting: string | undefined;
    let releaseTurn: (() => void) | undefined;
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        // Where the record is committed first and atomically with the events, a first attempt need not look
        // for it: if it exists, the commit is refused (nothing written) and the retry finds it; a refusal
        // looks for it too (decideChecked). That saves a read on every new request. Elsewhere (EventStoreDB
        // writes the record last, stream by stream), look first.
        if (attempt > 1 || !this.store.capabilities.atomicMultiStreamAppend) {
          const earlier = await this.findEarlier<R>(context);
          if (earlier) return earlier;
        }

        unitOfWork = new StoreUnitOfWork(
          this.store,
          unitOfWork && conflicting !== undefined ? { previous: unitOfWork, conflicting } : undefined,
          this.stateCache,
          // A first attempt takes streams it creates as absent without reading them (one read less per
          // new batch or manifest): the commit's `no_stream` checks it, and only where the commit is atomic
          // (else streams before the refused one would be written). Any later attempt reads them.
          attempt === 1 && this.store.capabilities.atomicMultiStreamAppend,
        );
        const decision = await this.decideChecked(context, decide, unitOfWork);
        if (decision === STALE_READ) {
          // refused on reads a concurrent write has overtaken: decide again on a full, fresh read
          conflicting = undefined;
          unitOfWork = undefined;
          continue;
        }
        const prepared = this.prepare(context, unitOfWork, decision);
        if ('replayed' in prepared) return prepared;
        touched = prepared.writes.map((write) => write.stream);
        try {
          const results = await this.store.appendToStreams(prepared.commit);
          return this.outcomeOf(prepared, results);
        } catch (error) {
          if (!isConflict(error)) throw error;
          // a stream changed under us: read that one again (all of them after a duplicate id)
          conflicting = error instanceof WrongExpectedRevision ? error.stream : undefined;
          const hot =
            'replayed' in decision
              ? undefined
              : decision.writes.find((write) => write.contended && write.stream === conflicting);
          if (hot && !releaseTurn) {
            // Lost a race on a stream many requests write (a city's manifest serial): retry in turn with the
            // other losers of this process instead of racing them again (under load some lost all 12 tries).
            releaseTurn = await this.hotStreamTurns.take(hot.stream);
          } else if (attempt < this.maxAttempts) {
            await sleep(Math.random() * Math.min(5 * 2 ** (attempt - 1), 200));
          }
        }
      }
    } finally {
      releaseTurn?.();
    }
    throw new ConcurrencyExhausted(this.maxAttempts, touched);
  }

  /**
   * The decision; or, when the domain refuses it:
   *  - the answer of a duplicate of this request that committed meanwhile (two concurrent requests under
   *    one key: the second sees the first's batch or manifest and must answer like the first, not "already
   *    exists");
   *  - STALE_READ when a stream it was decided on has changed since it was read (reads of several streams
   *    are not one snapshot: a manifest read before a cancellation and its batch read after it): the
   *    caller decides again;
   *  - else the refusal stands: it was decided on a consistent, current state.
   */
  async decideChecked<R extends JsonObject>(
    context: WriteContext,
    decide: (unitOfWork: UnitOfWork) => Promise<Decision<R>> | Decision<R>,
    unitOfWork: UnitOfWork,
  ): Promise<Decision<R> | WriteOutcome<R> | typeof STALE_READ> {
    try {
      return await decide(unitOfWork);
    } catch (error) {
      const earlier = await this.findEarlier<R>(context);
      if (earlier) return earlier;
      if (await unitOfWork.changedSinceRead()) return STALE_READ;
      throw error;
    }
  }

  /**
   * Seals a decision: ids from (actor, key, stream, index), metadata, hash chains continued from the
   * versions the unit of work read, and the idempotency record. Where the store commits several streams
   * atomically the record goes first; elsewhere last, so a crash in between leaves no record and the
   * retry decides again instead of answering for events never written.
   */
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R>,
  ): PreparedCommit<R>;
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R> | WriteOutcome<R>,
  ): PreparedCommit<R> | WriteOutcome<R>;
  prepare<R extends JsonObject>(
    context: WriteContext,
    unitOfWork: UnitOfWork,
    decision: Decision<R> | WriteOutcome<R>,
  ): PreparedCommit<R> | WriteOutcome<R> {
    if ('replayed' in decision) return decision;
    const recordStream = idempotencyStream(context.principal, context.idempotencyKey);
    const kept = decision.writes.filter((write) => write.events.length > 0);
    const writes = kept.map((write) => this.toStreamWrite(unitOfWork, context, write));
    const record = this.recordWrite(context, recordStream, decision.result, writes);
    const ordered = [
      ...writes.filter((_, i) => kept[i].contended),
      ...writes.filter((_, i) => !kept[i].contended),
    ];
    const commit = this.store.capabilities.atomicMultiStreamAppend
      ? [record, ...ordered]
      : [...ordered, record];
    return { recordStream, record, writes, result: decision.result, secret: decision.secret, commit };
  }

  /** The outcome of a prepared commit from the store's results for it (in `commit` order). */
  outcomeOf<R extends JsonObject>(
    prepared: PreparedCommit<R>,
    results: readonly AppendResult[],
  ): WriteOutcome<R> {
    // in the decision's order (its own stream first), whatever the commit order was
    const byStream = new Map(results.map((result) => [result.stream, result]));
    const written = prepared.writes.map((write) => toWritten(byStream.get(write.stream) as AppendResult));
    return {
      result: prepared.result,
      ...(prepared.secret ? { secret: prepared.secret } : {}),
      streams: written,
      position: maxPosition(written),
      replayed: false,
    };
  }

  /**
   * The answer already given to this (actor, key), when there is one: the same request gets it again
   * (positions re-read from the recorded revisions); another request under the same key is refused.
   */
  async findEarlier<R extends JsonObject>(context: WriteContext): Promise<WriteOutcome<R> | undefined> {
    const recordStream = idempotencyStream(context.principal, context.idempotencyKey);
    // Usually there is none: ask the revision (no exception for a missing stream), read only when found.
    if ((await this.store.streamRevision(recordStream)) === 'no_stream') return undefined;
    const recorded = await lastEventOf(this.store, recordStream);
    if (!recorded) return undefined;
    const record = recorded.data as IdempotencyRecord;
    if (record.requestHash !== context.requestHash) {
      throw new IdempotencyKeyReused(context.idempotencyKey);
    }
    const streams = await Promise.all(
      record.writes.map(async (write): Promise<WrittenStream> => {
        const revision = BigInt(write.revision);
        const [last] = await this.store.readStream(write.stream, { fromRevision: revision, limit: 1 });
        return { stream: write.stream, revision, position: last?.position ?? 0n, eventIds: write.eventIds };
      }),
    );
    return { result: record.result as R, streams, position: maxPosition(streams), replayed: true };
  }

  /**
   * Appends events derived from another event (the process manager): ids come from the cause (its id,
   * the stream, the index) and the metadata copies the cause's times, so running twice writes once and a
   * racing second run is a byte-identical, idempotent retry. Returns nothing when there was nothing to
   * write.
   */
  async appendDerived(
    unitOfWork: UnitOfWork,
    writes: readonly StreamEvents[],
    metadata: {
      readonly actor: string;
      readonly correlationId: string;
      readonly causationId: string;
      readonly recordedAt: string;
    },
  ): Promise<AppendResult[]> {
    const streamWrites = writes
      .filter((write) => write.events.length > 0)
      .map((write): StreamWrite => {
        const version = unitOfWork.versionOf(write.stream);
        const events = write.events.map((event, index): EventToAppend => ({
          id: derivedEventId(metadata.causationId, write.stream, index),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: {
            actor: metadata.actor,
            correlationId: metadata.correlationId,
            causationId: metadata.causationId,
            occurredAt: write.occurredAt ?? metadata.recordedAt,
            recordedAt: metadata.recordedAt,
            schemaVersion: event.schemaVersion,
          },
        }));
        return {
          stream: write.stream,
          expected: version.revision,
          events: sealEvents(events, version.lastHash),
        };
      });
    if (streamWrites.length === 0) return [];
    return this.store.appendToStreams(streamWrites);
  }

  private toStreamWrite(unitOfWork: UnitOfWork, context: WriteContext, write: StreamEvents): StreamWrite {
    const version = unitOfWork.versionOf(write.stream);
    const recordedAt = context.recordedAt.toISOString();
    const actor = actorOf(context.principal);
    const events = write.events.map((event, index): EventToAppend => ({
      id: eventId(context, write.stream, index),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: {
        actor,
        tokenId: context.principal.tokenId,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.correlationId,
        idempotencyKey: context.idempotencyKey,
        occurredAt: write.occurredAt ?? recordedAt,
        recordedAt,
        schemaVersion: event.schemaVersion,
      },
    }));
    return { stream: write.stream, expected: version.revision, events: sealEvents(events, version.lastHash) };
  }

  private recordWrite(
    context: WriteContext,
    recordStream: string,
    result: JsonObject,
    writes: readonly StreamWrite[],
  ): StreamWrite {
    const data: IdempotencyRecord = {
      requestHash: context.requestHash,
      result,
      writes: writes.map((write) => ({
        stream: write.stream,
        revision: lastRevision(write).toString(),
        eventIds: write.events.map((event) => event.id),
      })),
    };
    const event: EventToAppend = {
      id: eventId(context, recordStream, 0),
      type: IDEMPOTENCY_RECORD_TYPE,
      schemaVersion: 1,
      data,
      metadata: {
        actor: actorOf(context.principal),
        tokenId: context.principal.tokenId,
        correlationId: context.correlationId,
        idempotencyKey: context.idempotencyKey,
        recordedAt: context.recordedAt.toISOString(),
        schemaVersion: 1,
      },
    };
    return { stream: recordStream, expected: 'no_stream', events: sealEvents([event], null) };
  }
}

/** A concurrent write got there first: reload and decide again (or find the record of a duplicate). */
export function isConflict(error: unknown): boolean {
  return error instanceof WrongExpectedRevision || error instanceof DuplicateEventId;
}

/** The idempotency record's stream: one per (actor, key); `$` keeps it out of projections. */
export function idempotencyStream(principal: Principal, key: string): string {
  const digest = hash('sha256', `${actorOf(principal)}\n${key}`, 'hex');
  return `$idempotency-${digest.slice(0, 40)}`;
}

const NAMESPACE_BYTES = Buffer.from(WASTEFLOW_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * RFC 9562 name-based UUID, version 5 (SHA-1 of the namespace and the UTF-8 name), as `uuid`'s v5 computes
 * it, with node's crypto (the writer derives two per command: this is on the bulk path).
 */
export function uuidv5(name: string, namespace: string = WASTEFLOW_ID_NAMESPACE): string {
  const ns =
    namespace === WASTEFLOW_ID_NAMESPACE ? NAMESPACE_BYTES : Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hex = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'hex');
  // version 5 in the high nibble of byte 6, variant 10 in the two high bits of byte 8
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** UUIDv5 of (actor, Idempotency-Key, stream, index): a retry of the request produces the same ids. */
export function eventId(
  context: Pick<WriteContext, 'principal' | 'idempotencyKey'>,
  stream: string,
  index: number,
): string {
  return uuidv5(
    `${actorOf(context.principal)}\n${context.idempotencyKey}\n${stream}\n${index}`,
    WASTEFLOW_ID_NAMESPACE,
  );
}

/** UUIDv5 of (causing event id, stream, index): the process manager's ids. */
export function derivedEventId(causationId: string, stream: string, index: number): string {
  return uuidv5(`${causationId}\n${stream}\n${index}`, WASTEFLOW_ID_NAMESPACE);
}

function lastRevision(write: StreamWrite): bigint {
  if (typeof write.expected !== 'bigint' && write.expected !== 'no_stream') {
    throw new Error(`a ledger write expects an exact revision, not ${write.expected}`);
  }
  const base = write.expected === 'no_stream' ? -1n : write.expected;
  return base + BigInt(write.events.length);
}

function toWritten(result: AppendResult): WrittenStream {
  return {
    stream: result.stream,
    revision: result.revision,
    position: result.position,
    eventIds: result.eventIds,
  };
}

export function maxPosition(streams: readonly { readonly position: bigint }[]): bigint {
  return streams.reduce((max, stream) => (stream.position > max ? stream.position : max), 0n);
}
