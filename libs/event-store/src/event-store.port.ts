/**
 * The EventStore port: what the ledger and the projections need from an append-only log, and nothing
 * about waste. Every adapter (sqlite, postgres, eventstoredb) proves the same guarantees with the shared
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

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'eventstoredb';

  /**
   * Appends events to one stream, all or nothing, with contiguous revisions.
   * Throws WrongExpectedRevision when `expected` does not hold; an identical retry (same event ids and
   * content, same expected revision) returns the first result with `replayed: true` and writes nothing;
   * an event id already stored with other content or in another place throws DuplicateEventId.
   */
  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;

  /**
   * Appends to several streams as one commit. Atomic (all streams or none) where
   * `capabilities.atomicMultiStreamAppend` is true; see that flag for the others.
   */
  appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]>;

  /** Throws StreamNotFound when the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** The stream's current revision, or `no_stream`. */
  streamRevision(stream: string): Promise<ActualRevision>;

  /** Everything in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  subscribeToAll(handler: SubscriptionHandler, options?: SubscriptionOptions): Subscription;

  /** Position of the last event a reader of `readAll` can see now; 0n when the store is empty. */
  headPosition(): Promise<bigint>;

  readonly capabilities: {
    /** appendToStreams commits all streams or none. */
    readonly atomicMultiStreamAppend: boolean;
  };

  close(): Promise<void>;
}
