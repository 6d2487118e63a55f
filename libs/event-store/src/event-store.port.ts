/**
 * The EventStore port: what the ledger and the projections need from an append-only log, and nothing
 * about waste. Every adapter (sqlite, postgres, kurrentdb) proves the same guarantees with the shared
 * contract suite in `testing/event-store.contract.ts`.
 *
 * Revisions are 0-based per stream (the first event of a stream has revision 0n). Positions are global,
 * strictly increasing in delivery order, opaque to callers except for comparison, and may exceed 2^53:
 * they are bigint in memory and decimal strings on the wire.
 */

/** What the writer believes about the stream before the append. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

/** Current revision of a stream as reported in errors: `no_stream` when it has no events. */
export type ActualRevision = 'no_stream' | bigint;

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** An event as the writer hands it over. `id` is chosen by the writer so a retry can be recognised. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/** An event as the store recorded it. */
export interface RecordedEvent extends EventToAppend {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly recordedAt: Date;
}

export interface AppendResult {
  readonly stream: string;
  /** Revision of the last event written: the stream's current revision after the append. */
  readonly revision: bigint;
  /** Global position of the last event written. */
  readonly position: bigint;
  readonly eventIds: readonly string[];
  /** True when every event was already stored by an identical earlier append (an idempotent retry). */
  readonly replayed: boolean;
}

