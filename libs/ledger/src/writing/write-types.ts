import type { IdempotencyRecordWrite, JsonObject, StreamWrite } from '@wasteflow/event-store';
import type { Principal } from '../access/principal';
import type { PersonToRecord } from '../people/people-records';
import type { StoredEventShape } from './stream-model';
import type { UnitOfWork } from './unit-of-work';

/** What a write carries besides its decision: who, under which key, when. */
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
   * A stream many requests write (a city's manifest serial counter, a receiver's party stream that each
   * receipt draws its permit on): committed ahead of the others, so that a conflict on it is the one
   * reported and a retry reads only it again; the losers of a race on it take turns (HotStreamTurns).
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
  /**
   * People the events name by reference (ADR 14): their records are stored, sealed, before the commit
   * (UseCaseRunner), never in the events nor in the idempotency record.
   */
  readonly people?: readonly PersonToRecord[];
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

/** A decision turned into sealed appends and its idempotency record, ready to commit (alone or grouped). */
export interface PreparedCommit<R extends JsonObject = JsonObject> {
  /** The record committed with the events (`appendToStreams(commit, { idempotency: [record] })`). */
  readonly record: IdempotencyRecordWrite;
  /** In the decision's order (the answer lists them so); `commit` may order them differently. */
  readonly writes: readonly StreamWrite[];
  readonly result: R;
  readonly secret?: JsonObject;
  /** The appends in the order to commit them: contended streams first. */
  readonly commit: readonly StreamWrite[];
}

/** A refusal decided on reads that a concurrent write has overtaken: decide again. */
export const STALE_READ = Symbol('stale read');

/** A use case's plan as the writer runs it: load through the unit of work, decide, return the writes. */
export type Decide<R extends JsonObject> = (unitOfWork: UnitOfWork) => Promise<Decision<R>> | Decision<R>;

export function maxPosition(streams: readonly { readonly position: bigint }[]): bigint {
  return streams.reduce((max, stream) => (stream.position > max ? stream.position : max), 0n);
}