export interface StreamWrite {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly EventToAppend[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event forwards, the last event backwards. */
  readonly fromRevision?: bigint;
  readonly limit?: number;
}

export interface EventFilter {
  readonly eventTypes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: only events whose position is greater. Omit to read from the beginning. */
  readonly after?: bigint;
  readonly limit?: number;
  readonly filter?: EventFilter;
}

/**
 * Bookkeeping committed with an append (docs/adr/0008): the answer a client's write gave, under the
 * client's own key, so that a retry under the same key gets it again. Not an event: it lives beside the
 * log, is never delivered to readers and expires (the store's `idempotencyRetentionDays`).
 */
export interface IdempotencyRecordWrite {
  /** Whose keys these are (the ledger: the actor); keys of different scopes never meet. */
  readonly scope: string;
  readonly key: string;
  /** Opaque to the store: what the caller needs to answer a retry. */
  readonly record: JsonObject;
}

export interface StoredIdempotencyRecord extends IdempotencyRecordWrite {
  /** When the store recorded it, by the store's clock: the retention period counts from here. */
  readonly recordedAt: Date;
}

export interface AppendOptions {
  /**
   * Idempotency records committed in the same transaction as the events (where
   * `capabilities.atomicMultiStreamAppend`; elsewhere after the last write). A (scope, key) recorded
   * already refuses the whole commit with IdempotencyRecordExists, before anything else is checked, and
   * nothing is written; a commit that is an identical retry of stored events (`replayed`) records nothing;
   * a refused commit records nothing.
   */
  readonly idempotency?: readonly IdempotencyRecordWrite[];
}

/** A named checkpoint beside the log, written under a lease (one writer at a time, fenced by a token). */
export interface CheckpointLease {
  readonly name: string;
  /** Last holder (or current holder while `expiresAt` is in the future). */
  readonly owner: string;
  /** Fencing token: grows by one at every acquisition; a save with an older token is refused. */
  readonly token: bigint;
  /** The position saved last (0n when never saved). */
  readonly position: bigint;
  /** Epoch ms; the lease is free from this instant on (0 once released). */
  readonly expiresAt: number;
}

/**
 * What is kept beside the log and is not history: idempotency records (committed with appends, see
 * AppendOptions) and checkpoints of the store's own consumers (process managers), with a lease.
 */
export interface Bookkeeping {
  /** The record of (scope, key), if one is kept. */
  readIdempotencyRecord(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined>;
  /**
   * Records brought from elsewhere (a migration): each inserted where its (scope, key) is absent and left
   * alone where present. Resolves with how many were inserted.
   */
  importIdempotencyRecords(records: readonly StoredIdempotencyRecord[]): Promise<number>;
  /**
   * Deletes the records recorded before `before` (the retention period does this on its own; exposed for
   * operators and tests). Resolves with how many were deleted. Where `capabilities.purgesIdempotencyRecords`
   * is false the store expires them itself and this throws InvalidArgument.
   */
  purgeIdempotencyRecords(before: Date): Promise<number>;

  readCheckpoint(name: string): Promise<CheckpointLease | undefined>;
  /**
   * Takes the lease of checkpoint `name` when it was never taken, was released, or expired at `now`
   * (epoch ms): the new lease with its fencing token and the position saved last; undefined when another
   * holder's lease runs at `now`.
   */
  acquireCheckpoint(
    name: string,
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<CheckpointLease | undefined>;
  /**
   * Saves `position` and renews the lease to `expiresAt`, only while `token` still holds it: false when
   * another holder took the lease since (nothing saved).
   */
  saveCheckpoint(name: string, token: bigint, position: bigint, expiresAt: number): Promise<boolean>;
  /** Frees the lease at once (keeps the position), if `token` still holds it. */
  releaseCheckpoint(name: string, token: bigint): Promise<void>;
}

/**
 * A person's record beside the log (ADR 14, DESIGN §10): a name and phone sealed by the caller with a key
 * of the person's own. The store keeps both as opaque bytes, never in an event; erasing the person deletes
 * the key and the sealed bytes and keeps only the fact (when, by whom) that the record was erased.
 */
export interface PersonRecordWrite {
  readonly personId: string;
  /** The person's own key (the caller's cipher decides its length). */
  readonly key: Buffer;
  /** What the key opens (the caller's cipher text, with whatever nonce and tag it needs). */
  readonly sealed: Buffer;
}

export type StoredPersonRecord =
  | {
      readonly personId: string;
      readonly status: 'present';
      readonly key: Buffer;
      readonly sealed: Buffer;
      readonly recordedAt: Date;
    }
  | {
      readonly personId: string;
      readonly status: 'erased';
      readonly erasedAt: Date;
      readonly erasedBy: string;
    };

export type PersonErasure = 'erased' | 'already_erased' | 'not_found';

/**
 * Personal data records (crypto-shredding, ADR 14): beside the log, never in it, so that a person can be
 * erased while every event and hash stays as it was.
 */
export interface PersonalDataRecords {
  /**
   * Stores each record whose person id is new, and leaves alone an id stored (or erased) already: a
   * retried command never overwrites, and never brings an erased person back. Resolves with the ids it
   * inserted.
   */
  put(records: readonly PersonRecordWrite[]): Promise<string[]>;
  /** The records of the ids that have one (present or erased); unknown ids are absent from the map. */
  read(personIds: readonly string[]): Promise<Map<string, StoredPersonRecord>>;
  /** Deletes the key and the sealed bytes; keeps when and by whom. */
  erase(personId: string, erasedBy: string, at: Date): Promise<PersonErasure>;
  /**
   * Removes records outright (no trace kept): only for records a refused command stored and no event
   * references (the ledger's compensation). Erased records are left as they are.
   */
  discard(personIds: readonly string[]): Promise<void>;
  /**
   * Ids of present (not erased) records stored before `recordedBefore`, oldest first, at most `limit`: the
   * candidates of the sweep of records no event references (a command whose commit failed after its
   * records were stored).
   */
  listPresent(recordedBefore: Date, limit: number): Promise<string[]>;
}

export interface SubscriptionOptions {
  /** A checkpoint: delivery starts strictly after it. Omit to start from the beginning. */
  readonly after?: bigint;
  readonly filter?: EventFilter;
  /** Largest batch handed to `onBatch` at once. */
  readonly maxBatchSize?: number;
  /** Called once when the subscription stops because of an error (the handler's or the store's). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A catch-up subscription to everything: history first, then live events, in global order, never skipping
 * and never repeating. The next call to the handler starts only after the previous one has settled; if a
 * handler throws, the subscription stops and reports the error (the caller resumes from its checkpoint).
 */
export type SubscriptionHandler =
  | { readonly onEvent: (event: RecordedEvent) => Promise<void>; readonly onBatch?: never }
  | { readonly onBatch: (events: readonly RecordedEvent[]) => Promise<void>; readonly onEvent?: never };

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running any more. */
  stop(): Promise<void>;
  /** Settles when the subscription has stopped (resolves on stop(), rejects on error). */
  readonly finished: Promise<void>;
}

/** What `checkWritable` found: ok, or why every write would fail now. */
export type WriteReadiness =
  { readonly writable: true } | { readonly writable: false; readonly reason: string };

export interface EventStore {
  /** `memory`: the test double of testing/in-memory-event-store.ts. */
  readonly kind: 'sqlite' | 'postgres' | 'kurrentdb' | 'memory';

  /**
   * Appends events to one stream, all or nothing, with contiguous revisions.
   * Throws WrongExpectedRevision when `expected` does not hold; an identical retry (same event ids and
   * content, same expected revision) returns the first result with `replayed: true` and writes nothing;
   * an event id already stored with other content or in another place throws DuplicateEventId.
   */
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;

  /**
   * Appends to several streams as one commit, with the idempotency records of `options`. Atomic (all
   * streams and records or nothing) where `capabilities.atomicMultiStreamAppend` is true; see that flag for
   * the others.
   */
  appendToStreams(writes: readonly StreamWrite[], options?: AppendOptions): Promise<AppendResult[]>;

  /** Throws StreamNotFound when the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** The stream's current revision, or `no_stream`. */
  streamRevision(stream: string): Promise<ActualRevision>;

  /** Everything in global order: every stream, whatever its name. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  subscribeToAll(handler: SubscriptionHandler, options?: SubscriptionOptions): Subscription;

  /** Position of the last event a reader of `readAll` can see now; 0n when the store is empty. */
  headPosition(): Promise<bigint>;

  /**
   * Optional readiness probe: whether a write can succeed now (disk space, a writable data directory, a
   * primary rather than a read-only standby), without writing. Adapters without one are taken as writable
   * while they answer reads.
   */
  checkWritable?(): Promise<WriteReadiness>;

  /** Idempotency records and checkpoints: beside the log, never in it. */
  readonly bookkeeping: Bookkeeping;

  /** Personal data records (ADR 14): beside the log, erasable. */
  readonly personalData: PersonalDataRecords;

  readonly capabilities: {
    /** appendToStreams commits all streams or none, idempotency records included. */
    readonly atomicMultiStreamAppend: boolean;
    /** `bookkeeping.purgeIdempotencyRecords` deletes on demand (else the server expires records itself). */
    readonly purgesIdempotencyRecords: boolean;
    /**
     * appendToStreams takes each stream at most once per call (compared without case): KurrentDB's
     * multi-stream append names each stream once. Callers that join commits flush before a repeat.
     */
    readonly streamsOncePerAppend?: boolean;
  };

  close(): Promise<void>;
}
